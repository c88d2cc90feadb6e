// Reads one resource through a real MCP client connected in process: what `odoo-mcp-server read`
// prints is exactly what an MCP client would get.
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { createServer, type ServerDeps } from './server.js';

export async function readResourceText(deps: ServerDeps, uri: string): Promise<string> {
  const server = createServer(deps);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'odoo-mcp-server-cli', version: deps.version });
  await server.connect(serverSide);
  await client.connect(clientSide);
  try {
    const result = await client.readResource({ uri });
    return result.contents
      .map((c) =>
        'text' in c
          ? c.text
          : `[${c.mimeType ?? 'binary'} content, ${Math.round((c.blob.length * 3) / 4)} bytes, base64]\n${c.blob}`,
      )
      .join('\n');
  } finally {
    await client.close();
    await server.close();
  }
}
