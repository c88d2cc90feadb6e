// The whole MCP surface (every tool, resource template, prompt and completion) driven by the v1
// TypeScript SDK client (@modelcontextprotocol/sdk 1.x) over stdio, streamable HTTP, legacy
// HTTP+SSE and stateless HTTP. The v1 SDK is what most shipped clients embed (Claude Desktop,
// IDEs, agents), and it is stricter than our v2 tests: with its default validator it checks each
// tool's structuredContent against the tool's outputSchema with a draft-07 Ajv, so a schema that
// only the 2020-12 dialect understands (tuples as prefixItems...) makes a good answer fail there.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpHarness, startHttp } from '../http/helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const TOOLS = [
  'aggregate_records',
  'call_method',
  'count_records',
  'create_records',
  'delete_records',
  'describe_model',
  'list_models',
  'read_binary_field',
  'read_records',
  'search_records',
  'update_records',
];

const TEMPLATES = [
  'odoo://{model}/{id}',
  'odoo://{model}/list{?domain,fields,limit,offset,order}',
  'odoo://{model}/binary/{field}/{id}',
  'odoo://{model}/fields',
];

/** Read-only tool calls that need no record made beforehand: [label, tool, arguments]. */
const READ_CALLS: Array<[string, string, Record<string, unknown>]> = [
  [
    'search_records',
    'search_records',
    { model: 'res.partner', domain: [['is_company', '=', true]], fields: ['name', 'country_id'], limit: 3 },
  ],
  ['search_records (free text)', 'search_records', { model: 'res.partner', query: 'Deco Addict' }],
  ['count_records', 'count_records', { model: 'sale.order' }],
  [
    'aggregate_records',
    'aggregate_records',
    { model: 'sale.order', group_by: ['partner_id'], aggregates: ['amount_total:sum', '__count'] },
  ],
  [
    'aggregate_records (by month)',
    'aggregate_records',
    { model: 'sale.order', group_by: ['date_order:month'] },
  ],
  ['list_models', 'list_models', { query: 'sale' }],
  ['list_models (no query)', 'list_models', {}],
  // res.partner has selection fields: the default description, not a filtered one.
  ['describe_model res.partner (default)', 'describe_model', { model: 'res.partner' }],
  [
    'describe_model res.partner (fields)',
    'describe_model',
    { model: 'res.partner', fields: ['tz', 'active'] },
  ],
  ['describe_model crm.lead (query)', 'describe_model', { model: 'crm.lead', query: 'stage' }],
  ['call_method', 'call_method', { model: 'crm.lead', method: 'action_set_won', ids: [1] }],
];

type ToolResult = Awaited<ReturnType<Client['callTool']>>;
type Structured = Record<string, unknown>;

interface Connection {
  client: Client;
  close(): Promise<void>;
}

function textOf(result: ToolResult): string {
  const content = (result.content ?? []) as Array<{ type: string; text?: string }>;
  return content.find((c) => c.type === 'text')?.text ?? '';
}

function json(result: { contents: unknown[] }): Structured {
  const first = result.contents[0] as { text?: string } | undefined;
  return JSON.parse(first?.text ?? 'null') as Structured;
}

/** A v1 client with the SDK's defaults: its own Ajv validator, its latest protocol version. */
async function connectV1(transport: Transport): Promise<Client> {
  const client = new Client({ name: 'v1-compat', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

async function overHttp(
  mode: 'streamable_http' | 'http',
  transport: (h: HttpHarness) => Transport,
): Promise<Connection> {
  // Output schemas listed: the v1 client then checks every structured result against them.
  const h = await startHttp({
    mode,
    config: { logging: { level: 'WARNING' }, tools: { output_schemas: true } },
  });
  try {
    const client = await connectV1(transport(h));
    return {
      client,
      async close() {
        await client.close();
        await h.close();
      },
    };
  } catch (err) {
    await h.close();
    throw err;
  }
}

const TRANSPORTS: Array<[string, () => Promise<Connection>]> = [
  [
    'stdio (dist/cli.js --demo)',
    async () => {
      if (!existsSync(CLI))
        throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
      const client = await connectV1(
        new StdioClientTransport({
          command: process.execPath,
          args: [CLI, '--demo', '--log-level', 'WARNING'],
          env: { ...(process.env as Record<string, string>), ODOO_MCP_TOOLS_OUTPUT_SCHEMAS: 'true' },
          cwd: ROOT,
          stderr: 'pipe',
        }),
      );
      return { client, close: () => client.close() };
    },
  ],
  [
    'streamable HTTP with sessions (streamable_http mode, POST /mcp)',
    () => overHttp('streamable_http', (h) => new StreamableHTTPClientTransport(h.mcpUrl)),
  ],
  [
    'legacy HTTP+SSE (streamable_http mode, GET /sse + POST /messages)',
    () => overHttp('streamable_http', (h) => new SSEClientTransport(new URL('/sse', h.url))),
  ],
  [
    'legacy HTTP+SSE (http mode, GET /sse + POST /messages)',
    () => overHttp('http', (h) => new SSEClientTransport(new URL('/sse', h.url))),
  ],
  [
    'stateless JSON (http mode, POST /mcp)',
    () => overHttp('http', (h) => new StreamableHTTPClientTransport(h.mcpUrl)),
  ],
];

describe.each(TRANSPORTS)('v1 SDK client over %s', (_name, connect) => {
  let conn: Connection | undefined;
  let client: Client;
  /** A partner with a picture, made through create_records, for the binary tool and resource. */
  let pictureId: number;
  let decoId: number;

  const call = async (name: string, args: Record<string, unknown>) => {
    // The v1 client throws an McpError when structuredContent fails the tool's outputSchema; Ajv
    // lists every failing item (tens of kB on describe_model), so keep the head of it.
    const result = await client.callTool({ name, arguments: args }).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(`${name}: ${message.length > 600 ? `${message.slice(0, 600)} …` : message}`);
    });
    expect(result.isError, `${name} answered an error: ${textOf(result)}`).not.toBe(true);
    expect(result.structuredContent, `${name} gave no structuredContent`).toBeDefined();
    return { result, data: result.structuredContent as Structured };
  };

  beforeAll(async () => {
    conn = await connect();
    client = conn.client;
    // The v1 client compiles each tool's outputSchema when it lists the tools; callTool validates
    // against those only if listTools ran first.
    await client.listTools();
    const created = await client.callTool({
      name: 'create_records',
      arguments: { model: 'res.partner', values: { name: 'v1 compat picture', image_1920: PNG_1PX } },
    });
    [pictureId] = (created.structuredContent as { ids: [number] }).ids;
    const deco = await client.callTool({
      name: 'search_records',
      arguments: { model: 'res.partner', domain: [['name', '=', 'Deco Addict']], fields: ['name'], limit: 1 },
    });
    [decoId] = ((deco.structuredContent as { records: Array<{ id: number }> }).records ?? []).map(
      (r) => r.id,
    ) as [number];
  });

  afterAll(async () => {
    await conn?.close();
  });

  it('lists the eleven tools, each with an output schema (tools.output_schemas on)', async () => {
    // The in-process HTTP harness adds a test-only `slow_progress` tool; it is not ours to check.
    const tools = (await client.listTools()).tools.filter((t) => t.name !== 'slow_progress');
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    for (const t of tools) expect(t.outputSchema, t.name).toBeDefined();
  });

  it.each(READ_CALLS)('calls %s', async (_label, name, args) => {
    await call(name, args);
  });

  it('calls read_records', async () => {
    const { data } = await call('read_records', { model: 'res.partner', ids: [decoId, pictureId] });
    expect((data.records as Structured[]).map((r) => r.id)).toEqual([decoId, pictureId]);
  });

  it('calls read_records with a missing id', async () => {
    const { data } = await call('read_records', {
      model: 'res.partner',
      ids: [decoId, 999999],
      fields: ['name'],
    });
    expect(data.missing_ids).toEqual([999999]);
  });

  it('calls read_binary_field', async () => {
    const { result, data } = await call('read_binary_field', {
      model: 'res.partner',
      id: pictureId,
      field: 'image_1920',
    });
    expect(data).toMatchObject({ mime_type: 'image/png', empty: false });
    const content = result.content as Array<{ type: string; mimeType?: string }>;
    expect(content.find((c) => c.type === 'image')?.mimeType).toBe('image/png');
  });

  it('calls create_records, update_records and delete_records on a new partner', async () => {
    const created = await call('create_records', {
      model: 'res.partner',
      values: [{ name: 'v1 compat A', is_company: true }, { name: 'v1 compat B' }],
    });
    const ids = created.data.ids as number[];
    expect(ids).toHaveLength(2);
    const updated = await call('update_records', {
      model: 'res.partner',
      ids,
      values: { phone: '+1 555 0100', email: 'v1@example.com' },
    });
    expect(updated.data).toEqual({ ids });
    const deleted = await call('delete_records', { model: 'res.partner', ids });
    expect((deleted.data.deleted_ids as number[]).sort()).toEqual([...ids].sort());
  });

  it('lists the resource templates and the resources', async () => {
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual([...TEMPLATES].sort());
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toContain('odoo://instance/info');
    expect(uris).toContain('odoo://res.partner/list');
  });

  it('reads odoo://instance/info', async () => {
    const info = json(await client.readResource({ uri: 'odoo://instance/info' }));
    expect(info.odoo_version).toBe('19.0');
  });

  it('reads odoo://{model}/{id}', async () => {
    const r = await client.readResource({ uri: `odoo://res.partner/${decoId}` });
    expect(r.contents[0]?.mimeType).toBe('application/json');
    expect(json(r)).toMatchObject({ id: decoId, name: 'Deco Addict' });
  });

  it('reads odoo://{model}/list, bare and with query parameters', async () => {
    const bare = json(await client.readResource({ uri: 'odoo://res.partner/list' }));
    expect(bare.model).toBe('res.partner');
    const domain = encodeURIComponent(JSON.stringify([['is_company', '=', true]]));
    const page = json(
      await client.readResource({
        uri: `odoo://res.partner/list?domain=${domain}&fields=name,email&limit=2&offset=1&order=id`,
      }),
    );
    expect(page.records).toHaveLength(2);
  });

  it('reads odoo://{model}/fields', async () => {
    const body = json(await client.readResource({ uri: 'odoo://sale.order/fields' }));
    expect((body.fields as Record<string, { type: string }>).partner_id?.type).toBe('many2one');
  });

  it('reads odoo://{model}/binary/{field}/{id}', async () => {
    const r = await client.readResource({ uri: `odoo://res.partner/binary/image_1920/${pictureId}` });
    const c = r.contents[0] as { mimeType?: string; blob?: string };
    expect(c.mimeType).toBe('image/png');
    expect(c.blob).toBe(PNG_1PX);
  });

  it('lists the prompts and gets each one', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual([
      'customer_summary',
      'explore_model',
      'pipeline_review',
      'sales_report',
    ]);
    const gets: Array<[string, Record<string, string>, string]> = [
      ['explore_model', { model: 'crm.lead' }, 'crm.lead'],
      ['customer_summary', { customer: 'Deco Addict' }, 'Deco Addict'],
      [
        'sales_report',
        { date_from: '2024-01-01', date_to: '2024-12-31', group_by: 'month' },
        'date_order:month',
      ],
      ['sales_report', { date_from: '2024-01-01', date_to: '2024-12-31' }, 'partner_id'],
      ['pipeline_review', {}, 'crm.lead'],
      ['pipeline_review', { salesperson: 'Mitchell Admin' }, 'Mitchell Admin'],
    ];
    for (const [name, args, expected] of gets) {
      const p = await client.getPrompt({ name, arguments: args });
      const text = (p.messages[0]?.content as { text?: string } | undefined)?.text ?? '';
      expect(text, `${name} ${JSON.stringify(args)}`).toContain(expected);
    }
  });

  it('completes prompt arguments', async () => {
    const models = await client.complete({
      ref: { type: 'ref/prompt', name: 'explore_model' },
      argument: { name: 'model', value: 'crm.' },
    });
    expect(models.completion.values).toContain('crm.lead');
    const customers = await client.complete({
      ref: { type: 'ref/prompt', name: 'customer_summary' },
      argument: { name: 'customer', value: 'Deco' },
    });
    expect(customers.completion.values).toContain('Deco Addict');
  });

  it('completes resource template variables', async () => {
    const models = await client.complete({
      ref: { type: 'ref/resource', uri: 'odoo://{model}/{id}' },
      argument: { name: 'model', value: 'res.' },
    });
    expect(models.completion.values).toContain('res.partner');
    const fields = await client.complete({
      ref: { type: 'ref/resource', uri: 'odoo://{model}/binary/{field}/{id}' },
      argument: { name: 'field', value: 'image' },
      context: { arguments: { model: 'res.partner' } },
    });
    expect(fields.completion.values).toContain('image_1920');
  });
});
