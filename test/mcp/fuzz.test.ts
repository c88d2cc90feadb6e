// Generated JSON-RPC, well-formed and not, over stdio, POST /mcp (streamable_http and the JSON-only
// `http` mode) and legacy SSE POSTs. Whatever comes in: a request with an id gets exactly one answer
// (a result, or -32700/-32600/-32601/-32602, MCP's -32002 "resource not found" or a 2026-07-28
// header error; never -32603 or a zod dump), a notification gets none, anything else that is no message one answer with id null;
// and the server still answers afterwards. Seeded (FUZZ_SEED overrides) so a failure replays.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { type Frame, type StdioHarness, startStdio } from '../helpers/stdio.js';
import { type HttpHarness, startHttp } from '../http/helpers.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_251_125);
const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'fuzz', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
// JSON-RPC's own codes, MCP's resource-not-found, and the 2026-07-28 transport's header mismatch,
// missing client capability and unsupported protocol version.
const ALLOWED_CODES = new Set([-32700, -32600, -32601, -32602, -32002, -32020, -32021, -32022]);

// ---- what comes in -------------------------------------------------------------------------

const TOOLS = [
  'search_records',
  'count_records',
  'read_records',
  'aggregate_records',
  'describe_model',
  'list_models',
  'read_binary_field',
  'create_records',
  'update_records',
  'call_method',
  'no_such_tool',
];
const METHODS = [
  'ping',
  'initialize',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'logging/setLevel',
  'resources/subscribe',
  'server/discover',
  'get_resource',
  'notifications/initialized',
  'notifications/progress',
  'notifications/roots/list_changed',
  'no/such/method',
  'constructor',
  '__proto__',
];

const json = fc.jsonValue({ maxDepth: 3 });
const smallArgs = fc.oneof(
  fc.record(
    {
      model: fc.oneof(fc.constantFrom('res.partner', 'product.product', 'Not A Model', ''), json),
      ids: fc.oneof(fc.array(fc.integer({ min: -2, max: 60 }), { maxLength: 4 }), json),
      domain: fc.oneof(fc.constant([['id', '<', 5]]), json),
      fields: fc.oneof(fc.constant(['name']), json),
      limit: fc.oneof(fc.integer({ min: -1, max: 600 }), json),
      values: json,
      uri: fc.oneof(fc.constantFrom('odoo://res.partner/1', 'odoo://instance/info', 'nope'), json),
    },
    { requiredKeys: [] },
  ),
  json,
);
const params = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: json },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        name: fc.oneof(fc.constantFrom(...TOOLS, 'explore_model'), json),
        arguments: smallArgs,
        uri: fc.oneof(fc.constantFrom('odoo://res.partner/1', 'odoo://res.partner/999999', 'x:y', ''), json),
        cursor: json,
        _meta: fc.oneof(fc.constant(MODERN_META), fc.record({ progressToken: json }), json),
        protocolVersion: fc.oneof(fc.constant('2025-11-25'), json),
        ref: json,
        task: json,
      },
      { requiredKeys: [] },
    ),
  },
);
const messageObject = fc.record(
  {
    jsonrpc: fc.oneof({ weight: 8, arbitrary: fc.constant('2.0') }, { weight: 1, arbitrary: json }),
    // Valid ids are renumbered below so each is unique; the rest stay as generated.
    id: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(0, 'x') },
      {
        weight: 2,
        arbitrary: fc.oneof(
          fc.double(),
          fc.constantFrom(2 ** 53 + 1, 2 ** 53, -(2 ** 53) - 2, null, true, 1.5),
          json,
        ),
      },
    ),
    method: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...METHODS) }, { weight: 1, arbitrary: json }),
    params,
    result: json,
    error: fc.oneof(fc.record({ code: fc.integer(), message: fc.string() }), json),
    extra: json,
  },
  { requiredKeys: [] },
);
const deepText = fc
  .tuple(fc.integer({ min: 130, max: 3000 }), fc.constantFrom('[', '{"a":'))
  .map(([depth, open]) => {
    const close = open === '[' ? ']' : '}';
    return `{"jsonrpc":"2.0","id":0,"method":"tools/call","params":{"name":"search_records","arguments":{"model":"res.partner","domain":${open.repeat(depth)}1${close.repeat(depth)}}}}`;
  });
/** One line (never containing a newline). */
const lineArb = fc.oneof(
  { weight: 10, arbitrary: messageObject.map((m) => JSON.stringify(m)) },
  { weight: 2, arbitrary: json.map((v) => JSON.stringify(v) ?? 'null') },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        messageObject.map((m) => JSON.stringify(m)),
        fc.nat(),
      )
      .map(([t, cut]) => t.slice(0, cut % Math.max(1, t.length))),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }).map((s) => s.replace(/\n/g, ' ')) },
  { weight: 1, arbitrary: deepText },
);

// ---- what must come out ------------------------------------------------------------------

type Expect = { kind: 'answer'; id: string | number } | { kind: 'null' } | { kind: 'none' };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const validId = (id: unknown): id is string | number =>
  typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id));

let seq = 0;
/** Gives every valid id a fresh value of the same type, so answers can be matched to lines. */
function renumber(text: string): string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return text;
  }
  if (!isObject(v) || !validId(v.id)) return text;
  seq += 1;
  const id = typeof v.id === 'string' ? `f${seq}` : seq;
  try {
    return JSON.stringify({ ...v, id });
  } catch {
    // Too deep for JSON.stringify (the deep lines): the id is the first member.
    return text.replace(/^\{"jsonrpc":"2\.0","id":0,/, `{"jsonrpc":"2.0","id":${id},`);
  }
}

/** The rules, written again independently of src/mcp/inbound.ts. */
function expected(text: string, transport: 'stdio' | 'http'): Expect {
  if (transport === 'stdio' && text.trim() === '') return { kind: 'none' };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { kind: 'null' };
  }
  if (!isObject(v)) return { kind: 'null' };
  const hasId = 'id' in v;
  if (hasId && !validId(v.id)) return { kind: 'null' };
  if (hasId && !('method' in v) && ('result' in v || 'error' in v)) {
    // A response: passed on when well-formed, else answered with id null.
    const keys = Object.keys(v).filter((k) => k !== 'jsonrpc' && k !== 'id');
    const okJsonrpc = v.jsonrpc === undefined || v.jsonrpc === '2.0';
    const okResult = keys.length === 1 && keys[0] === 'result' && isObject(v.result);
    const e = v.error;
    const okError =
      keys.length === 1 &&
      keys[0] === 'error' &&
      isObject(e) &&
      Number.isInteger(e.code) &&
      typeof e.message === 'string' &&
      Object.keys(e).every((k) => ['code', 'message', 'data'].includes(k));
    return okJsonrpc && (okResult || okError) ? { kind: 'none' } : { kind: 'null' };
  }
  if (hasId) return { kind: 'answer', id: v.id as string | number };
  if (typeof v.method === 'string' && v.method.startsWith('notifications/')) return { kind: 'none' };
  return { kind: 'null' };
}

function checkFrame(frame: Frame, where: string): void {
  if (frame.error) {
    expect(
      ALLOWED_CODES.has(frame.error.code),
      `${where}: code ${frame.error.code} ${frame.error.message}`,
    ).toBe(true);
    expect(frame.error.message, where).not.toMatch(/\n|"path":|^\s*\[\s*\{/);
  } else {
    expect(frame.result, where).toBeDefined();
  }
}

/** Frames are answers when they carry result or error (the server may also send notifications). */
const answers = (frames: Frame[]) => frames.filter((f) => 'result' in f || 'error' in f);

function tally(frames: Frame[], wants: Expect[], where: string) {
  const got = answers(frames);
  for (const f of got) checkFrame(f, `${where} ${JSON.stringify(f).slice(0, 200)}`);
  for (const w of wants) {
    if (w.kind !== 'answer') continue;
    expect(got.filter((f) => f.id === w.id).length, `${where}: answers to id ${JSON.stringify(w.id)}`).toBe(
      1,
    );
  }
  const wantIds = new Set(wants.flatMap((w) => (w.kind === 'answer' ? [w.id] : [])));
  expect(
    got.filter((f) => f.id !== null && !wantIds.has(f.id as string | number)).map((f) => f.id),
    `${where}: answers nobody asked for`,
  ).toEqual([]);
  expect(got.filter((f) => f.id === null).length, `${where}: answers with id null`).toBe(
    wants.filter((w) => w.kind === 'null').length,
  );
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ odooVersion: '19.0' });
});
afterAll(async () => {
  await emulator.close();
});

describe('stdio', () => {
  let h: StdioHarness;
  beforeAll(async () => {
    h = await startStdio({ emulator });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers every request exactly once, notifications never, and keeps serving', async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.array(lineArb, { minLength: 1, maxLength: 6 }), async (generated) => {
        const lines = generated.map(renumber);
        const from = h.frames.length;
        for (const l of lines) h.line(l);
        seq += 1;
        const sentinel = `sentinel-${seq}`;
        const wants = lines.map((l) => expected(l, 'stdio'));
        const ids = wants.flatMap((w) => (w.kind === 'answer' ? [w.id] : []));
        const nulls = wants.filter((w) => w.kind === 'null').length;
        h.line(JSON.stringify({ jsonrpc: '2.0', id: sentinel, method: 'ping' }));
        const mine = () => h.frames.slice(from);
        await h.until((f) => {
          const got = answers(f.slice(from));
          return (
            got.some((x) => x.id === sentinel) &&
            ids.every((id) => got.some((x) => x.id === id)) &&
            got.filter((x) => x.id === null).length >= nulls
          );
        });
        await new Promise((r) => setTimeout(r, 5));
        tally(
          mine().filter((f) => f.id !== sentinel),
          wants,
          `lines ${JSON.stringify(lines).slice(0, 500)}`,
        );
      }),
      { numRuns: 120, seed: SEED },
    );
    expect((await h.request('after-ping', 'ping')).result).toEqual({});
    expect((await h.request('after-list', 'tools/list')).result?.tools).toBeDefined();
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

/** POSTs one body and returns the JSON-RPC messages of the answer (none for a 202). */
async function post(url: URL, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  if (res.status === 202) return { status: res.status, frames: [] as Frame[] };
  const parsed = JSON.parse(text) as Frame | Frame[];
  return { status: res.status, frames: Array.isArray(parsed) ? parsed : [parsed] };
}

describe.each(['streamable_http', 'http'] as const)('POST /mcp, %s mode', (mode) => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttp({ emulator, mode, config: { requests_per_minute: 0 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers every body with an id exactly once, notifications with 202, and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(lineArb, fc.boolean(), async (generated, modern) => {
        const body = renumber(generated);
        const headers: Record<string, string> = modern ? { 'mcp-protocol-version': '2026-07-28' } : {};
        const { status, frames } = await post(h.mcpUrl, body, headers);
        expect(status, body.slice(0, 300)).toBeLessThan(500);
        const frame = frames[0];
        // The HTTP front answers a few things itself with -32000 (e.g. a 2026 request's missing
        // headers), always in one message with the request's id or null.
        if (frame?.error?.code === -32000) {
          expect(frames.length).toBe(1);
          return;
        }
        tally(frames, [expected(body, 'http')], `body ${body.slice(0, 300)}`);
      }),
      { numRuns: 150, seed: SEED },
    );
    const after = await post(h.mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: 'after', method: 'tools/list' }));
    expect(after.frames[0]?.result?.tools).toBeDefined();
    expect(h.server.sessionCount).toBeLessThan(200);
  });
});

describe('legacy SSE POST /messages', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttp({ emulator, config: { requests_per_minute: 0 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers every message with an id exactly once on the stream', async () => {
    const abort = new AbortController();
    const res = await fetch(new URL('/sse', h.url), { signal: abort.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    const frames: Frame[] = [];
    let endpoint = '';
    let buffer = '';
    const pump = (async () => {
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          if (event.startsWith('event: endpoint')) endpoint = data;
          else if (event.startsWith('event: message')) frames.push(JSON.parse(data) as Frame);
        }
      }
    })();
    while (!endpoint) await new Promise((r) => setTimeout(r, 2));
    const url = new URL(endpoint, h.url);
    const init = await post(
      url,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 'init',
        method: 'initialize',
        params: {
          protocolVersion: '2024-11-05',
          capabilities: {},
          clientInfo: { name: 'fuzz', version: '1' },
        },
      }),
    );
    expect(init.status).toBe(202);
    await post(url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));

    await fc.assert(
      fc.asyncProperty(lineArb, async (generated) => {
        const body = renumber(generated);
        const from = frames.length;
        const { status, frames: direct } = await post(url, body);
        if (status !== 202) {
          // Not JSON, or an empty batch: the HTTP answer itself is the error.
          expect(status).toBe(400);
          expect([-32700, -32600]).toContain(direct[0]?.error?.code);
          return;
        }
        seq += 1;
        const sentinel = `sentinel-${seq}`;
        await post(url, JSON.stringify({ jsonrpc: '2.0', id: sentinel, method: 'ping' }));
        // The 2024-11-05 transport still takes batches: each message in one is screened alone.
        const parsed = (() => {
          try {
            return JSON.parse(body) as unknown;
          } catch {
            return undefined;
          }
        })();
        const wants = Array.isArray(parsed)
          ? parsed.map((item) => expected(JSON.stringify(item), 'http'))
          : [expected(body, 'http')];
        const deadline = Date.now() + 10_000;
        const ready = () => {
          const got = answers(frames.slice(from));
          if (!got.some((f) => f.id === sentinel)) return false;
          const nulls = wants.filter((w) => w.kind === 'null').length;
          return (
            wants.every((w) => w.kind !== 'answer' || got.some((f) => f.id === w.id)) &&
            got.filter((f) => f.id === null).length >= nulls
          );
        };
        while (!ready()) {
          if (Date.now() > deadline) throw new Error(`no answer on the stream to ${body.slice(0, 300)}`);
          await new Promise((r) => setTimeout(r, 2));
        }
        await new Promise((r) => setTimeout(r, 5));
        tally(
          frames.slice(from).filter((f) => f.id !== sentinel),
          wants,
          `body ${body.slice(0, 300)}`,
        );
      }),
      { numRuns: 60, seed: SEED },
    );
    abort.abort();
    await pump;
  });
});
