// Input bounds: list sizes and nesting are refused before any Odoo call, naming the limit; deep
// nesting never reaches code that recurses; texts that list missing ids stay short.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { deeperThan } from '../../src/mcp/inbound.js';
import { checkInputLimits } from '../../src/mcp/tools/params.js';
import { type Harness, startHarness, textOf } from '../helpers/mcp.js';
import { type StdioHarness, startStdio, toolText } from '../helpers/stdio.js';
import { type HttpHarness, INIT_BODY, rawPost, startHttp } from '../http/helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ odooVersion: '19.0' });
});
afterAll(async () => {
  await emulator.close();
});

const range = (n: number, from: number) => Array.from({ length: n }, (_, i) => from + i);
/** JSON text of a list nested `depth` levels deep around 1. */
const deepList = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
/** A tools/call line with raw JSON arguments (deep values cannot go through JSON.stringify). */
const rawCall = (id: number, name: string, args: string) =>
  `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"${name}","arguments":${args}}}`;

describe('1,000,000 ids over stdio', () => {
  let h: StdioHarness;
  beforeAll(async () => {
    h = await startStdio({ emulator, config: { stdio: { max_line_bytes: 32 * 1024 * 1024 } } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('are refused at once, naming limits.max_ids, before any Odoo call; the session goes on', async () => {
    const before = emulator.log.total;
    const started = Date.now();
    h.line(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'delete_records', arguments: { model: 'res.partner', ids: range(1_000_000, 1) } },
      }),
    );
    const answer = await h.answer(1);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(answer.result?.isError).toBe(true);
    expect(toolText(answer)).toContain('limits.max_ids');
    expect(toolText(answer)).toContain('1,000,000');
    expect(toolText(answer)).toContain('10,000');
    expect(emulator.log.total).toBe(before);
    expect((await h.request(2, 'ping')).result).toEqual({});
  });

  it('5,000 levels of nesting are -32602 in one line, never a stack overflow', async () => {
    const cases = [
      rawCall(10, 'search_records', `{"model":"res.partner","domain":${deepList(5000)}}`),
      rawCall(11, 'search_records', `{"model":"res.partner","domain":[["name","=",${deepList(5000)}]]}`),
      rawCall(
        12,
        'create_records',
        `{"model":"res.partner","values":{"name":"x","comment":${deepObject(5000)}}}`,
      ),
      rawCall(
        13,
        'update_records',
        `{"model":"res.partner","ids":[1],"values":{"comment":${deepObject(5000)}}}`,
      ),
      rawCall(14, 'call_method', `{"model":"res.partner","method":"read","args":${deepList(5000)}}`),
      `{"jsonrpc":"2.0","id":15,"method":"ping","params":{"x":${deepList(5000)}}}`,
    ];
    const before = emulator.log.total;
    for (const line of cases) h.line(line);
    for (const id of [10, 11, 12, 13, 14, 15]) {
      const a = await h.answer(id);
      expect(a.error?.code, String(id)).toBe(-32602);
      expect(a.error?.message).toContain('nested more than 128 levels');
      expect(a.error?.message).not.toContain('\n');
    }
    expect(emulator.log.total).toBe(before);
    expect((await h.request(16, 'tools/list')).result?.tools).toBeDefined();
  });
});

describe("deep nesting below the message bound meets the tools' limits.max_depth", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulator });
  });
  afterAll(async () => {
    await h.close();
  });

  it('in a domain, values and context: a tool error naming the limit, no Odoo call', async () => {
    const nested = (depth: number): unknown => {
      let v: unknown = 1;
      for (let i = 0; i < depth; i++) v = [v];
      return v;
    };
    const before = emulator.log.total;
    const calls: Array<[string, Record<string, unknown>, string]> = [
      ['search_records', { model: 'res.partner', domain: nested(40) }, 'domain is nested'],
      ['count_records', { model: 'res.partner', domain: [['name', 'in', nested(40)]] }, 'domain is nested'],
      [
        'create_records',
        { model: 'res.partner', values: { name: 'x', comment: nested(40) } },
        'values are nested',
      ],
      ['read_records', { model: 'res.partner', ids: [1], context: { a: nested(40) } }, 'context is nested'],
    ];
    for (const [name, args, what] of calls) {
      const r = await h.client.callTool({ name, arguments: args });
      expect(r.isError, name).toBe(true);
      expect(textOf(r)).toContain(what);
      expect(textOf(r)).toContain('limits.max_depth');
      expect(textOf(r)).not.toContain('Internal error');
    }
    expect(emulator.log.total).toBe(before);
  });

  it("the tools' own check holds at 5,000 levels too (for servers embedded without the screen)", () => {
    const domain = JSON.parse(deepList(5000)) as unknown[];
    expect(deeperThan(domain, 4999)).toBe(true);
    expect(deeperThan(domain, 5000)).toBe(false);
    expect(() => checkInputLimits(h.deps.records.limits, { domain })).toThrow(/limits\.max_depth/);
    expect(() =>
      checkInputLimits(h.deps.records.limits, { values: JSON.parse(`{"a":${deepObject(5000)}}`) }),
    ).toThrow(/limits\.max_depth/);
  });
});

describe('configured limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      emulator,
      config: {
        limits: {
          max_ids: 5,
          max_fields: 3,
          max_domain_terms: 4,
          max_create_records: 2,
          max_value_fields: 3,
          max_depth: 6,
        },
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  const refused: Array<[string, Record<string, unknown>, string]> = [
    ['read_records', { model: 'res.partner', ids: range(6, 1) }, 'limits.max_ids'],
    [
      'update_records',
      { model: 'res.partner', ids: range(6, 1), values: { comment: 'x' } },
      'limits.max_ids',
    ],
    ['delete_records', { model: 'res.partner', ids: range(6, 1) }, 'limits.max_ids'],
    ['call_method', { model: 'res.partner', method: 'action_archive', ids: range(6, 1) }, 'limits.max_ids'],
    [
      'read_records',
      { model: 'res.partner', ids: [1], fields: ['name', 'email', 'phone', 'city'] },
      'limits.max_fields',
    ],
    [
      'search_records',
      { model: 'res.partner', fields: ['name', 'email', 'phone', 'city'] },
      'limits.max_fields',
    ],
    [
      'aggregate_records',
      { model: 'res.partner', group_by: ['country_id', 'city'], aggregates: ['__count', 'id:count'] },
      'limits.max_fields',
    ],
    [
      'search_records',
      { model: 'res.partner', domain: ['|', '|', ['id', '=', 1], ['id', '=', 2], ['id', '=', 3]] },
      'limits.max_domain_terms',
    ],
    [
      'count_records',
      {
        model: 'res.partner',
        domain: [
          [
            'child_ids',
            'any',
            [
              ['id', '=', 1],
              ['id', '=', 2],
              ['id', '=', 3],
              ['id', '=', 4],
            ],
          ],
        ],
      },
      'limits.max_domain_terms',
    ],
    [
      'create_records',
      { model: 'res.partner', values: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] },
      'limits.max_create_records',
    ],
    [
      'create_records',
      { model: 'res.partner', values: { name: 'a', email: 'b', phone: 'c', city: 'd' } },
      'limits.max_value_fields',
    ],
    [
      'update_records',
      { model: 'res.partner', ids: [1], values: { name: 'a', email: 'b', phone: 'c', city: 'd' } },
      'limits.max_value_fields',
    ],
    ['search_records', { model: 'res.partner', domain: [['id', 'in', [[[[[1]]]]]]] }, 'limits.max_depth'],
  ];

  it.each(refused)('%s over a limit is refused before any Odoo call', async (name, args, key) => {
    const before = emulator.log.total;
    const r = await h.client.callTool({ name, arguments: args });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain(key);
    expect(textOf(r).split('\n').length).toBe(1);
    expect(emulator.log.total).toBe(before);
  });

  it('calls at the limits go through', async () => {
    const read = await h.client.callTool({
      name: 'read_records',
      arguments: { model: 'res.partner', ids: range(5, 1), fields: ['name', 'email', 'phone'] },
    });
    expect(read.isError).toBeFalsy();
    const search = await h.client.callTool({
      name: 'search_records',
      arguments: { model: 'res.partner', domain: ['|', ['id', '=', 1], ['id', '=', 2], ['id', '!=', 0]] },
    });
    expect(search.isError).toBeFalsy();
    const create = await h.client.callTool({
      name: 'create_records',
      arguments: {
        model: 'res.partner',
        values: [{ name: 'Limit A' }, { name: 'Limit B', email: 'b@x', phone: '1' }],
      },
    });
    expect(create.isError).toBeFalsy();
  });

  it('a record-list resource whose domain is over the limit is -32602 naming it', async () => {
    const domain = encodeURIComponent(JSON.stringify(range(5, 1).map((i) => ['id', '=', i])));
    await expect(h.client.readResource({ uri: `odoo://res.partner/list?domain=${domain}` })).rejects.toThrow(
      /limits\.max_domain_terms/,
    );
  });
});

describe('texts that list missing ids stay short', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulator, config: { limits: { max_ids: 100_000 } } });
  });
  afterAll(async () => {
    await h.close();
  });

  // Three that exist (1, 2, 3), then 99,997 that do not.
  const ids = [1, 2, 3, ...range(99_997, 5_000_000)];

  it('read_records: the count and the first ids in the text, every id in missing_ids', async () => {
    const r = await h.client.callTool({
      name: 'read_records',
      arguments: { model: 'res.partner', ids, fields: ['name'] },
    });
    expect(r.isError).toBeFalsy();
    const text = textOf(r);
    expect(text.length).toBeLessThan(1000);
    expect(text).toContain('99,997 of the 100,000 ids (first: 5000000, 5000001');
    expect((r.structuredContent as { missing_ids: number[] }).missing_ids.length).toBe(99_997);
  });

  it.each([
    ['update_records', { values: { comment: 'x' } }],
    ['delete_records', {}],
  ])("%s: Odoo's MissingError with the count and the first ids", async (name, extra) => {
    const r = await h.client.callTool({ name, arguments: { model: 'res.partner', ids, ...extra } });
    expect(r.isError).toBe(true);
    const text = textOf(r);
    expect(text.length).toBeLessThan(1000);
    expect(text).toContain('MissingError');
    expect(text).toContain('99,997 of the 100,000 ids (first: 5000000, 5000001');
    expect(text).toContain('do not exist');
  });

  it('a few missing ids are still listed in full, as Odoo says them', async () => {
    const read = await h.client.callTool({
      name: 'read_records',
      arguments: { model: 'res.partner', ids: [1, 999_999], fields: ['name'] },
    });
    expect(textOf(read)).toContain('res.partner ids 999999.');
    const update = await h.client.callTool({
      name: 'update_records',
      arguments: { model: 'res.partner', ids: [999_998, 999_999], values: { comment: 'x' } },
    });
    expect(textOf(update)).toContain('res.partner(999998, 999999)');
  });
});

describe("HTTP: deep bodies, batches, and errors in a session's event stream", () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttp({ emulator, config: { requests_per_minute: 0 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('a 5,000-deep body is -32602 with its id, not a 500', async () => {
    const r = await rawPost(
      h.url,
      rawCall(3, 'search_records', `{"model":"res.partner","domain":${deepList(5000)}}`),
    );
    expect(r.status).toBeLessThan(500);
    expect(JSON.parse(r.text)).toMatchObject({ id: 3, error: { code: -32602 } });
  });

  it("errors answered in a session's event stream are one line, never a zod dump", async () => {
    const init = await rawPost(h.url, INIT_BODY);
    const session = {
      'mcp-session-id': init.headers.get('mcp-session-id') ?? '',
      'mcp-protocol-version': '2025-11-25',
    };
    await rawPost(h.url, '{"jsonrpc":"2.0","method":"notifications/initialized"}', session);
    const bodies = [
      '{"jsonrpc":"2.0","id":21,"method":"tools/call","params":{"name":"count_records","arguments":{"model":"res.partner"},"task":5}}',
      '{"jsonrpc":"2.0","id":22,"method":"completion/complete","params":{"ref":{"type":"ref/prompt","name":"x"},"argument":{"name":"a","value":"b"},"context":5}}',
    ];
    for (const body of bodies) {
      const r = await rawPost(h.url, body, session);
      expect(r.headers.get('content-type')).toContain('text/event-stream');
      const data = r.text.split('\n').find((l) => l.startsWith('data: ')) ?? '';
      const message = JSON.parse(data.slice(6)) as { error: { code: number; message: string } };
      expect(message.error.code).toBe(-32602);
      expect(message.error.message).toMatch(
        /^Invalid params( for tools\/call)?: params\.(task|context): expected object/,
      );
    }
  });

  it('a batch is refused whole with -32600, id null (MCP has no batches since 2025-06-18)', async () => {
    for (const body of ['[{"jsonrpc":"2.0","id":1,"method":"ping"}]', '[]']) {
      const r = await rawPost(h.url, body);
      expect(r.status).toBe(400);
      expect(JSON.parse(r.text)).toMatchObject({
        id: null,
        error: { code: -32600, message: expect.stringContaining('batch') },
      });
    }
  });
});
