// The MCP surface as a client sees it (tools, resource templates, prompts), listed without any
// Odoo: for the committed snapshot and the generated reference in the README.
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { configSchema } from '../config/schema.js';
import { OdooClient } from '../odoo/client.js';
import { createServer, createServices } from './server.js';

export interface Surface {
  tools: Array<{
    name: string;
    title?: string;
    description?: string;
    inputSchema: unknown;
    outputSchema?: unknown;
    annotations?: unknown;
  }>;
  resourceTemplates: Array<{ uriTemplate: string; name: string; title?: string; description?: string }>;
  resources: Array<{ uri: string; name: string; description?: string }>;
  prompts: Array<{ name: string; title?: string; description?: string; arguments?: unknown }>;
}

/** The surface as listed; `outputSchemas` lists the tools' output schemas (tools.output_schemas). */
export async function describeSurface(
  version = '0.0.0',
  opts: { outputSchemas?: boolean } = {},
): Promise<Surface> {
  // Listing never calls Odoo; the URL is never dialled.
  const config = configSchema.parse({
    odoo_url: 'http://odoo.invalid',
    username: 'x',
    api_key: 'x',
    tools: { output_schemas: opts.outputSchemas ?? false },
  });
  const odoo = OdooClient.fromConfig(config);
  const server = createServer(createServices(odoo, config, { version }));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'surface', version });
  await server.connect(serverSide);
  await client.connect(clientSide);
  try {
    const { tools } = await client.listTools();
    const { resourceTemplates } = await client.listResourceTemplates();
    const { prompts } = await client.listPrompts();
    return {
      tools: tools.map((t) => ({
        name: t.name,
        title: t.title,
        description: t.description,
        inputSchema: t.inputSchema,
        outputSchema: t.outputSchema,
        annotations: t.annotations,
      })),
      resourceTemplates: resourceTemplates.map((r) => ({
        uriTemplate: r.uriTemplate,
        name: r.name,
        title: r.title,
        description: r.description,
      })),
      resources: [
        {
          uri: 'odoo://instance/info',
          name: 'instance-info',
          description: 'Odoo version, protocol, database, user, company, record URL pattern.',
        },
      ],
      prompts: prompts.map((p) => ({
        name: p.name,
        title: p.title,
        description: p.description,
        arguments: p.arguments,
      })),
    };
  } finally {
    await client.close();
    await server.close();
    await odoo.close();
  }
}
