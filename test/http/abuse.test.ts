// Abuse of the HTTP front (issue 10): a client flooding sessions, the rate limit multiplied by
// sessions, slow senders, a Host header that carries a path, guessable tokens on a reachable
// address, and /ready telling strangers the Odoo version. Loopback only; other loopback source
// addresses (127.0.0.2, ...) stand for other anonymous clients where the system has them.
import { connect as netConnect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { configSchema } from '../../src/config/schema.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { WeakTokenError } from '../../src/http/auth.js';
import { createHttpServer, requestUrl } from '../../src/http/server.js';
import { OdooClient } from '../../src/odoo/client.js';
import { connectSse, type HttpHarness, INIT_BODY, rawHttp, rawPost, startHttp, textOf } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ odooVersion: '19.0' });
});
afterAll(async () => {
  await emulator.close();
});

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** Opens a 2025-era session with a raw initialize; its id, or undefined when refused. */
async function openSession(
  url: string,
  opts: { localAddress?: string; token?: string } = {},
): Promise<string | undefined> {
  const res = await rawHttp(url, {
    headers: {
      ...JSON_HEADERS,
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    body: INIT_BODY,
    localAddress: opts.localAddress,
  });
  const id = res.headers['mcp-session-id'];
  return res.status === 200 && typeof id === 'string' ? id : undefined;
}

/** A tools/list on a session: its HTTP status. */
async function useSession(
  url: string,
  id: string,
  opts: { localAddress?: string; token?: string } = {},
): Promise<number> {
  const res = await rawHttp(url, {
    headers: {
      ...JSON_HEADERS,
      'mcp-session-id': id,
      'mcp-protocol-version': '2025-11-25',
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    localAddress: opts.localAddress,
  });
  return res.status;
}

/** Whether this system routes all of 127/8 to loopback (Linux does; macOS has 127.0.0.1 only). */
async function hasLoopbackAlias(url: string): Promise<boolean> {
  try {
    await rawHttp(url, { method: 'GET', path: '/health', localAddress: '127.0.0.2' });
    return true;
  } catch {
    return false;
  }
}

describe('session caps per client', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttp({
      emulator,
      config: { requests_per_minute: 0, http: { max_sessions: 8, max_sessions_per_client: 5 } },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('lets an anonymous client that floods sessions evict only its own, never lock others out', async (ctx) => {
    if (!(await hasLoopbackAlias(h.url))) ctx.skip();
    // Another anonymous client (another address) holds two sessions.
    const other = [
      await openSession(h.url, { localAddress: '127.0.0.2' }),
      await openSession(h.url, { localAddress: '127.0.0.2' }),
    ];
    expect(other.every((id) => id !== undefined)).toBe(true);
    // The flooder opens 40.
    const flood: Array<string | undefined> = [];
    for (let i = 0; i < 40; i++) flood.push(await openSession(h.url, { localAddress: '127.0.0.1' }));
    // Each of its initializes succeeded: it only ever pushed out its own oldest sessions.
    expect(flood.every((id) => id !== undefined)).toBe(true);
    const stats = h.server.stats();
    expect(stats.sessions).toBeLessThanOrEqual(8);
    // The other client's sessions still work, and a third client gets in.
    for (const id of other)
      expect(await useSession(h.url, id as string, { localAddress: '127.0.0.2' })).toBe(200);
    const third = await openSession(h.url, { localAddress: '127.0.0.3' });
    expect(third).toBeDefined();
    expect(await useSession(h.url, third as string, { localAddress: '127.0.0.3' })).toBe(200);
    // The flooder's newest session works, its oldest is gone (404).
    expect(await useSession(h.url, flood.at(-1) as string)).toBe(200);
    expect(await useSession(h.url, flood[0] as string)).toBe(404);
    // Evicted sessions let go of their transport and server.
    await expect.poll(() => h.server.stats().transports).toBe(h.server.stats().sessions);
    expect(h.server.stats().evictedSessions).toBeGreaterThanOrEqual(35);
  });
});

describe('the total session cap', () => {
  const A = 'client-a-token-0123456789abcdef';
  const B = 'client-b-token-0123456789abcdef';
  const C = 'client-c-token-0123456789abcdef';
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttp({
      emulator,
      authTokens: [A, B, C],
      config: { requests_per_minute: 0, http: { max_sessions: 6, max_sessions_per_client: 4 } },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('makes room for a newcomer under its cap from the client holding the most', async () => {
    const a: Array<string | undefined> = [];
    for (let i = 0; i < 4; i++) a.push(await openSession(h.url, { token: A }));
    const b = [await openSession(h.url, { token: B }), await openSession(h.url, { token: B })];
    expect(h.server.sessionCount).toBe(6);
    // C is under its cap: it gets a session although all six are taken; A (4) gives one up.
    const c = await openSession(h.url, { token: C });
    expect(c).toBeDefined();
    expect(h.server.sessionCount).toBe(6);
    for (const id of b) expect(await useSession(h.url, id as string, { token: B })).toBe(200);
    expect(await useSession(h.url, a[0] as string, { token: A })).toBe(404);
    expect(await useSession(h.url, a[3] as string, { token: A })).toBe(200);
  });
});

describe('the rate limit counts per client, not per session', () => {
  it('lets one anonymous client with 8 sessions through no more than requests_per_minute', async () => {
    const h = await startHttp({
      emulator,
      config: { requests_per_minute: 10, rate_limit_max_wait_seconds: 0 },
    });
    try {
      const sessions: string[] = [];
      for (let i = 0; i < 8; i++) {
        const id = await openSession(h.url);
        if (id) sessions.push(id);
      }
      expect(sessions.length).toBe(8);
      // Nine calls on each session at once (distinct JSON-RPC ids within a session).
      const call = (n: number) =>
        JSON.stringify({
          jsonrpc: '2.0',
          id: n,
          method: 'tools/call',
          params: { name: 'count_records', arguments: { model: 'res.partner' } },
        });
      const results = await Promise.all(
        sessions.flatMap((id) =>
          Array.from({ length: 9 }, (_, n) =>
            rawPost(h.url, call(n + 10), { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' }),
          ),
        ),
      );
      const through = results.filter((r) => r.status === 200 && r.text.includes('"result"')).length;
      const limited = results.filter((r) => r.status === 429).length;
      // 8 initializes and the tool calls share one bucket of 10 (one more may refill meanwhile).
      expect(sessions.length + through).toBeLessThanOrEqual(11);
      expect(through).toBeGreaterThan(0);
      expect(limited).toBe(results.length - through);
    } finally {
      await h.close();
    }
  });

  it('behind a trusted proxy, counts the addresses it forwards for, not the proxy', async () => {
    const h = await startHttp({
      emulator,
      config: {
        requests_per_minute: 2,
        rate_limit_max_wait_seconds: 0,
        http: { trusted_proxies: ['127.0.0.1'] },
      },
    });
    try {
      const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
      const from = (ip: string) => rawPost(h.url, ping, { 'x-forwarded-for': ip });
      expect((await from('198.51.100.1')).status).toBe(200);
      expect((await from('198.51.100.1')).status).toBe(200);
      expect((await from('198.51.100.1')).status).toBe(429);
      expect((await from('198.51.100.2')).status).toBe(200);
      expect(h.server.rateLimitKeys).toBe(2);
    } finally {
      await h.close();
    }
  });

  it('spends the allowance of an address on failed token attempts, then checks no token from it', async () => {
    const token = 'good-token-0123456789abcdef0123';
    const h = await startHttp({
      emulator,
      authTokens: [token],
      config: { requests_per_minute: 5, rate_limit_max_wait_seconds: 0 },
    });
    const good = { authorization: `Bearer ${token}` };
    try {
      // Good tokens spend their own allowance, not the address's.
      for (let i = 0; i < 3; i++) expect((await rawPost(h.url, INIT_BODY, good)).status).toBe(200);
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        statuses.push(
          (await rawPost(h.url, INIT_BODY, { authorization: `Bearer guess-${i}-0123456789` })).status,
        );
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      // Once spent, a token from that address is not even checked: a right guess gains nothing.
      expect((await rawPost(h.url, INIT_BODY, good)).status).toBe(429);
      const ready = await fetch(new URL('/ready', h.url), { headers: good });
      expect(await ready.json()).toEqual({ status: 'ready' });
    } finally {
      await h.close();
    }
  });
});

describe('slow senders', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttp({
      emulator,
      config: { http: { headers_timeout_seconds: 0.4, body_timeout_seconds: 0.8 } },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  /** Sends `head` at once, then one byte of `trickle` every 50 ms until the server closes. */
  function trickle(head: string, drip: string): { socket: Socket; closed: Promise<string> } {
    const { port } = new URL(h.url);
    const socket = netConnect(Number(port), '127.0.0.1');
    let received = '';
    let i = 0;
    const timer = setInterval(() => {
      if (socket.writable) socket.write(drip[i++ % drip.length] as string);
    }, 50);
    socket.on('data', (d: Buffer) => {
      received += d.toString('latin1');
    });
    socket.on('error', () => undefined);
    const closed = new Promise<string>((resolve) => {
      socket.on('close', () => {
        clearInterval(timer);
        resolve(received);
      });
    });
    socket.write(head);
    return { socket, closed };
  }

  const bounded = <T>(p: Promise<T>, ms: number) =>
    Promise.race([p, new Promise<'still open'>((r) => setTimeout(() => r('still open'), ms))]);

  it('closes a connection that sends its headers one byte at a time (408)', async () => {
    const t = trickle('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: aaaaaaaaaaaaaaaaaaaa\r\n');
    const out = await bounded(t.closed, 5000);
    t.socket.destroy();
    expect(out).not.toBe('still open');
    expect(out).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a connection whose body trickles in (408)', async () => {
    const t = trickle(
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${INIT_BODY.length}\r\n\r\n`,
      INIT_BODY,
    );
    const out = await bounded(t.closed, 5000);
    t.socket.destroy();
    expect(out).not.toBe('still open');
    expect(out).toMatch(/^HTTP\/1\.1 408/);
    // The request it had started is over too (nothing waits for the rest of the body).
    await expect.poll(() => h.server.stats().inflight).toBe(0);
  });

  it('keeps long-lived streams open past both timeouts (GET /sse, GET /mcp)', async () => {
    const sse = await connectSse(h.url);
    const id = await openSession(h.url);
    expect(id).toBeDefined();
    const stream = new AbortController();
    const res = await fetch(new URL('/mcp', h.url), {
      headers: {
        accept: 'text/event-stream',
        'mcp-session-id': id as string,
        'mcp-protocol-version': '2025-11-25',
      },
      signal: stream.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    const ended = reader?.read().then((r) => r.done);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await bounded(ended ?? Promise.resolve(true), 10)).toBe('still open');
    const r = await sse.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
    expect(textOf(r)).not.toBe('');
    stream.abort();
    await sse.close();
  });
});

describe('the Host header', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttp({ emulator, config: { requests_per_minute: 0 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('never picks the route: a Host with a path or query is refused, not served as that path', async () => {
    const { host } = new URL(h.url);
    for (const bad of [`${host}/health?`, `${host}/health`, `${host}?x=1`, `${host}#frag`, `user@${host}`]) {
      const res = await rawHttp(h.url, { headers: { ...JSON_HEADERS, host: bad }, body: INIT_BODY });
      expect(res.status, bad).toBe(400);
      expect(res.text).not.toContain('"status":"ok"');
    }
    // A plain Host is served by the request's own path.
    const ok = await rawHttp(h.url, { headers: { ...JSON_HEADERS, host }, body: INIT_BODY });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('protocolVersion');
  });

  it('builds the request URL from the socket and the request target alone', () => {
    const url = requestUrl({ localAddress: '127.0.0.1', localPort: 8080 }, '/mcp?sessionId=x');
    expect(url.href).toBe('http://127.0.0.1:8080/mcp?sessionId=x');
    expect(requestUrl({ localAddress: '::1', localPort: 8080 }, '//evil.example/health').pathname).toBe(
      '//evil.example/health',
    );
  });
});

describe('bearer tokens on a non-loopback address', () => {
  const make = (authTokens: string[], host = '0.0.0.0') => {
    const config = configSchema.parse({
      odoo_url: emulator.url,
      username: 'admin',
      api_key: 'x',
      http: { host, port: 0, auth_tokens: authTokens },
    });
    const odoo = OdooClient.fromConfig(config);
    return () =>
      createHttpServer({ config, mode: 'streamable_http', odoo, services: {} as never, version: 't' });
  };
  const io = (env: Record<string, string | undefined>) => {
    const err: string[] = [];
    return {
      err,
      io: {
        env,
        cwd: '/nonexistent',
        out: () => {},
        err: (line: string) => void err.push(line),
        untilSignal: () => new Promise<void>(() => {}),
      },
    };
  };

  it('refuses a short token from the config (16 to 31 characters remotely, under 16 anywhere)', async () => {
    expect(make(['sixteen-chars-ok'])).toThrow(WeakTokenError);
    expect(make(['sixteen-chars-ok'])).toThrow(/openssl rand -hex 32/);
    expect(make(['sixteen-chars-ok'], '127.0.0.1')).not.toThrow();
    expect(make(['a-token-of-32-characters-0123456'])).not.toThrow();
    const t = io({ ODOO_MCP_HTTP_AUTH_TOKENS: '["abc"]' });
    const code = await main(['http', '--demo', '--host', '0.0.0.0', '--port', '0'], t.io);
    expect(code).not.toBe(0);
    expect(t.err.join('\n')).toMatch(/openssl rand -hex 32/);
  });

  it('refuses a 3-character ODOO_MCP_HTTP_TOKEN at start (exit 2), saying how to make a good one', async () => {
    const t = io({ ODOO_MCP_HTTP_TOKEN: 'x9q' });
    const code = await main(['http', '--demo', '--host', '0.0.0.0', '--port', '0'], t.io);
    expect(code).toBe(2);
    const text = t.err.join('\n');
    expect(text).toMatch(/3 characters/);
    expect(text).toMatch(/openssl rand -hex 32/);
    expect(text).not.toContain('x9q');
  });
});

describe('/ready', () => {
  const token = 'ready-token-0123456789abcdef0123';
  let h: HttpHarness;
  let down: HttpHarness;
  beforeAll(async () => {
    h = await startHttp({ emulator, authTokens: [token] });
    down = await startHttp({ emulator, authTokens: [token], config: { odoo_url: 'http://127.0.0.1:9' } });
  });
  afterAll(async () => {
    await h.close();
    await down.close();
  });

  it('tells a caller without valid auth only ready or not, an authenticated one the details', async () => {
    const anonymous: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong-token-0123456789abcdef' },
    ];
    for (const headers of anonymous) {
      const res = await fetch(new URL('/ready', h.url), { headers });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ready' });
      const bad = await fetch(new URL('/ready', down.url), { headers });
      expect(bad.status).toBe(503);
      expect(await bad.json()).toEqual({ status: 'unavailable' });
    }
    const authed = await fetch(new URL('/ready', h.url), { headers: { authorization: `Bearer ${token}` } });
    expect(await authed.json()).toMatchObject({ status: 'ready', odoo: '19.0', protocol: 'json2' });
    const authedDown = await fetch(new URL('/ready', down.url), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(JSON.stringify(await authedDown.json())).toContain('not reachable');
  });
});
