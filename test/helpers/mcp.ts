// An MCP client talking to the real server (createServer) over the SDK's HTTP handler in process,
// backed by the Odoo emulator on loopback. Either spec era can be pinned.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { type Config, type ConfigInput, configSchema } from '../../src/config/schema.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import type { OdooVersion } from '../../src/emulator/orm/types.js';
import { createServer, createServices, type ServerDeps } from '../../src/mcp/server.js';
import { OdooClient } from '../../src/odoo/client.js';

export type Era = 'modern' | 'legacy';
export const ERAS: Era[] = ['modern', 'legacy'];
export const ADMIN_KEY = 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000';

export interface Harness {
  client: Client;
  emulator: Emulator;
  odoo: OdooClient;
  deps: ServerDeps;
  config: Config;
  close(): Promise<void>;
}

/** The server's services on the emulator's admin, with `config` on top: what every harness serves. */
export function emulatorServices(emulator: Emulator, input: Partial<ConfigInput> = {}) {
  const config = configSchema.parse({
    odoo_url: emulator.url,
    database: emulator.database,
    username: 'admin',
    api_key: ADMIN_KEY,
    ...input,
  });
  const odoo = OdooClient.fromConfig(config);
  return { config, odoo, deps: createServices(odoo, config, { version: '0.0.0-test' }) };
}

export async function startHarness(opts: {
  version?: OdooVersion;
  era?: Era;
  config?: Partial<ConfigInput>;
  emulator?: Emulator;
}): Promise<Harness> {
  const emulator = opts.emulator ?? (await startEmulator({ odooVersion: opts.version ?? '19.0' }));
  const { config, odoo, deps } = emulatorServices(emulator, opts.config);
  const handler = createMcpHandler(() => createServer(deps));
  const transport = new StreamableHTTPClientTransport(new URL('http://mcp.test/mcp'), {
    fetch: (url, init) => handler.fetch(new Request(url, init)),
  });
  const client = new Client(
    { name: 'test', version: '1' },
    opts.era === 'modern' || opts.era === undefined
      ? { versionNegotiation: { mode: { pin: '2026-07-28' } } }
      : {},
  );
  await client.connect(transport);
  return {
    client,
    emulator,
    odoo,
    deps,
    config,
    async close() {
      await client.close();
      await handler.close();
      await odoo.close();
      if (!opts.emulator) await emulator.close();
    },
  };
}

/** The text of a tool result's first content block. */
export function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.find((c) => c.type === 'text')?.text ?? '';
}
