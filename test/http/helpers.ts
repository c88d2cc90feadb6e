// The HTTP front on a loopback port, backed by the Odoo emulator, with the logger captured; MCP
// clients of the SDK for each transport and era.
import { request as httpRequest } from 'node:http';
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { type Config, type ConfigInput, configSchema } from '../../src/config/schema.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logging/logger.js';
import { createServer, createServices, type ServerDeps } from '../../src/mcp/server.js';
import { OdooClient } from '../../src/odoo/client.js';

export const KEYS = {
  admin: 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000',
  apiuser: 'APIUSER_API_KEY_40_HEX_PLACEHOLDER_00000',
  apiportal: 'APIPORTAL_API_KEY_40_HEX_PLACEHOLDER_000',
} as const;

export type Era = 'modern' | 'legacy';

/** The real surface plus a `slow_progress` tool that reports progress, to watch streaming. */
export function withSlowTool(deps: ServerDeps): McpServer {
  const server = createServer(deps);
  server.registerTool(
    'slow_progress',
    {
      description: 'test only: reports progress, then answers',
      inputSchema: z.object({
        steps: z.number().int().min(1).max(20),
        ms: z.number().int().min(0).default(20),
      }),
    },
    async ({ steps, ms }, ctx) => {
      const token = ctx.mcpReq._meta?.progressToken;
      for (let i = 1; i <= steps; i++) {
        await new Promise((r) => setTimeout(r, ms));
        if (ctx.mcpReq.signal.aborted) break;
        if (token !== undefined) {
          await ctx.mcpReq.notify({
            method: 'notifications/progress',
            params: { progressToken: token, progress: i, total: steps, message: `step ${i}` },
          });
        }
      }
      return { content: [{ type: 'text', text: `done after ${steps} steps` }] };
    },
  );
  return server;
}

export interface HttpHarness {
  url: string;
  mcpUrl: URL;
  server: HttpServer;
  emulator: Emulator;
  config: Config;
  /** Every log line written (DEBUG and up). */
  logs: string[];
  close(): Promise<void>;
}

export async function startHttp(
  opts: {
    mode?: 'streamable_http' | 'http';
    config?: Partial<ConfigInput>;
    emulator?: Emulator;
    authTokens?: string[];
    fetch?: typeof fetch;
  } = {},
): Promise<HttpHarness> {
  const emulator = opts.emulator ?? (await startEmulator({ odooVersion: '19.0' }));
  const input = opts.config ?? {};
  const perUser = input.http?.per_user_odoo === true;
  const config = configSchema.parse({
    odoo_url: emulator.url,
    database: emulator.database,
    ...(perUser ? {} : { username: 'admin', api_key: KEYS.admin }),
    logging: { level: 'DEBUG' },
    ...input,
    http: { host: '127.0.0.1', port: 0, ...input.http },
  });
  const logs: string[] = [];
  const { logger, redact } = createLogger(config.logging, {
    secrets: [config.api_key],
    stderr: { write: (line: string) => void logs.push(line) },
  });
  const odoo = OdooClient.fromConfig(config, logger);
  const services = perUser
    ? undefined
    : createServices(odoo, config, { logger, redact, version: '0.0.0-test' });
  const server = createHttpServer({
    config,
    mode: opts.mode ?? 'streamable_http',
    odoo,
    services,
    authTokens: opts.authTokens,
    logger,
    redact,
    version: '0.0.0-test',
    createServer: withSlowTool,
    fetch: opts.fetch,
  });
  const { url } = await server.listen();
  return {
    url,
    mcpUrl: new URL('/mcp', url),
    server,
    emulator,
    config,
    logs,
    async close() {
      await server.close();
      await odoo.close();
      if (!opts.emulator) await emulator.close();
    },
  };
}

export function newClient(era: Era): Client {
  return new Client(
    { name: 'http-test', version: '1' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
}

export async function connectStreamable(
  url: string,
  era: Era,
  headers: Record<string, string> = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers } });
  const client = newClient(era);
  await client.connect(transport);
  return { client, transport };
}

export async function connectSse(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = newClient('legacy');
  await client.connect(new SSEClientTransport(new URL('/sse', url), { requestInit: { headers } }));
  return client;
}

/** The text of a tool result's first text block. */
export function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.find((c) => c.type === 'text')?.text ?? '';
}

/** Raw JSON-RPC over HTTP for the cases an SDK client would never send. */
export async function rawPost(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(new URL('/mcp', url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export const INIT_BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

/** A raw HTTP exchange with full control of the headers (Host included). */
export function rawHttp(
  url: string,
  opts: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    chunked?: boolean;
    /** The source address (another loopback address, e.g. 127.0.0.2, acts as another client). */
    localAddress?: string;
  },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const target = new URL(opts.path ?? '/mcp', url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: opts.method ?? 'POST',
        headers: opts.headers,
        ...(opts.localAddress ? { localAddress: opts.localAddress, agent: false } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) {
      if (opts.chunked) {
        const buf = Buffer.from(opts.body);
        for (let i = 0; i < buf.length; i += 16_384) req.write(buf.subarray(i, i + 16_384));
      } else req.write(opts.body);
    }
    req.end();
  });
}
