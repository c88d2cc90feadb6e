// Every HTTP transport end to end over loopback with the SDK's clients: streamable HTTP in both
// eras (SSE and JSON answers, progress streamed), sessions, the JSON-only `http` mode and the
// legacy HTTP+SSE transport.
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import {
  connectSse,
  connectStreamable,
  type Era,
  type HttpHarness,
  INIT_BODY,
  newClient,
  rawPost,
  startHttp,
  textOf,
} from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ odooVersion: '19.0' });
});
afterAll(async () => {
  await emulator.close();
});

/** A client whose transport records the Content-Type of every answer to a POST. */
async function recordingClient(url: string, era: Era) {
  const types: string[] = [];
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', url), {
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      if (init?.method === 'POST' && res.status === 200) types.push(res.headers.get('content-type') ?? '');
      return res;
    },
  });
  const client = newClient(era);
  await client.connect(transport);
  return { client, transport, types };
}

describe.each(['modern', 'legacy'] as Era[])('streamable_http, %s era', (era) => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttp({ emulator, mode: 'streamable_http' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('lists tools and calls one against Odoo', async () => {
    const { client } = await connectStreamable(h.url, era);
    expect(client.getProtocolEra()).toBe(era);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('search_records');
    const result = await client.callTool({
      name: 'search_records',
      arguments: { model: 'res.partner', limit: 3, fields: ['name'] },
    });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { records: unknown[] }).records).toHaveLength(3);
    await client.close();
  });

  it('streams progress notifications and then the result over SSE', async () => {
    const { client, types } = await recordingClient(h.url, era);
    const seen: number[] = [];
    const result = await client.callTool(
      { name: 'slow_progress', arguments: { steps: 4 } },
      { onprogress: (p) => void seen.push(p.progress) },
    );
    expect(textOf(result)).toBe('done after 4 steps');
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen[0]).toBe(1);
    expect(types.at(-1)).toContain('text/event-stream');
    await client.close();
  });

  it('answers with JSON when the client accepts only JSON', async () => {
    if (era === 'legacy') return; // 2025 clients must accept both; covered by http.streamable: false
    const { client, types } = await recordingClient(h.url, era);
    await client.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
    expect(types.at(-1)).toContain('application/json');
    await client.close();
  });
});

describe('streamable_http sessions (2025-11-25)', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttp({ emulator, mode: 'streamable_http', config: { session_timeout_minutes: 0.02 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('gives each client its own random session, ended by DELETE', async () => {
    const a = await connectStreamable(h.url, 'legacy');
    const b = await connectStreamable(h.url, 'legacy');
    const idA = a.transport.sessionId ?? '';
    const idB = b.transport.sessionId ?? '';
    expect(idA).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(idA).not.toBe(idB);
    expect(h.server.sessionCount).toBe(2);
    await a.transport.terminateSession();
    expect(h.server.sessionCount).toBe(1);
    // The other session is untouched.
    expect((await b.client.listTools()).tools.length).toBeGreaterThan(0);
    const after = await rawPost(h.url, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), {
      'mcp-session-id': idA,
      'mcp-protocol-version': '2025-11-25',
    });
    expect(after.status).toBe(404);
    await b.client.close();
    await b.transport.terminateSession().catch(() => undefined);
  });

  it('answers 404 for an unknown session, serves a sessionless request on its own, 400 for a sessionless GET', async () => {
    const unknown = await rawPost(h.url, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), {
      'mcp-session-id': 'no-such-session',
      'mcp-protocol-version': '2025-11-25',
    });
    expect(unknown.status).toBe(404);
    const before = h.server.sessionCount;
    const missing = await rawPost(h.url, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }));
    expect(missing.status).toBe(200);
    expect(JSON.parse(missing.text).result.tools.length).toBeGreaterThan(10);
    expect(h.server.sessionCount).toBe(before);
    const get = await fetch(h.mcpUrl, { headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(400);
    expect(await get.text()).toContain('Mcp-Session-Id');
  });

  it('expires idle sessions (then 404)', async () => {
    const init = await rawPost(h.url, INIT_BODY);
    expect(init.status).toBe(200);
    const id = init.headers.get('mcp-session-id') ?? '';
    expect(h.server.sessionCount).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 1600)); // 0.02 min = 1.2 s
    const res = await rawPost(h.url, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), {
      'mcp-session-id': id,
      'mcp-protocol-version': '2025-11-25',
    });
    expect(res.status).toBe(404);
    expect(h.server.sessionCount).toBe(0);
  });

  it('serves the GET stream of a session', async () => {
    const init = await rawPost(h.url, INIT_BODY);
    const id = init.headers.get('mcp-session-id') ?? '';
    const ac = new AbortController();
    const get = await fetch(h.mcpUrl, {
      headers: { accept: 'text/event-stream', 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' },
      signal: ac.signal,
    });
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toContain('text/event-stream');
    ac.abort();
    const del = await fetch(h.mcpUrl, {
      method: 'DELETE',
      headers: { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' },
    });
    expect(del.status).toBe(200);
  });
});

describe('streamable_http with http.streamable: false', () => {
  it('answers every POST with JSON in both eras', async () => {
    const h = await startHttp({ emulator, config: { http: { streamable: false } } });
    try {
      for (const era of ['modern', 'legacy'] as Era[]) {
        const { client, types } = await recordingClient(h.url, era);
        const result = await client.callTool({ name: 'slow_progress', arguments: { steps: 2 } });
        expect(textOf(result)).toBe('done after 2 steps');
        expect(types.length).toBeGreaterThan(0);
        for (const t of types) expect(t).toContain('application/json');
        await client.close();
      }
    } finally {
      await h.close();
    }
  });
});

describe('http mode: stateless JSON', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttp({ emulator, mode: 'http' });
  });
  afterAll(async () => {
    await h.close();
  });

  it.each(['modern', 'legacy'] as Era[])(
    'serves the %s era with JSON only, without sessions',
    async (era) => {
      const { client, transport, types } = await recordingClient(h.url, era);
      expect(transport.sessionId).toBeUndefined();
      const seen: number[] = [];
      const result = await client.callTool(
        { name: 'slow_progress', arguments: { steps: 3 } },
        { onprogress: (p) => void seen.push(p.progress) },
      );
      expect(textOf(result)).toBe('done after 3 steps');
      expect(seen).toEqual([]); // no streaming in this mode
      const count = await client.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
      expect(count.isError).toBeFalsy();
      for (const t of types) expect(t).toContain('application/json');
      expect(h.server.sessionCount).toBe(0);
      await client.close();
    },
  );

  it('has no GET stream on /mcp, and serves legacy SSE as the reference project does in every HTTP mode', async () => {
    const get = await fetch(h.mcpUrl, { headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    const ac = new AbortController();
    const sse = await fetch(new URL('/sse', h.url), { signal: ac.signal });
    expect(sse.status).toBe(200);
    expect(sse.headers.get('content-type')).toContain('text/event-stream');
    ac.abort();
  });
});

describe('legacy HTTP+SSE transport', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttp({ emulator, mode: 'streamable_http' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('serves an old client through GET /sse and POST /messages', async () => {
    const client = await connectSse(h.url);
    expect(h.server.sessionCount).toBe(1);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('read_records');
    const result = await client.callTool({
      name: 'read_records',
      arguments: { model: 'res.partner', ids: [1] },
    });
    expect(result.isError).toBeFalsy();
    const seen: number[] = [];
    const slow = await client.callTool(
      { name: 'slow_progress', arguments: { steps: 3 } },
      { onprogress: (p) => void seen.push(p.progress) },
    );
    expect(textOf(slow)).toBe('done after 3 steps');
    expect(seen.length).toBeGreaterThanOrEqual(1);
    await client.close();
    await expect.poll(() => h.server.sessionCount).toBe(0);
  });

  it('starts the stream with the endpoint event and refuses unknown or missing sessions', async () => {
    const ac = new AbortController();
    const res = await fetch(new URL('/sse', h.url), { signal: ac.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const { value } = await reader.read();
    const first = new TextDecoder().decode(value);
    expect(first).toMatch(/^event: endpoint\ndata: \/messages\?sessionId=[A-Za-z0-9_-]{43}\n\n/);
    const endpoint = /data: (\S+)/.exec(first)?.[1] ?? '';

    const post = (path: string, body: string) =>
      fetch(new URL(path, h.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await post('/messages?sessionId=nope', '{}')).status).toBe(404);
    expect((await post('/messages', '{}')).status).toBe(400);
    // Not a JSON-RPC message: accepted, and answered on the stream with what is wrong.
    expect((await post(endpoint, '{"not":"json-rpc"}')).status).toBe(202);
    // A real message is accepted (202) and its answer arrives on the stream.
    const ok = await post(endpoint, INIT_BODY);
    expect(ok.status).toBe(202);
    let text = '';
    while (!text.includes('"id":1')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    expect(text).toContain('event: message');
    expect(text).toContain('"protocolVersion"');
    expect(text).toContain('"code":-32600');
    ac.abort();
    await expect.poll(() => h.server.sessionCount).toBe(0);
  });
});
