// The built CLI spawned as a real stdio MCP server (on --demo), driven by the SDK's client in both
// spec eras; and a raw session that checks every byte on stdout is a protocol frame.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeSurface } from '../../src/mcp/surface.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
});

describe.each([
  ['modern', { versionNegotiation: { mode: { pin: '2026-07-28' as const } } }],
  ['legacy', {}],
])('stdio server, %s era', (era, options) => {
  it('lists tools and answers a search against --demo', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, '--demo', '--log-level', 'WARNING'],
      cwd: ROOT,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'e2e', version: '1' }, options);
    await client.connect(transport);
    try {
      expect(client.getProtocolEra()).toBe(era);
      const { tools } = await client.listTools();
      expect(tools.length).toBe(11);
      // The bundle lists the schemas computed at build time: the same as the sources list.
      const expected = (await describeSurface()).tools;
      expect(tools.map((t) => [t.name, t.inputSchema, t.annotations])).toEqual(
        expected.map((t) => [t.name, t.inputSchema, t.annotations]),
      );
      const result = await client.callTool({
        name: 'search_records',
        arguments: { model: 'res.partner', query: 'Deco Addict', fields: ['name'] },
      });
      expect(result.isError).not.toBe(true);
      expect(JSON.stringify(result.structuredContent)).toContain('Deco Addict');
      const info = await client.readResource({ uri: 'odoo://instance/info' });
      expect((info.contents[0] as { text: string }).text).toContain('"odoo_version":"19.0"');
    } finally {
      await client.close();
    }
  });
});

describe('stdout discipline', () => {
  it('writes nothing but JSON-RPC frames to stdout, even with DEBUG logging', async () => {
    const child = spawn(process.execPath, [CLI, '--demo', '--log-level', 'DEBUG'], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    const send = (msg: unknown) => child.stdin.write(`${JSON.stringify(msg)}\n`);
    const waitFor = async (id: number) => {
      for (let i = 0; i < 200; i++) {
        if (stdout.split('\n').some((l) => l.includes(`"id":${id}`))) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no answer to request ${id}; stderr: ${stderr.slice(-500)}`);
    };
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    await waitFor(1);
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'count_records', arguments: { model: 'res.partner' } },
    });
    await waitFor(2);
    send({
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'count_records', arguments: { model: 'no.such' } },
    });
    await waitFor(3);
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      const frame = JSON.parse(line) as { jsonrpc?: string };
      expect(frame.jsonrpc).toBe('2.0');
    }
    // The logs went to stderr, and they never carry the demo API key.
    expect(stderr).toContain('Serving MCP over stdio');
    expect(stderr).not.toContain('ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000');
  });
});
