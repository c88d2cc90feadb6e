// Emulator throughput and latency of one search_read over each protocol, sequential and with 16
// concurrent keep-alive clients. Run: npx tsx bench/emulator.ts [seconds per run, default 5].
// Not a test: the figures depend on the machine; docs/benchmarks.md quotes a run.
import { Agent, request } from 'undici';
import { startEmulator } from '../src/emulator/index.js';
import { encodeMethodCall } from '../src/odoo/xmlrpc/codec.js';

const SECONDS = Number(process.argv[2] ?? process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = 16;
const KEY = 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000';

const domain: string[][] = [];
const fields = ['name', 'email', 'country_id'];

interface Call {
  path: string;
  headers: Record<string, string>;
  body: string;
  ok(status: number, body: string): boolean;
}

function calls(db: string): Record<string, Call> {
  const kwargs = { fields, limit: 20, order: 'id' };
  return {
    'JSON-RPC': {
      path: '/jsonrpc',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        method: 'call',
        params: {
          service: 'object',
          method: 'execute_kw',
          args: [db, 2, KEY, 'res.partner', 'search_read', [domain], kwargs],
        },
        id: 1,
      }),
      ok: (s, b) => s === 200 && b.includes('"result"'),
    },
    'JSON-2': {
      path: '/json/2/res.partner/search_read',
      headers: { 'content-type': 'application/json', authorization: `bearer ${KEY}`, 'x-odoo-database': db },
      body: JSON.stringify({ domain, ...kwargs }),
      ok: (s, b) => s === 200 && b.startsWith('['),
    },
    'XML-RPC': {
      path: '/xmlrpc/2/object',
      headers: { 'content-type': 'text/xml' },
      body: encodeMethodCall('execute_kw', [db, 2, KEY, 'res.partner', 'search_read', [domain], kwargs]),
      ok: (s, b) => s === 200 && !b.includes('<fault>'),
    },
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

interface Result {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
}

async function run(url: string, call: Call, workers: number, dispatcher: Agent): Promise<Result> {
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const res = await request(`${url}${call.path}`, {
        method: 'POST',
        headers: call.headers,
        body: call.body,
        dispatcher,
      });
      const text = await res.body.text();
      latencies.push(performance.now() - t0);
      if (!call.ok(res.statusCode, text))
        throw new Error(`unexpected answer ${res.statusCode}: ${text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function main(): Promise<void> {
  const emu = await startEmulator({ odooVersion: '19.0' });
  const dispatcher = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 30_000, pipelining: 1 });
  const rows: string[][] = [];
  try {
    for (const [name, call] of Object.entries(calls(emu.database))) {
      for (const workers of [1, CONCURRENCY]) {
        const r = await run(emu.url, call, workers, dispatcher);
        rows.push([
          name,
          workers === 1 ? 'sequential' : `${workers} clients`,
          String(r.requests),
          r.rps.toFixed(0),
          r.p50.toFixed(2),
          r.p99.toFixed(2),
        ]);
      }
    }
  } finally {
    await dispatcher.close();
    await emu.close();
  }
  const head = ['protocol', 'mode', 'requests', 'req/s', 'p50 ms', 'p99 ms'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(
    `Odoo emulator 19.0, res.partner search_read (20 rows, 3 fields), ${SECONDS} s per run, Node ${process.version}`,
  );
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

await main();
