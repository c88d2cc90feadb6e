// Tool calls per second and latency of the HTTP front with 32 concurrent MCP clients (the SDK's
// client over real loopback HTTP) calling search_records against the Odoo emulator, for 2026-07-28
// (stateless) and 2025-11-25 (sessions) clients. Run: npx tsx bench/http-load.ts [seconds per run, default 5].
// Not a test: the figures depend on the machine.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { configSchema } from '../src/config/schema.js';
import { startEmulator } from '../src/emulator/index.js';
import { createHttpServer } from '../src/http/server.js';
import { createServices } from '../src/mcp/server.js';
import { OdooClient } from '../src/odoo/client.js';

const SECONDS = Number(process.argv[2] ?? process.env.BENCH_SECONDS ?? 5);
const CLIENTS = 32;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function run(url: string, era: 'modern' | 'legacy') {
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const client = new Client(
        { name: 'bench', version: '1' },
        era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
      );
      await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', url)));
      return client;
    }),
  );
  const latencies: number[] = [];
  let errors = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client, i) => {
      while (Date.now() < deadline) {
        const t = performance.now();
        const r = await client.callTool({
          name: 'search_records',
          arguments: { model: 'res.partner', limit: 5, offset: i % 20, fields: ['name', 'email'] },
        });
        latencies.push(performance.now() - t);
        if (r.isError) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.close()));
  latencies.sort((a, b) => a - b);
  return {
    era,
    calls: latencies.length,
    errors,
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

const emulator = await startEmulator({ odooVersion: '19.0' });
const config = configSchema.parse({
  odoo_url: emulator.url,
  database: emulator.database,
  username: 'admin',
  api_key: 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000',
  requests_per_minute: 0,
  pool_size: 16,
  http: { host: '127.0.0.1', port: 0 },
});
const odoo = OdooClient.fromConfig(config);
const services = createServices(odoo, config, { version: 'bench' });
const server = createHttpServer({ config, mode: 'streamable_http', odoo, services, version: 'bench' });
const { url } = await server.listen();
try {
  process.stdout.write(
    `HTTP front, ${CLIENTS} concurrent MCP clients, search_records on res.partner (limit 5), ${SECONDS} s per era, Odoo emulator 19.0 over JSON-2, pool_size 16\n`,
  );
  for (const era of ['modern', 'legacy'] as const) {
    const r = await run(url, era);
    process.stdout.write(
      `${era === 'modern' ? '2026-07-28 stateless' : '2025-11-25 sessions '}: ${r.calls} calls, ${r.perSecond.toFixed(0)} calls/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.errors} errors\n`,
    );
  }
} finally {
  await server.close();
  await odoo.close();
  await emulator.close();
}
