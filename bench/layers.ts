// Where a search_records call's CPU goes, layer by layer, in one process with the emulator in
// another: the same page asked of Odoo over undici by hand, through our Odoo client, through our
// record service, through the SDK's HTTP handler with a one-tool server that returns a fixed text
// (the SDK's own share), and through the SDK's handler with our server (the whole tool call, no
// HTTP socket). Each layer's CPU per call minus the one below it is what that layer adds.
// Run: npx tsx bench/layers.ts [--calls N] [--concurrency N] [--layer TEXT: only the layers named so]
import { parseArgs } from 'node:util';
import type { McpHttpHandler } from '@modelcontextprotocol/server';
import { Agent, request } from 'undici';
import { configSchema } from '../src/config/schema.js';
import { createServer, createServices } from '../src/mcp/server.js';
import { OdooClient } from '../src/odoo/client.js';
import { emulatorInChild } from './emulator-process.js';
import { MODERN_HEADERS, modernSearch, oneToolServer, pooledHandler } from './sdk-parts.js';

const { values: opts } = parseArgs({
  options: {
    calls: { type: 'string', default: '4000' },
    concurrency: { type: 'string', default: '8' },
    layer: { type: 'string' },
  },
});
const CALLS = Number(opts.calls);
const CONCURRENCY = Number(opts.concurrency);
const KEY = 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000';
const FIELDS = ['name', 'email'];

const emulator = await emulatorInChild();
const config = configSchema.parse({
  odoo_url: emulator.url,
  database: emulator.database,
  username: 'admin',
  api_key: KEY,
  protocol: 'json2',
  requests_per_minute: 0,
});
const odoo = OdooClient.fromConfig(config);
const deps = createServices(odoo, config, { version: '0.0.0' });
const dispatcher = new Agent({ connections: CONCURRENCY });

const fixed = pooledHandler(() =>
  oneToolServer('a fixed answer', async () => ({
    content: [{ type: 'text', text: 'a fixed answer '.repeat(30) }],
  })),
);
const ours = pooledHandler(() => createServer(deps));

const args = (i: number) => ({ model: 'res.partner', limit: 5, offset: i % 20, fields: FIELDS });
const viaSdk = (handler: McpHttpHandler) => async (i: number) => {
  const res = await handler.fetch(
    new Request('http://bench/mcp', { method: 'POST', headers: MODERN_HEADERS }),
    {
      parsedBody: modernSearch(i, args(i)),
    },
  );
  const text = await res.text();
  if (!text.includes('"result"') || text.includes('"isError":true')) throw new Error(text.slice(0, 300));
};

const allLayers: Array<[string, (i: number) => Promise<unknown>]> = [
  [
    'the search_read by hand (undici)',
    async (i) => {
      const res = await request(`${emulator.url}/json/2/res.partner/search_read`, {
        method: 'POST',
        dispatcher,
        headers: {
          'content-type': 'application/json',
          authorization: `bearer ${KEY}`,
          'x-odoo-database': emulator.database,
        },
        body: JSON.stringify({ domain: [], fields: FIELDS, limit: 5, offset: i % 20 }),
      });
      return res.body.json();
    },
  ],
  [
    'our Odoo client (searchPage)',
    (i) => odoo.searchPage('res.partner', { domain: [], fields: FIELDS, offset: i % 20, limit: 5 }),
  ],
  ['our record service (records.search)', (i) => deps.records.search(args(i))],
  ["the SDK's handler, a one-tool server with a fixed answer", viaSdk(fixed)],
  ["the SDK's handler and our server: the whole tool call", viaSdk(ours)],
];

const layers = opts.layer ? allLayers.filter(([n]) => n.includes(opts.layer as string)) : allLayers;

async function cpuPerCall(f: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CALLS) await f(next++);
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / CALLS;
}

try {
  const results = new Map<string, number[]>();
  // Round 0 warms every layer up; rounds 1-3 are measured, one layer after the other.
  for (let round = 0; round < 4; round++) {
    for (const [name, f] of layers) {
      const us = await cpuPerCall(f);
      if (round > 0) results.set(name, [...(results.get(name) ?? []), us]);
    }
  }
  process.stdout.write(
    `node ${process.version}; ${CALLS} calls per layer and round, ${CONCURRENCY} at a time, median of 3 rounds after one to warm up; emulator 19.0 (JSON-2) in its own process\n\n| layer | CPU per call | added by the layer |\n|---|---|---|\n`,
  );
  let below = 0;
  for (const [name] of layers) {
    const sorted = [...(results.get(name) ?? [])].sort((a, b) => a - b);
    const us = sorted[1] ?? Number.NaN;
    const added = name.startsWith("the SDK's handler, a one")
      ? '(beside the others: the SDK alone)'
      : `${(us - below).toFixed(0)} µs`;
    process.stdout.write(`| ${name} | ${us.toFixed(0)} µs | ${added} |\n`);
    if (!name.startsWith("the SDK's handler, a one")) below = us;
  }
} finally {
  await odoo.close();
  await emulator.close();
}
