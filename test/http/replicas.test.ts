// Replicas behind a load balancer sharing state in Redis (state.redis_url): server processes of
// the built CLI, a real redis-server, a round-robin proxy. Skipped only where redis-server is not
// installed (scripts/ensure-redis.sh installs it; CI runs it first).
import { existsSync } from 'node:fs';
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import {
  type Balancer,
  CLI,
  freePort,
  hasRedis,
  type Listener,
  listenOn,
  postMcp,
  type RedisProcess,
  type Replica,
  sessionHeaders,
  startBalancer,
  startRedis,
  startReplica,
} from '../helpers/replicas.js';
import { sleep, until } from '../helpers/wait.js';

const REDIS = hasRedis();
if (!REDIS)
  console.warn('replicas.test.ts skipped: redis-server is not installed (run scripts/ensure-redis.sh)');

const call = (url: string, id: number) => postMcp(url, { jsonrpc: '2.0', id, method: 'tools/list' });

// Every replica is the built CLI.
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
});

describe.skipIf(!REDIS)('replicas sharing Redis', () => {
  let redis: RedisProcess;
  let replicas: Replica[] = [];
  let lb: Balancer;

  beforeAll(async () => {
    redis = await startRedis();
    const env = {
      ODOO_MCP_STATE_REDIS_URL: redis.url,
      ODOO_MCP_STATE_KEY_PREFIX: `test-${process.pid}:`,
      ODOO_MCP_REQUESTS_PER_MINUTE: '6',
      ODOO_MCP_RATE_LIMIT_MAX_WAIT_SECONDS: '0',
      ODOO_MCP_LOGGING_LEVEL: 'WARNING',
    };
    replicas = await Promise.all([startReplica(env), startReplica(env)]);
    lb = await startBalancer(() => replicas.map((r) => r.url));
  }, 60_000);
  afterAll(async () => {
    await lb?.close();
    await Promise.all(replicas.map((r) => r.kill()));
    await redis?.stop();
  });

  it('gives a client one rate-limit budget across replicas', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 8; i++) statuses.push((await call(lb.url, i)).status);
    // Round robin: four requests reached each replica; with their own counters all 8 would pass.
    expect(statuses.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(statuses.slice(6)).toEqual([429, 429]);
  });

  it('says in /ready whether Redis answers, refuses clearly while it does not, and recovers', async () => {
    const ready = await fetch(`${replicas[0]?.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', redis: 'ok' });

    await redis.stop();
    await sleep(5500); // past /ready's cache
    const down = await fetch(`${replicas[0]?.url}/ready`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ reason: 'the shared state (Redis) is not reachable' });
    const refused = await call(replicas[1]?.url as string, 99);
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /shared state \(Redis\) is unreachable.*state.redis_url/,
    );

    await redis.start();
    await sleep(2500); // the client reconnects within a second or so
    const back = await call(replicas[1]?.url as string, 100);
    expect(back.status).toBe(200);
  }, 30_000);
});

describe.skipIf(!REDIS)('2025-era sessions across three replicas', () => {
  let emulator: Emulator;
  let redis: RedisProcess;
  let replicas: Replica[] = [];
  let lb: Balancer;

  beforeAll(async () => {
    redis = await startRedis();
    // One Odoo behind all replicas, as in production.
    emulator = await startEmulator({ odooVersion: '19.0' });
    const env = {
      ODOO_URL: emulator.url,
      ODOO_DB: emulator.database,
      ODOO_USERNAME: 'admin',
      ODOO_API_KEY: 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000',
      ODOO_MCP_STATE_REDIS_URL: redis.url,
      ODOO_MCP_STATE_KEY_PREFIX: `test-sessions-${process.pid}:`,
      ODOO_MCP_SUBSCRIPTIONS_POLL_SECONDS: '0.2',
      ODOO_MCP_LOGGING_LEVEL: 'WARNING',
    };
    replicas = await Promise.all([startReplica(env), startReplica(env), startReplica(env)]);
    lb = await startBalancer(() => replicas.filter((r) => r.alive).map((r) => r.url));
  }, 60_000);
  afterAll(async () => {
    await lb?.close();
    await Promise.all(replicas.map((r) => r.kill()));
    await redis?.stop();
    await emulator?.close();
  });

  it("shares field metadata: one replica's fields_get serves the others", async () => {
    const count = (url: string) =>
      postMcp(url, {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'count_records', arguments: { model: 'crm.lead', domain: [['active', '=', true]] } },
      }).then((r) => r.text());
    const fieldsGets = () => emulator.log.count({ model: 'crm.lead', modelMethod: 'fields_get' });
    const before = fieldsGets();
    expect(await count(replicas[0]?.url as string)).toContain('crm.lead');
    const once = fieldsGets() - before;
    expect(once).toBeGreaterThanOrEqual(1);
    await count(replicas[1]?.url as string);
    await count(replicas[2]?.url as string);
    expect(fieldsGets() - before).toBe(once);
  });

  it('polls Odoo once per interval for the same record watched on every replica, and tells them all', async () => {
    const streams = await Promise.all(replicas.map((r) => listenOn(r.url, ['odoo://res.partner/8'])));
    await sleep(1100);
    for (const l of streams) l.seen.length = 0;
    const polls = await searchReadsIn2s(emulator, 'res.partner');
    // One poller for three replicas: about 10, where each polling alone would make about 30.
    expect(polls).toBeGreaterThanOrEqual(6);
    expect(polls).toBeLessThanOrEqual(13);
    await streams[2]?.client.callTool({
      name: 'update_records',
      arguments: { model: 'res.partner', ids: [8], values: { comment: 'lease' } },
    });
    await until(() => streams.every((l) => l.seen.length > 0), 5000, 'a notification on every replica');
    expect(streams.map((l) => l.seen.includes('odoo://res.partner/8'))).toEqual([true, true, true]);
    for (const l of streams) await l.close();
  }, 30_000);

  it('polls a list and a schema once per interval for all replicas, and tells them all', async () => {
    const list = `odoo://res.partner/list?domain=${encodeURIComponent('[["is_company","=",true]]')}&limit=5`;
    const streams = await Promise.all(
      replicas.map((r) => listenOn(r.url, [list, 'odoo://res.partner/fields'])),
    );
    await sleep(1100);
    for (const l of streams) l.seen.length = 0;
    emulator.log.clear();
    await sleep(2000); // 10 intervals of 0.2 s
    const lists = emulator.log.count({ model: 'res.partner', modelMethod: 'search_read' });
    const schemas = emulator.log.count({ model: 'ir.model.fields', modelMethod: 'search_read' });
    // One poller each for three replicas: about 10, where each polling alone would make about 30.
    expect(lists).toBeGreaterThanOrEqual(6);
    expect(lists).toBeLessThanOrEqual(13);
    expect(schemas).toBeGreaterThanOrEqual(6);
    expect(schemas).toBeLessThanOrEqual(13);
    const writer = streams[2]?.client as Client;
    const first = (await writer.callTool({
      name: 'search_records',
      arguments: { model: 'res.partner', domain: [['is_company', '=', true]], fields: ['name'], limit: 1 },
    })) as { structuredContent?: { records?: Array<{ id: number }> } };
    const id = first.structuredContent?.records?.[0]?.id as number;
    expect(id).toBeGreaterThan(0);
    await writer.callTool({
      name: 'update_records',
      arguments: { model: 'res.partner', ids: [id], values: { comment: 'list' } },
    });
    await until(() => streams.every((l) => l.seen.includes(list)), 5000, 'a list update on every replica');
    expect(streams.every((l) => !l.seen.includes('odoo://res.partner/fields'))).toBe(true);
    for (const l of streams) await l.close();
  }, 30_000);

  it('announces a change another replica made to a 2026-07-28 listen stream', async () => {
    const watcher = await listenOn(lb.url, ['odoo://res.partner/7']);
    const updates = watcher.seen;
    await sleep(1100);
    updates.length = 0;
    const writer = new Client({ name: 'writer', version: '1' });
    const writerTransport = new StreamableHTTPClientTransport(new URL('/mcp', lb.url));
    await writer.connect(writerTransport);
    // Round robin puts these on the other replicas.
    for (let i = 0; i < 3; i++) {
      await writer.callTool({
        name: 'update_records',
        arguments: { model: 'res.partner', ids: [7], values: { comment: `replica ${i}` } },
      });
    }
    await until(() => updates.includes('odoo://res.partner/7'), 5000, 'the notification');
    expect(updates).toContain('odoo://res.partner/7');
    await writerTransport.terminateSession();
    await writer.close();
    await watcher.close();
  }, 30_000);

  it('delivers 2025-11-25 resource updates on the GET stream, whichever replica it and the subscribe reach', async () => {
    const [a, b, c] = replicas as [Replica, Replica, Replica];
    const init = await postMcp(a.url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'subs', version: '1' } },
    });
    await init.text();
    const sid = init.headers.get('mcp-session-id') as string;
    const session = sessionHeaders(sid);
    const send = async (url: string, id: number, method: string, params: unknown) =>
      (await postMcp(url, { jsonrpc: '2.0', id, method, params }, session)).text();
    await (await postMcp(a.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, session)).text();
    const uri = 'odoo://res.partner/10';
    const updates = (text: string) => text.split(`"uri":"${uri}"`).length - 1;
    const write = (id: number, comment: string) =>
      send(a.url, id, 'tools/call', {
        name: 'update_records',
        arguments: { model: 'res.partner', ids: [10], values: { comment } },
      });

    // The stream on B, the subscribe through C: B watches what C recorded in Redis.
    let stream = await openStream(b.url, session);
    expect(await send(c.url, 2, 'resources/subscribe', { uri })).toContain('"result":{}');
    await sleep(1100); // past write_date's second
    await write(3, 'seen by B');
    await until(() => updates(stream.text) > 0, 5000, 'the update on B');

    // The connection to B breaks without B noticing (half open), and the client reconnects to C,
    // which takes the watching up: B closes its stale stream rather than watch twice.
    const stale = stream;
    stream = await openStream(c.url, session);
    await until(() => stale.ended, 5000, "B's stale stream closed");
    await sleep(1100);
    await write(4, 'seen by C');
    await until(() => updates(stream.text) > 0, 5000, 'the update on C');

    // Unsubscribed through B: no more updates, and no more polling once the session ends.
    expect(await send(b.url, 5, 'resources/unsubscribe', { uri })).toContain('"result":{}');
    await sleep(500);
    const before = updates(stream.text);
    await write(6, 'after unsubscribe');
    await sleep(1500);
    expect(updates(stream.text)).toBe(before);
    expect(await send(a.url, 7, 'resources/subscribe', { uri })).toContain('"result":{}');
    await sleep(500);
    emulator.log.clear();
    await sleep(600);
    // Watched again by C (the stream's replica), from a subscribe through A...
    expect(emulator.log.count({ model: 'res.partner', modelMethod: 'search_read' })).toBeGreaterThan(0);
    await fetch(`${b.url}/mcp`, { method: 'DELETE', headers: session });
    await sleep(500);
    emulator.log.clear();
    await sleep(1000);
    expect(emulator.log.count({ model: 'res.partner', modelMethod: 'search_read' })).toBe(0);
    stream.close();
  }, 30_000);

  it('serves a legacy HTTP+SSE session whose POSTs reach every replica', async () => {
    const client = new Client({ name: 'legacy-sse', version: '1' });
    await client.connect(new SSEClientTransport(new URL('/sse', lb.url)));
    // Round robin: the stream is on one replica, the messages go to all three.
    for (let i = 0; i < 6; i++) {
      const r = await client.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
      expect(r.isError).toBeFalsy();
    }
    await client.close();
  }, 30_000);

  it('resumes a broken stream on another replica from Last-Event-ID', async () => {
    const [a, b] = replicas.filter((r) => r.alive) as [Replica, Replica];
    const init = await postMcp(a.url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'resume', version: '1' },
      },
    });
    await init.text();
    const sid = init.headers.get('mcp-session-id') as string;
    const session = sessionHeaders(sid);
    await (await postMcp(a.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, session)).text();
    // A call that streams progress, then its result, on replica A.
    const call = await postMcp(
      a.url,
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: {
          name: 'search_records',
          arguments: { model: 'res.partner', fields: ['name'], limit: 2 },
          _meta: { progressToken: 'p' },
        },
      },
      session,
    );
    const sse = await call.text();
    const ids = [...sse.matchAll(/^id: (.+)$/gm)].map((m) => m[1] as string);
    expect(ids.length).toBeGreaterThanOrEqual(3); // priming, progress, result
    expect(sse).toContain('"id":2');
    // The client lost everything after the first event; it reconnects to replica B.
    const resumed = await fetch(`${b.url}/mcp`, {
      headers: { accept: 'text/event-stream', 'last-event-id': ids[0] as string, ...session },
    });
    expect(resumed.status).toBe(200);
    const replay = await resumed.text();
    expect(replay).toContain('notifications/progress');
    expect(replay).toContain('"id":2');
    // Exactly the events after the one given, under their own ids.
    expect([...replay.matchAll(/^id: (.+)$/gm)].map((m) => m[1])).toEqual(ids.slice(1));
    await fetch(`${a.url}/mcp`, { method: 'DELETE', headers: session });
  }, 30_000);

  it('serves one session from every replica, survives losing one, and ends everywhere on DELETE', async () => {
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', lb.url));
    const client = new Client({ name: 'replicas', version: '1' });
    await client.connect(transport);
    const sid = transport.sessionId as string;
    expect(sid).toBeTruthy();
    // Round robin: these land on all three replicas, each serving the same session.
    for (let i = 0; i < 6; i++) {
      const r = await client.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
      expect(r.isError).toBeFalsy();
    }
    // Each replica answers for the session by itself.
    for (const r of replicas) {
      const res = await postMcp(r.url, { jsonrpc: '2.0', id: 7, method: 'tools/list' }, sessionHeaders(sid));
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('search_records');
    }
    // A legacy SSE stream on the replica about to go: its messages are taken by another.
    const sse = await fetch(`${replicas[0]?.url}/sse`, { headers: { accept: 'text/event-stream' } });
    const reader = (sse.body as ReadableStream<Uint8Array>).getReader();
    let events = '';
    while (!events.includes('sessionId=')) events += new TextDecoder().decode((await reader.read()).value);
    const messages = (events.match(/data: (\/messages\?sessionId=\S+)/) as RegExpMatchArray)[1] as string;
    const ping = () =>
      fetch(`${replicas[1]?.url}${messages}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
    expect((await ping()).status).toBe(202);
    while (!events.includes('"id":1')) events += new TextDecoder().decode((await reader.read()).value);
    // A replica goes away mid-session: the others carry on with it.
    await replicas[0]?.kill();
    // ... but a legacy SSE session lives on its stream: gone with it, said so rather than accepted.
    expect((await ping()).status).toBe(404);
    for (let i = 0; i < 4; i++) {
      const r = await client.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
      expect(r.isError).toBeFalsy();
    }
    await transport.terminateSession();
    await sleep(300);
    for (const r of replicas.slice(1)) {
      const res = await postMcp(r.url, { jsonrpc: '2.0', id: 8, method: 'tools/list' }, sessionHeaders(sid));
      expect(res.status).toBe(404);
    }
    await client.close();
  }, 60_000);

  it('goes on polling when a replica goes away, from the watermarks it left', async () => {
    const alive = replicas.filter((r) => r.alive);
    const watchers = await Promise.all(alive.map((r) => listenOn(r.url, ['odoo://res.partner/9'])));
    await sleep(1100);
    const last = watchers.at(-1) as Listener;
    last.seen.length = 0;
    // Every replica but the last one goes, the lease holder among them or not.
    for (const r of alive.slice(0, -1)) await r.kill();
    await last.client.callTool({
      name: 'update_records',
      arguments: { model: 'res.partner', ids: [9], values: { comment: 'takeover' } },
    });
    await until(() => last.seen.includes('odoo://res.partner/9'), 5000, 'the notification');
    expect(last.seen).toContain('odoo://res.partner/9');
    await last.close();
  }, 30_000);
});

/** The search_reads of `model` Odoo gets in the next 2 s (10 intervals of 0.2 s). */
async function searchReadsIn2s(emulator: Emulator, model: string): Promise<number> {
  emulator.log.clear();
  await sleep(2000);
  return emulator.log.count({ model, modelMethod: 'search_read' });
}

/** A session's GET stream, read as it comes. */
async function openStream(url: string, session: Record<string, string>) {
  const abort = new AbortController();
  const res = await fetch(`${url}/mcp`, {
    headers: { accept: 'text/event-stream', ...session },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  const stream = { text: '', ended: false, close: () => abort.abort() };
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      stream.text += decoder.decode(value, { stream: true });
    }
    stream.ended = true;
  })().catch(() => undefined);
  return stream;
}

describe.skipIf(!REDIS)('per-user sessions across replicas', () => {
  let redis: RedisProcess;
  let replicas: Replica[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    const env = {
      ODOO_MCP_STATE_REDIS_URL: redis.url,
      ODOO_MCP_HTTP_PER_USER_ODOO: 'true',
      ODOO_MCP_LOGGING_LEVEL: 'WARNING',
    };
    replicas = await Promise.all([startReplica(env), startReplica(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.kill()));
    await redis?.stop();
  });

  const as = (login: string, key: string) => ({ 'X-Odoo-Login': login, 'X-Odoo-Api-Key': key });
  const ADMIN = as('admin', 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000');
  const APIUSER = as('apiuser', 'APIUSER_API_KEY_40_HEX_PLACEHOLDER_00000');

  it('another replica serves the session to its own credentials only; none are stored in Redis', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', a.url), {
      requestInit: { headers: ADMIN },
    });
    const client = new Client({ name: 'per-user-replicas', version: '1' });
    await client.connect(transport);
    const sid = transport.sessionId as string;
    const ask = (headers: Record<string, string>) =>
      postMcp(b.url, { jsonrpc: '2.0', id: 3, method: 'tools/list' }, { ...sessionHeaders(sid), ...headers });
    expect((await ask(ADMIN)).status).toBe(200);
    expect((await ask(APIUSER)).status).toBe(403);
    const { execFileSync } = await import('node:child_process');
    const dump = execFileSync('redis-cli', ['-p', String(redis.port), '--scan'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((k) => execFileSync('redis-cli', ['-p', String(redis.port), 'dump', k], { encoding: 'latin1' }))
      .join('');
    expect(dump).not.toContain('ADMIN_API_KEY');
    await transport.terminateSession();
    await client.close();
  }, 30_000);
});

describe.skipIf(!REDIS)('per-user subscription polling across replicas', () => {
  let emulator: Emulator;
  let redis: RedisProcess;
  let replicas: Replica[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    emulator = await startEmulator({ odooVersion: '19.0' });
    const env = {
      ODOO_URL: emulator.url,
      ODOO_DB: emulator.database,
      ODOO_MCP_STATE_REDIS_URL: redis.url,
      ODOO_MCP_HTTP_PER_USER_ODOO: 'true',
      ODOO_MCP_SUBSCRIPTIONS_POLL_SECONDS: '0.2',
      ODOO_MCP_LOGGING_LEVEL: 'WARNING',
    };
    replicas = await Promise.all([startReplica(env), startReplica(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.kill()));
    await redis?.stop();
    await emulator?.close();
  });

  const as = (login: string, key: string) => ({ 'X-Odoo-Login': login, 'X-Odoo-Api-Key': key });

  it('polls once per interval per identity, whichever replicas its streams are on', async () => {
    const uri = 'odoo://res.partner/11';
    const admin = as('admin', 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000');
    const admins = await Promise.all(replicas.map((r) => listenOn(r.url, [uri], admin)));
    await sleep(1100);
    const one = await searchReadsIn2s(emulator, 'res.partner');
    // Two replicas, one identity: one poller (about 10, not about 20).
    expect(one).toBeGreaterThanOrEqual(6);
    expect(one).toBeLessThanOrEqual(13);
    // Another identity is polled with its own credentials, by its own lease.
    const other = await listenOn(
      replicas[1]?.url as string,
      [uri],
      as('apiuser', 'APIUSER_API_KEY_40_HEX_PLACEHOLDER_00000'),
    );
    await sleep(1100);
    const two = await searchReadsIn2s(emulator, 'res.partner');
    expect(two).toBeGreaterThanOrEqual(12);
    expect(two).toBeLessThanOrEqual(26);
    await admins[0]?.client.callTool({
      name: 'update_records',
      arguments: { model: 'res.partner', ids: [11], values: { comment: 'per user' } },
    });
    const all = [...admins, other];
    await until(() => all.every((l) => l.seen.includes(uri)), 5000, 'the update on every stream');
    for (const l of all) await l.close();
  }, 30_000);
});

describe('a replica without its Redis', () => {
  it('exits 1 at start, naming state.redis_url and what to do', async () => {
    const { spawnSync } = await import('node:child_process');
    const port = await freePort();
    const run = spawnSync(process.execPath, [CLI, 'streamable_http', '--demo', '--port', '0'], {
      env: { ...process.env, ODOO_MCP_STATE_REDIS_URL: `redis://:s3cret-pass@127.0.0.1:${port}` },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `cannot reach Redis at redis://:***@127.0.0.1:${port} (state.redis_url); start it, or unset state.redis_url`,
    );
    expect(run.stderr).not.toContain('s3cret-pass');
  }, 40_000);
});
