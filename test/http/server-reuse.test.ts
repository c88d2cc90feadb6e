// The stateless legs reuse server instances across requests over the same services (mcp-endpoint.ts,
// ServerPool): concurrent requests still each get their own answer, per-user callers only ever their
// own Odoo user, and an exchange cut short never lends its server (with a handler still running on
// it) to the next request.
import type { McpServer } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema } from '../../src/config/schema.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { createServices, type ServerDeps } from '../../src/mcp/server.js';
import { OdooClient } from '../../src/odoo/client.js';
import { connectStreamable, type Era, KEYS, rawPost, withSlowTool } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ odooVersion: '19.0' });
});
afterAll(async () => {
  await emulator.close();
});

interface Harness {
  url: string;
  /** Server instances built so far. */
  built(): number;
  close(): Promise<void>;
}

/** The real surface, slow_progress, and `stubborn`: reports progress and ignores cancellation. */
function surface(deps: ServerDeps): McpServer {
  const server = withSlowTool(deps);
  server.registerTool(
    'stubborn',
    {
      description: 'test only: keeps reporting progress after its request was cancelled',
      inputSchema: z.object({ steps: z.number().int().min(1).max(100) }),
    },
    async ({ steps }, ctx) => {
      const token = ctx.mcpReq._meta?.progressToken;
      for (let i = 1; i <= steps; i++) {
        await new Promise((r) => setTimeout(r, 10));
        if (token !== undefined) {
          await ctx.mcpReq
            .notify({
              method: 'notifications/progress',
              params: { progressToken: token, progress: i, total: steps, message: `stubborn ${i}` },
            })
            .catch(() => undefined);
        }
      }
      return { content: [{ type: 'text', text: 'stubborn done' }] };
    },
  );
  return server;
}

async function start(mode: 'streamable_http' | 'http', perUser = false): Promise<Harness> {
  const config = configSchema.parse({
    odoo_url: emulator.url,
    database: emulator.database,
    ...(perUser ? {} : { username: 'admin', api_key: KEYS.admin }),
    requests_per_minute: 0,
    http: { host: '127.0.0.1', port: 0, per_user_odoo: perUser },
  });
  const odoo = OdooClient.fromConfig(config);
  const services = perUser ? undefined : createServices(odoo, config, { version: '0.0.0-test' });
  let built = 0;
  const server: HttpServer = createHttpServer({
    config,
    mode,
    odoo,
    services,
    version: '0.0.0-test',
    createServer: (deps) => {
      built++;
      return surface(deps);
    },
  });
  const { url } = await server.listen();
  return {
    url,
    built: () => built,
    async close() {
      await server.close();
      await odoo.close();
    },
  };
}

const ids = (result: unknown): number[] =>
  (
    (result as { structuredContent?: { records?: Array<{ id: number }> } }).structuredContent?.records ?? []
  ).map((r) => r.id);

describe('server instances reused across stateless requests', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start('streamable_http');
  });
  afterAll(async () => {
    await h.close();
  });

  it('serves one modern client after another without building a server per request', async () => {
    const { client } = await connectStreamable(h.url, 'modern');
    const before = h.built();
    for (let i = 0; i < 20; i++) {
      const r = await client.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
      expect(r.isError).toBeFalsy();
    }
    expect(h.built() - before).toBeLessThanOrEqual(1);
    await client.close();
  });

  it('gives each of many concurrent requests its own answer', async () => {
    const { client: probe } = await connectStreamable(h.url, 'modern');
    const all = ids(
      await probe.callTool({
        name: 'search_records',
        arguments: { model: 'res.partner', limit: 40, fields: ['name'], order: 'id asc' },
      }),
    );
    expect(all.length).toBe(40);
    const clients = await Promise.all(Array.from({ length: 16 }, () => connectStreamable(h.url, 'modern')));
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        clients.map(async ({ client }, i) => {
          const offset = (i * 7 + round) % 39;
          const r = await client.callTool({
            name: 'search_records',
            arguments: { model: 'res.partner', limit: 1, offset, fields: ['name'], order: 'id asc' },
          });
          expect(ids(r)).toEqual([all[offset]]);
        }),
      );
    }
    await Promise.all([probe, ...clients.map((c) => c.client)].map((c) => c.close()));
  });

  it('never lends a server whose exchange was cut short to the next request', async () => {
    // A's call is cancelled while its handler keeps running and reporting progress; B's first call
    // (same JSON-RPC id as A's) must see only its own progress.
    const a = await connectStreamable(h.url, 'modern');
    const cancelled = a.client.callTool(
      { name: 'stubborn', arguments: { steps: 30 } },
      { signal: AbortSignal.timeout(60), onprogress: () => undefined },
    );
    await expect(cancelled).rejects.toThrow();
    const b = await connectStreamable(h.url, 'modern');
    const seen: string[] = [];
    const r = await b.client.callTool(
      { name: 'slow_progress', arguments: { steps: 10, ms: 20 } },
      { onprogress: (p) => void seen.push(p.message ?? '') },
    );
    expect(r.isError).toBeFalsy();
    expect(seen.filter((m) => m.startsWith('stubborn'))).toEqual([]);
    expect(seen).toContain('step 10');
    await a.client.close();
    await b.client.close();
  });
});

describe('per-user identities with reused servers', () => {
  it.each([
    ['streamable_http', 'modern'],
    ['http', 'legacy'],
  ] as Array<['streamable_http' | 'http', Era]>)(
    'gives each caller only its own Odoo user (%s, %s)',
    async (mode, era) => {
      const h = await start(mode, true);
      try {
        const as = (login: 'admin' | 'apiportal') =>
          connectStreamable(h.url, era, { 'X-Odoo-Login': login, 'X-Odoo-Api-Key': KEYS[login] });
        const admins = await Promise.all([as('admin'), as('admin'), as('admin')]);
        const portals = await Promise.all([as('apiportal'), as('apiportal'), as('apiportal')]);
        const count = async (c: { client: Awaited<ReturnType<typeof as>>['client'] }) => {
          const r = await c.client.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
          return (r.structuredContent as { count: number }).count;
        };
        for (let round = 0; round < 4; round++) {
          const [adminCounts, portalCounts] = await Promise.all([
            Promise.all(admins.map(count)),
            Promise.all(portals.map(count)),
          ]);
          for (const n of adminCounts) expect(n).toBeGreaterThan(50);
          // The portal user's record rules show it only its own partner.
          for (const n of portalCounts) expect(n).toBe(1);
        }
        await Promise.all([...admins, ...portals].map((c) => c.client.close()));
      } finally {
        await h.close();
      }
    },
  );
});

describe('2025-era stateless requests (http mode)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start('http');
  });
  afterAll(async () => {
    await h.close();
  });

  it('reuses servers for requests, never one that answered an initialize', async () => {
    const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const init = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    expect((await rawPost(h.url, list)).status).toBe(200);
    const before = h.built();
    for (let i = 0; i < 10; i++) expect((await rawPost(h.url, list)).status).toBe(200);
    expect(h.built() - before).toBeLessThanOrEqual(1);
    // Each initialize needs a server no other request used it for, and leaves it unused after.
    const atInit = h.built();
    for (let i = 0; i < 3; i++) expect((await rawPost(h.url, init)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 3; i++) expect((await rawPost(h.url, list)).status).toBe(200);
    expect(h.built() - atInit).toBeGreaterThanOrEqual(2);
  });
});
