// Tool calls per second and latency of the HTTP front with 32 concurrent MCP clients (the SDK's
// client over real loopback HTTP) calling search_records against the Odoo emulator, for 2026-07-28
// (stateless) and 2025-11-25 (sessions) clients. The server runs from the sources in this process;
// the emulator runs in its own process and the clients in worker processes (bench/http-clients.ts),
// so that on a small machine the clients do not take the server's core.
// Run: npx tsx bench/http-load.ts [seconds per run, default 5] [client processes, default 2; 0 runs
// the clients in this process].
// Not a test: the figures depend on the machine.
import { configSchema } from '../src/config/schema.js';
import { createHttpServer } from '../src/http/server.js';
import { createServices } from '../src/mcp/server.js';
import { OdooClient } from '../src/odoo/client.js';
import { emulatorInChild } from './emulator-process.js';
import { cpuSeconds, openLoad } from './http-clients.js';

const SECONDS = Number(process.argv[2] ?? process.env.BENCH_SECONDS ?? 5);
const PROCESSES = Number(process.argv[3] ?? 2);
const CLIENTS = 32;
const WARMUP_SECONDS = 2;

const emulator = await emulatorInChild();
const config = configSchema.parse({
  odoo_url: emulator.url,
  database: emulator.database,
  username: 'admin',
  api_key: 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000',
  requests_per_minute: 0,
  pool_size: 16,
  logging: { level: 'ERROR' },
  http: { host: '127.0.0.1', port: 0 },
});
const odoo = OdooClient.fromConfig(config);
const services = createServices(odoo, config, { version: 'bench' });
const server = createHttpServer({ config, mode: 'streamable_http', odoo, services, version: 'bench' });
const { url } = await server.listen();
try {
  process.stdout.write(
    `HTTP front, ${CLIENTS} concurrent MCP clients (${PROCESSES > 0 ? `${PROCESSES} worker processes` : 'in the server process'}), search_records on res.partner (limit 5), ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per era, Odoo emulator 19.0 over JSON-2 in its own process, pool_size 16\n`,
  );
  for (const era of ['modern', 'legacy'] as const) {
    const load = await openLoad(url, era, CLIENTS, PROCESSES);
    try {
      await load.run(WARMUP_SECONDS);
      const cpu = [cpuSeconds(process.pid), cpuSeconds(emulator.pid)];
      const t = performance.now();
      const r = await load.run(SECONDS);
      const wall = (performance.now() - t) / 1000;
      const [server, odooCpu] = [cpuSeconds(process.pid), cpuSeconds(emulator.pid)].map(
        (c, i) => `${(((c - (cpu[i] ?? 0)) / wall) * 100).toFixed(0)}%`,
      );
      process.stdout.write(
        `${era === 'modern' ? '2026-07-28 stateless' : '2025-11-25 sessions '}: ${r.calls} calls, ${r.perSecond.toFixed(0)} calls/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.errors} errors; CPU of one core: server ${server}, emulator ${odooCpu}\n`,
      );
    } finally {
      await load.close();
    }
  }
} finally {
  await server.close();
  await odoo.close();
  await emulator.close();
}
