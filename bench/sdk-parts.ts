// What the SDK-only reference servers (bench/sdk-floor.ts, bench/layers.ts) and the raw load
// clients (bench/http-clients.ts) share: a one-tool server, the SDK's handler over pooled
// instances, and a 2026-07-28 search_records request as the SDK's client sends it.
import { createMcpHandler, type McpHttpHandler, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

export type SearchArgs = { model: string; fields?: string[]; limit?: number; offset?: number };
type ToolResult = { content: Array<{ type: 'text'; text: string }> };

/** A server with one search_records tool (a four-field input schema) answered by `answer`. */
export function oneToolServer(name: string, answer: (args: SearchArgs) => Promise<ToolResult>): McpServer {
  const server = new McpServer({ name, version: '1' });
  server.registerTool(
    'search_records',
    {
      description: name,
      inputSchema: z.object({
        model: z.string(),
        fields: z.array(z.string()).optional(),
        limit: z.number().int().optional(),
        offset: z.number().int().optional(),
      }),
    },
    answer,
  );
  return server;
}

/** createMcpHandler over pooled instances, as the HTTP front serves the 2026-07-28 era. */
export function pooledHandler(make: () => McpServer): McpHttpHandler {
  const idle: McpServer[] = [];
  return createMcpHandler(
    () => {
      const server = idle.pop() ?? make();
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
}

/** The headers of a 2026-07-28 search_records call. */
export const MODERN_HEADERS = {
  accept: 'application/json, text/event-stream',
  'content-type': 'application/json',
  'mcp-method': 'tools/call',
  'mcp-name': 'search_records',
  'mcp-protocol-version': '2026-07-28',
};

/** Its body: the envelope in _meta. */
export const modernSearch = (id: number, args: SearchArgs) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: {
    name: 'search_records',
    arguments: args,
    _meta: {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': {},
    },
  },
});
