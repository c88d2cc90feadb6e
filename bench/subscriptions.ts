// What resource subscriptions cost Odoo and how soon they tell: Odoo requests per poll interval
// with 1, 10 and 1,000 record subscriptions on one model, and the delay from a write in Odoo to
// the client's notifications/resources/updated. The MCP client, the server and the emulator run in
// this process; the emulator's request log counts what reached "Odoo".
// Run: npx tsx bench/subscriptions.ts [--poll 1] [--intervals 5] [--writes 10]
// Not a test: the delays depend on the machine; the request counts do not.
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { startEmulator } from '../src/emulator/index.js';
import { createServer } from '../src/mcp/server.js';
import { emulatorServices } from '../test/helpers/mcp.js';

const { values: opts } = parseArgs({
  options: {
    poll: { type: 'string', default: '1' },
    intervals: { type: 'string', default: '5' },
    writes: { type: 'string', default: '10' },
  },
});
const POLL_S = Number(opts.poll);
const INTERVALS = Number(opts.intervals);
const WRITES = Number(opts.writes);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const emulator = await startEmulator({ odooVersion: '19.0' });
const { deps, odoo } = emulatorServices(emulator, {
  subscriptions: { poll_seconds: POLL_S, max_per_session: 1000 },
});
const created = (await odoo.create(
  'res.partner',
  Array.from({ length: 1000 }, (_, i) => ({ name: `Bench subscriber ${i}` })),
)) as number[];
await sleep(2100); // the creates' second is over on Odoo's clock: no settling re-checks below

async function session() {
  const server = createServer(deps);
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'bench', version: '1' });
  const seen = new Map<string, number>();
  client.setNotificationHandler('notifications/resources/updated', (n) => {
    seen.set(n.params.uri, performance.now());
  });
  await server.connect(b);
  await client.connect(a);
  const close = async () => {
    await client.close();
    await server.close();
  };
  return { client, seen, close };
}

console.log(`poll_seconds ${POLL_S}, ${INTERVALS} intervals per count, Odoo 19.0 emulator\n`);
console.log('| record subscriptions (res.partner) | Odoo requests per interval | target |');
console.log('|---|---|---|');
for (const n of [1, 10, 1000]) {
  const s = await session();
  for (const id of created.slice(0, n)) await s.client.subscribeResource({ uri: `odoo://res.partner/${id}` });
  // Count whole rounds: start right after one, stop after INTERVALS more.
  const from = deps.watcher.polls;
  while (deps.watcher.polls === from) await sleep(5);
  emulator.log.clear();
  const start = deps.watcher.polls;
  while (deps.watcher.polls < start + INTERVALS) await sleep(5);
  const requests = emulator.log.count();
  console.log(`| ${n.toLocaleString('en')} | ${(requests / INTERVALS).toFixed(2)} | 1 |`);
  await s.close();
}

const s = await session();
const id = created[0] as number;
const uri = `odoo://res.partner/${id}`;
await s.client.subscribeResource({ uri });
const delays: number[] = [];
for (let i = 0; i < WRITES; i++) {
  // Spread the writes over the interval so the delay covers every phase of the poll cycle.
  await sleep(((i * 0.37) % 1) * POLL_S * 1000 + 1100);
  s.seen.delete(uri);
  const t0 = performance.now();
  await odoo.write('res.partner', [id], { comment: `bench ${i}` });
  while (!s.seen.has(uri)) await sleep(2);
  delays.push((s.seen.get(uri) as number) - t0);
}
await s.close();
delays.sort((a, b) => a - b);
const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? Number.NaN;
console.log(
  `\nwrite -> notification over ${WRITES} writes: median ${at(0.5).toFixed(0)} ms, max ${at(1).toFixed(0)} ms (target: at most one interval + 100 ms = ${(POLL_S * 1000 + 100).toFixed(0)} ms)`,
);
console.log(`Odoo requests with nothing subscribed, over ${INTERVALS} intervals:`);
emulator.log.clear();
await sleep(POLL_S * 1000 * INTERVALS);
console.log(`  ${emulator.log.count()}`);
deps.watcher.close();
await odoo.close();
await emulator.close();
