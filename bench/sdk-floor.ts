// The least a server built on this SDK can spend on a search_records call over stateless HTTP
// (2026-07-28): the SDK's own handler (createMcpHandler, one pooled McpServer per exchange as the
// real server does), one tool with a four-field input schema that sends the same JSON-2
// search_read to Odoo and returns the rows as text. No auth, policy, metadata, formatting, output
// schema or logging. bench/figures.ts runs it beside the builds it measures, as a reference.
// Run: npx tsx bench/sdk-floor.ts --url ODOO --db DB --port PORT (ODOO_API_KEY in the environment)
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { Agent, request } from 'undici';
import { z } from 'zod';

const { values: opts } = parseArgs({
  options: { url: { type: 'string' }, db: { type: 'string' }, port: { type: 'string' } },
});
if (!opts.url || !opts.db || !opts.port) throw new Error('--url, --db and --port are required');
const url = `${opts.url}/json/2/res.partner/search_read`;
const headers = {
  'content-type': 'application/json',
  authorization: `bearer ${process.env.ODOO_API_KEY ?? ''}`,
  'x-odoo-database': opts.db,
};
const dispatcher = new Agent({ connections: 16 });

function instance(): McpServer {
  const server = new McpServer({ name: 'sdk-floor', version: '1' });
  server.registerTool(
    'search_records',
    {
      description: 'search_read of res.partner',
      inputSchema: z.object({
        model: z.string(),
        fields: z.array(z.string()).optional(),
        limit: z.number().int().optional(),
        offset: z.number().int().optional(),
      }),
    },
    async (args) => {
      const res = await request(url, {
        method: 'POST',
        dispatcher,
        headers,
        body: JSON.stringify({ domain: [], fields: args.fields, limit: args.limit, offset: args.offset }),
      });
      const rows = (await res.body.json()) as unknown[];
      return { content: [{ type: 'text', text: rows.map((r) => JSON.stringify(r)).join('\n') }] };
    },
  );
  return server;
}

const idle: McpServer[] = [];
const handler = createMcpHandler(
  () => {
    const server = idle.pop() ?? instance();
    const own = server.server.onclose;
    server.server.onclose = () => {
      server.server.onclose = own;
      own?.();
      idle.push(server);
    };
    return server;
  },
  { legacy: 'reject' },
);
const mcp = toNodeHandler(handler);
createServer((req, res) => {
  if (req.url === '/health') {
    res.end('ok');
    return;
  }
  void mcp(req, res);
}).listen(Number(opts.port), '127.0.0.1');
