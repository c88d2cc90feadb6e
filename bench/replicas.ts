// Replicas sharing Redis: calls/s through a round-robin proxy with 1, 2 and 3 server processes (the
// built CLI) on one Odoo emulator, and the Odoo requests per poll interval when each replica holds a
// subscriptions/listen stream on the same record, list and schema. Needs redis-server (scripts/ensure-redis.sh).
// Run: npm run build && npx tsx bench/replicas.ts [--seconds 5] [--clients 16]
// Not a test: on a 2-core machine the clients, proxy and replicas share the cores, so the ratio
// shows contention as much as scaling.
import { parseArgs } from 'node:util';
import { startEmulator } from '../src/emulator/index.js';
import {
  hasRedis,
  listenOn,
  type Replica,
  startBalancer,
  startRedis,
  startReplica,
} from '../test/helpers/replicas.js';

const { values: opts } = parseArgs({
  options: { seconds: { type: 'string', default: '5' }, clients: { type: 'string', default: '16' } },
});
const SECONDS = Number(opts.seconds);
const CLIENTS = Number(opts.clients);
if (!hasRedis()) {
  console.error('redis-server is not installed: run scripts/ensure-redis.sh');
  process.exit(1);
}

const emulator = await startEmulator({ odooVersion: '19.0' });
const redis = await startRedis();
const env = {
  ODOO_URL: emulator.url,
  ODOO_DB: emulator.database,
  ODOO_USERNAME: 'admin',
  ODOO_API_KEY: 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000',
  ODOO_MCP_STATE_REDIS_URL: redis.url,
  ODOO_MCP_REQUESTS_PER_MINUTE: '0',
  ODOO_MCP_SUBSCRIPTIONS_POLL_SECONDS: '1',
  ODOO_MCP_LOGGING_LEVEL: 'ERROR',
};
const replicas: Replica[] = [];
for (let i = 0; i < 3; i++) replicas.push(await startReplica(env));

const body = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'count_records', arguments: { model: 'res.partner' } },
});
async function load(url: string): Promise<number> {
  let calls = 0;
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < end) {
        const res = await fetch(`${url}/mcp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body,
        });
        await res.text();
        if (res.ok) calls++;
      }
    }),
  );
  return calls / SECONDS;
}

console.log(
  `${CLIENTS} clients, ${SECONDS} s per run, stateless 2025 tools/call count_records, Odoo 19.0 emulator\n`,
);
console.log('| replicas | calls/s | vs 1 replica |');
console.log('|---|---|---|');
let one = 0;
for (const n of [1, 2, 3]) {
  const lb = await startBalancer(() => replicas.slice(0, n).map((r) => r.url));
  await load(lb.url); // warm-up
  const rate = await load(lb.url);
  if (n === 1) one = rate;
  console.log(`| ${n} | ${rate.toFixed(0)} | ${(rate / one).toFixed(2)}x |`);
  await lb.close();
}

// One listen stream per replica on the same record, list and schema.
const WATCHED = ['odoo://res.partner/7', 'odoo://crm.lead/list?limit=10', 'odoo://res.partner/fields'];
const streams = await Promise.all(replicas.map((r) => listenOn(r.url, WATCHED)));
await new Promise((r) => setTimeout(r, 1500));
emulator.log.clear();
await new Promise((r) => setTimeout(r, 10_000));
const per = (model: string) =>
  emulator.log.count((e) => e.model === model && e.modelMethod === 'search_read') / 10;
console.log(
  `\nOdoo requests per 1 s poll interval, one listen stream per replica on ${WATCHED.join(', ')} (one lease holder per kind polls for all replicas; target 1 each, 3 with each replica alone):`,
);
console.log('| watched | requests per interval |');
console.log('|---|---|');
console.log(`| record (res.partner search_read) | ${per('res.partner').toFixed(1)} |`);
console.log(`| list (crm.lead search_read) | ${per('crm.lead').toFixed(1)} |`);
console.log(`| schema (ir.model.fields search_read) | ${per('ir.model.fields').toFixed(1)} |`);
for (const s of streams) await s.close();
await Promise.all(replicas.map((r) => r.kill()));
await redis.stop();
await emulator.close();
