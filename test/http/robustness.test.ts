// Health and readiness, body limits, garbage, rate limiting, timeouts, graceful shutdown and the CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import {
  connectStreamable,
  type HttpHarness,
  INIT_BODY,
  rawHttp,
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

describe('health and readiness', () => {
  it('answers /health without calling Odoo and /ready after checking Odoo (cached)', async () => {
    const h = await startHttp({ emulator });
    try {
      const before = emulator.log.count();
      const health = await fetch(new URL('/health', h.url));
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect(emulator.log.count()).toBe(before);
      const ready = await fetch(new URL('/ready', h.url));
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', odoo: '19.0' });
      const afterFirst = emulator.log.count();
      expect(afterFirst).toBeGreaterThan(before);
      await fetch(new URL('/ready', h.url));
      expect(emulator.log.count()).toBe(afterFirst); // cached
    } finally {
      await h.close();
    }
  });

  it('says 503 when Odoo is unreachable or refuses the credentials', async () => {
    const down = await startHttp({ emulator, config: { odoo_url: 'http://127.0.0.1:9' } });
    const badKey = await startHttp({
      emulator,
      config: { api_key: 'NOT_THE_ADMIN_KEY_0000000000000000000000' },
    });
    try {
      const a = await fetch(new URL('/ready', down.url));
      expect(a.status).toBe(503);
      expect(await a.json()).toMatchObject({ status: 'unavailable' });
      const b = await fetch(new URL('/ready', badKey.url));
      expect(b.status).toBe(503);
      expect(JSON.stringify(await b.json())).toContain('refused the configured credentials');
      expect((await fetch(new URL('/health', down.url))).status).toBe(200);
    } finally {
      await down.close();
      await badKey.close();
    }
  });

  it('in per-user mode, is ready when Odoo answers', async () => {
    const h = await startHttp({ emulator, config: { http: { per_user_odoo: true } } });
    try {
      const r = await fetch(new URL('/ready', h.url));
      expect(r.status).toBe(200);
    } finally {
      await h.close();
    }
  });
});

describe('bad input', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttp({ emulator, config: { requests_per_minute: 0, http: { max_body_bytes: 4096 } } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses an oversized body with 413, declared or chunked', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'ping',
      params: { pad: 'x'.repeat(10_000) },
    });
    const declared = await rawPost(h.url, big);
    expect(declared.status).toBe(413);
    const chunked = await rawHttp(h.url, {
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: big,
      chunked: true,
    });
    expect(chunked.status).toBe(413);
    expect(chunked.text).toContain('too large');
  });

  it('answers malformed JSON with a JSON-RPC parse error', async () => {
    const res = await rawPost(h.url, '{"jsonrpc": "2.0", "id": 1, "method": ');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 }, id: null });
  });

  it('survives a few hundred garbage requests without leaking sessions', async () => {
    const garbage = [
      '{bad',
      '',
      'null',
      '42',
      '"text"',
      '[]',
      '[1,2,3]',
      '{}',
      '{"jsonrpc":"2.0"}',
      '{"jsonrpc":"2.0","id":1,"method":"tools/call"}',
      // (an initialize without params is no garbage: it is answered as a 2025-era initialize)
      '{"jsonrpc":"2.0","id":1,"method":"tools/call"}',
      `[${Array(50).fill(INIT_BODY).join(',')}]`,
      `${'['.repeat(2000)}${']'.repeat(2000)}`,
      Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 256)).toString('latin1'),
      '{"jsonrpc":"2.0","id":{"nested":true},"method":"tools/list"}',
    ];
    const statuses = new Map<number, number>();
    const sends: Array<Promise<void>> = [];
    for (let i = 0; i < 300; i++) {
      const body = garbage[i % garbage.length] as string;
      const extra: Record<string, string> =
        i % 3 === 0 ? { 'mcp-session-id': `fake-${i}`, 'mcp-protocol-version': '2025-11-25' } : {};
      sends.push(
        rawPost(h.url, body, extra).then((r) => {
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        }),
      );
    }
    await Promise.all(sends);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
    expect(h.server.sessionCount).toBe(0);
    // Still healthy and serving.
    expect((await fetch(new URL('/health', h.url))).status).toBe(200);
    const { client } = await connectStreamable(h.url, 'modern');
    const r = await client.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
    expect(r.isError).toBeFalsy();
    await client.close();
  });

  it('refuses unknown paths and methods', async () => {
    expect((await fetch(new URL('/nope', h.url))).status).toBe(404);
    expect((await fetch(new URL('/mcp', h.url), { method: 'PUT' })).status).toBe(405);
  });
});

describe('rate limiting', () => {
  it('refuses over the limit with 429, Retry-After and a JSON-RPC error, then recovers', async () => {
    const h = await startHttp({
      emulator,
      config: { requests_per_minute: 60, rate_limit_max_wait_seconds: 0 },
    });
    try {
      const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
      const results = await Promise.all(Array.from({ length: 60 }, () => rawPost(h.url, ping)));
      expect(results.every((r) => r.status !== 429)).toBe(true);
      const over = await rawPost(h.url, ping);
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toBe('1');
      expect(JSON.parse(over.text)).toMatchObject({
        jsonrpc: '2.0',
        error: { message: 'Rate limit exceeded; retry after 1 s' },
      });
      await new Promise((r) => setTimeout(r, 1100));
      expect((await rawPost(h.url, ping)).status).not.toBe(429);
      expect(h.server.rateLimitKeys).toBe(1);
    } finally {
      await h.close();
    }
  });

  it('lets a request over the limit wait for a slot up to rate_limit_max_wait_seconds', async () => {
    const h = await startHttp({
      emulator,
      config: { requests_per_minute: 60, rate_limit_max_wait_seconds: 2 },
    });
    try {
      const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
      await Promise.all(Array.from({ length: 60 }, () => rawPost(h.url, ping)));
      const started = Date.now();
      const waited = await rawPost(h.url, ping);
      expect(waited.status).not.toBe(429);
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    } finally {
      await h.close();
    }
  });
});

describe('timeouts and shutdown', () => {
  it('cancels a request that runs past request_timeout_seconds', async () => {
    const h = await startHttp({ emulator, mode: 'http', config: { http: { request_timeout_seconds: 0.3 } } });
    try {
      const { client } = await connectStreamable(h.url, 'legacy');
      await expect(
        client.callTool({ name: 'slow_progress', arguments: { steps: 10, ms: 100 } }),
      ).rejects.toThrow(/timed out|504/);
      // The server goes on serving.
      const r = await client.callTool({ name: 'slow_progress', arguments: { steps: 1, ms: 0 } });
      expect(textOf(r)).toBe('done after 1 steps');
      await client.close();
    } finally {
      await h.close();
    }
  });

  it('lets in-flight calls finish on close, then ends sessions and streams', async () => {
    const h = await startHttp({ emulator, config: { http: { shutdown_grace_seconds: 5 } } });
    const a = await connectStreamable(h.url, 'legacy');
    const b = await connectStreamable(h.url, 'modern');
    expect(h.server.sessionCount).toBe(1);
    const slowA = a.client.callTool({ name: 'slow_progress', arguments: { steps: 4, ms: 100 } });
    const slowB = b.client.callTool({ name: 'slow_progress', arguments: { steps: 4, ms: 100 } });
    await new Promise((r) => setTimeout(r, 50));
    const closing = h.close();
    expect(textOf(await slowA)).toBe('done after 4 steps');
    expect(textOf(await slowB)).toBe('done after 4 steps');
    await closing;
    expect(h.server.sessionCount).toBe(0);
    await expect(fetch(new URL('/health', h.url))).rejects.toThrow();
  });

  it('bounds the wait for in-flight calls by shutdown_grace_seconds', async () => {
    const h = await startHttp({ emulator, mode: 'http', config: { http: { shutdown_grace_seconds: 0.2 } } });
    const { client } = await connectStreamable(h.url, 'modern');
    const slow = client
      .callTool({ name: 'slow_progress', arguments: { steps: 20, ms: 200 } })
      .catch((e) => e);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await h.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await slow).toBeInstanceOf(Error);
  });
});

describe('the CLI', () => {
  const io = (env: Record<string, string | undefined> = {}) => {
    const err: string[] = [];
    let stop = () => {};
    const stopped = new Promise<void>((r) => {
      stop = r;
    });
    return {
      err,
      stop: () => stop(),
      io: {
        env,
        cwd: '/nonexistent',
        out: () => {},
        err: (line: string) => void err.push(line),
        untilSignal: () => stopped,
      },
    };
  };

  it('serves streamable_http --demo on the given port, logs the URL to stderr, stops on a signal', async () => {
    const t = io({ ODOO_MCP_HTTP_TOKEN: 'cli-token-0123456789abcdef' });
    const run = main(['streamable_http', '--demo', '--port', '0', '--log-level', 'ERROR'], t.io);
    await expect.poll(() => t.err.find((l) => l.includes('listening on')), { timeout: 10_000 }).toBeTruthy();
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)\/mcp/.exec(t.err.join('\n'))?.[1] ?? '';
    expect(url).not.toBe('');
    expect((await rawPost(url, INIT_BODY)).status).toBe(401);
    const { client } = await connectStreamable(url, 'modern', {
      authorization: 'Bearer cli-token-0123456789abcdef',
    });
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
    t.stop();
    expect(await run).toBe(0);
  });

  it('serves per-user mode with only odoo_url configured (no shared credential)', async () => {
    const t = io({ ODOO_URL: emulator.url, ODOO_DB: emulator.database, ODOO_MCP_HTTP_PER_USER_ODOO: 'true' });
    const run = main(['http', '--port', '0', '--log-level', 'ERROR'], t.io);
    await expect.poll(() => t.err.find((l) => l.includes('listening on')), { timeout: 10_000 }).toBeTruthy();
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)\/mcp/.exec(t.err.join('\n'))?.[1] ?? '';
    expect((await rawPost(url, INIT_BODY)).status).toBe(401);
    const { client } = await connectStreamable(url, 'modern', {
      'X-Odoo-Login': 'apiportal',
      'X-Odoo-Api-Key': 'APIPORTAL_API_KEY_40_HEX_PLACEHOLDER_000',
    });
    const r = await client.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
    expect((r.structuredContent as { count: number }).count).toBe(1);
    await client.close();
    t.stop();
    expect(await run).toBe(0);
  });

  it('refuses a non-loopback address without client auth (exit 2), naming the override flag', async () => {
    const t = io();
    const code = await main(['http', '--demo', '--host', '0.0.0.0', '--port', '0'], t.io);
    expect(code).toBe(2);
    expect(t.err.join('\n')).toContain('--allow-unauthenticated-remote');
  });
});
