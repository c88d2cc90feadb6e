// The inbound screen's rules, one by one: ids, params, _meta, responses, notifications, nesting,
// the id of an over-long line, and SDK zod dumps made one line.
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import {
  deeperThan,
  MAX_MESSAGE_DEPTH,
  peekId,
  presentOutbound,
  type Screened,
  screenMessage,
} from '../../src/mcp/inbound.js';

const screen = (raw: unknown): Screened => screenMessage(raw, () => 'anon-1');
const replied = (raw: unknown) => {
  const s = screen(raw);
  if (s.kind !== 'reply') throw new Error(`forwarded: ${JSON.stringify(s.message)}`);
  return s.response;
};

describe('screenMessage', () => {
  it('refuses ids MCP does not allow, with id null: fractions, 2^53 and past, null, objects', () => {
    for (const id of [1.5, 2 ** 53, 2 ** 53 + 1, -(2 ** 53), null, { a: 1 }, [1], true]) {
      expect(replied({ jsonrpc: '2.0', id, method: 'ping' })).toMatchObject({
        id: null,
        error: { code: -32600 },
      });
    }
    expect(screen({ jsonrpc: '2.0', id: 2 ** 53 - 1, method: 'ping' }).kind).toBe('forward');
    expect(screen({ jsonrpc: '2.0', id: '', method: 'ping' }).kind).toBe('forward');
  });

  it('answers params that are not an object, and a bad _meta, with -32602 under the id', () => {
    for (const params of ['x', 3, [1], null]) {
      expect(replied({ jsonrpc: '2.0', id: 7, method: 'tools/list', params })).toMatchObject({
        id: 7,
        error: { code: -32602, message: expect.stringContaining('"params" must be a JSON object') },
      });
    }
    expect(
      replied({ jsonrpc: '2.0', id: 8, method: 'tools/list', params: { _meta: 5 } })?.error.message,
    ).toContain('params._meta must be a JSON object');
    expect(
      replied({ jsonrpc: '2.0', id: 9, method: 'ping', params: { _meta: { progressToken: 1.5 } } })?.error
        .message,
    ).toContain('progressToken must be a string or an integer');
  });

  it('never answers a notification, whatever is wrong with it', () => {
    for (const raw of [
      { jsonrpc: '1.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', method: 'notifications/progress', params: 'x' },
      { jsonrpc: '2.0', method: 'notifications/progress', params: { _meta: [] } },
      {
        jsonrpc: '2.0',
        method: 'notifications/x',
        params: { a: JSON.parse(`${'['.repeat(500)}${']'.repeat(500)}`) },
      },
    ]) {
      expect(screen(raw)).toMatchObject({ kind: 'reply', response: undefined });
    }
  });

  it('passes a well-formed response on, and answers a malformed one with id null, never its id', () => {
    expect(screen({ jsonrpc: '2.0', id: 3, result: {} }).kind).toBe('forward');
    expect(screen({ jsonrpc: '2.0', id: 3, error: { code: 1, message: 'no' } }).kind).toBe('forward');
    for (const raw of [
      { jsonrpc: '2.0', id: 3, error: 5 },
      { jsonrpc: '2.0', id: 3, result: 5 },
      { jsonrpc: '1.0', id: 3, result: {} },
      { jsonrpc: '2.0', id: 3, result: {}, error: { code: 1, message: 'x' } },
    ]) {
      expect(replied(raw)).toMatchObject({ id: null, error: { code: -32600 } });
    }
  });

  it(`refuses params nested deeper than ${MAX_MESSAGE_DEPTH} levels, without recursing`, () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(replied({ jsonrpc: '2.0', id: 1, method: 'ping', params: { x: deep } })).toMatchObject({
      id: 1,
      error: { code: -32602, message: expect.stringContaining(`${MAX_MESSAGE_DEPTH} levels`) },
    });
    expect(deeperThan(deep, 99_999)).toBe(true);
    expect(deeperThan(deep, 100_000)).toBe(false);
    expect(deeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(deeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
  });

  it('takes method names that are Object.prototype keys as plain names', () => {
    for (const method of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(screen({ jsonrpc: '2.0', id: 1, method })).toMatchObject({
        kind: 'forward',
        message: { method },
      });
    }
  });

  it('answers a batch once, as a whole, with -32600', () => {
    expect(replied([{ jsonrpc: '2.0', id: 1, method: 'ping' }])).toMatchObject({
      id: null,
      error: { code: -32600, message: expect.stringContaining('batch') },
    });
  });
});

describe('peekId', () => {
  it('reads the top-level id from the start of a line', () => {
    expect(peekId('{"jsonrpc":"2.0","id":42,"method":"ping","params":{"pad":"xxxx')).toBe(42);
    expect(peekId('  { "id" : "a\\"b", "method"')).toBe('a"b');
    expect(peekId('{"params":{"id":5,"x":"y"},"id":"top","method":"x"')).toBe('top');
    expect(peekId('{"params":{"arguments":{"ids":[1,2]},"note":"\\"id\\": 9"},"jsonrpc":"2.0"')).toBeNull();
  });

  it('gives null where the id is not there, not whole, or not a valid id', () => {
    expect(peekId('{"jsonrpc":"2.0","method":"ping","params":{"pad":"xx')).toBeNull();
    expect(peekId('{"id":12')).toBeNull();
    expect(peekId('{"id":1.5,')).toBeNull();
    expect(peekId('{"id":null,')).toBeNull();
    expect(peekId('[{"id":1}')).toBeNull();
    expect(peekId('garbage')).toBeNull();
  });
});

describe('presentOutbound', () => {
  const issues = JSON.stringify(
    [
      {
        expected: 'object',
        code: 'invalid_type',
        path: ['params', 'task'],
        message: 'Invalid input: expected object, received number',
      },
    ],
    null,
    2,
  );

  it('turns a zod dump, bare or after "Invalid tools/call request:", into one -32602 line', () => {
    for (const [code, message] of [
      [-32603, issues],
      [-32602, `Invalid tools/call request: ${issues}`],
    ] as const) {
      const out = presentOutbound(
        { jsonrpc: '2.0', id: 1, error: { code, message } } as JSONRPCMessage,
        new Set(),
      ) as { error: { code: number; message: string } };
      expect(out.error.code).toBe(-32602);
      expect(out.error.message).toMatch(
        /^Invalid params( for tools\/call)?: params\.task: expected object, received number\.$/,
      );
    }
  });

  it('leaves other errors as they are', () => {
    const message = {
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32602, message: 'Tool nope not found' },
    } as JSONRPCMessage;
    expect(presentOutbound(message, new Set())).toBe(message);
  });
});
