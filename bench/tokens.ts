// What the model reads: bytes of our tool results for a fixed task set, next to the JSON Odoo's raw
// search_read returns for the same records (all fields, as a naive server passes them on; and with
// the same fields, to isolate the formatting). Run: npx tsx bench/tokens.ts
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { configSchema } from '../src/config/schema.js';
import { startEmulator } from '../src/emulator/index.js';
import { createServer, createServices } from '../src/mcp/server.js';
import { OdooClient } from '../src/odoo/client.js';

interface Task {
  label: string;
  tool: string;
  args: Record<string, unknown>;
}

const TASKS: Task[] = [
  {
    label: '20 companies',
    tool: 'search_records',
    args: { model: 'res.partner', domain: [['is_company', '=', true]], limit: 20 },
  },
  { label: '20 contacts (all partners)', tool: 'search_records', args: { model: 'res.partner', limit: 20 } },
  { label: '10 sales orders', tool: 'search_records', args: { model: 'sale.order', limit: 10 } },
  {
    label: '20 opportunities',
    tool: 'search_records',
    args: { model: 'crm.lead', domain: [['type', '=', 'opportunity']], limit: 20 },
  },
  { label: '20 products', tool: 'search_records', args: { model: 'product.product', limit: 20 } },
  { label: '20 invoices', tool: 'search_records', args: { model: 'account.move', limit: 20 } },
  { label: '5 orders by id', tool: 'read_records', args: { model: 'sale.order', ids: [1, 2, 3, 4, 5] } },
];

const emulator = await startEmulator({ odooVersion: '19.0' });
const config = configSchema.parse({
  odoo_url: emulator.url,
  database: emulator.database,
  username: 'admin',
  api_key: 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000',
  logging: { level: 'CRITICAL' },
});
const odoo = OdooClient.fromConfig(config);
const handler = createMcpHandler(() => createServer(createServices(odoo, config, { version: 'bench' })));
const client = new Client(
  { name: 'bench', version: '1' },
  { versionNegotiation: { mode: { pin: '2026-07-28' } } },
);
await client.connect(
  new StreamableHTTPClientTransport(new URL('http://bench.local/mcp'), {
    fetch: (url, init) => handler.fetch(new Request(url, init)),
  }),
);

const bytes = (v: unknown) => Buffer.byteLength(typeof v === 'string' ? v : JSON.stringify(v), 'utf8');
const rows: string[][] = [];
let sumText = 0;
let sumRawAll = 0;
let sumRawSame = 0;
for (const task of TASKS) {
  const result = await client.callTool({ name: task.tool, arguments: task.args });
  if (result.isError) throw new Error(`${task.label}: ${JSON.stringify(result.content)}`);
  const text =
    (result.content as Array<{ type: string; text?: string }>).find((c) => c.type === 'text')?.text ?? '';
  const structured = result.structuredContent as { records: Array<Record<string, unknown>> };
  const ids = structured.records.map((r) => r.id as number);
  const fields = Object.keys(structured.records[0] ?? {}).filter((f) => f !== 'id');
  const model = task.args.model as string;
  const rawAll = await odoo.execute(model, 'search_read', { kwargs: { domain: [['id', 'in', ids]] } });
  const rawSame = await odoo.execute(model, 'search_read', {
    kwargs: { domain: [['id', 'in', ids]], fields },
  });
  const t = bytes(text);
  sumText += t;
  sumRawAll += bytes(rawAll);
  sumRawSame += bytes(rawSame);
  rows.push([
    task.label,
    String(ids.length),
    String(t),
    String(bytes(structured)),
    String(bytes(rawAll)),
    String(bytes(rawSame)),
    (bytes(rawAll) / t).toFixed(1),
  ]);
}

const head = [
  'task',
  'records',
  'text B',
  'structured B',
  'raw all-fields B',
  'raw same-fields B',
  'raw/text',
];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
process.stdout.write(`${line(head)}\n${rows.map(line).join('\n')}\n\n`);
process.stdout.write(
  `total: text ${sumText} B; raw search_read all fields ${sumRawAll} B (${(sumRawAll / sumText).toFixed(1)}x); same fields ${sumRawSame} B (${(sumRawSame / sumText).toFixed(2)}x)\n`,
);

await client.close();
await handler.close();
await odoo.close();
await emulator.close();
