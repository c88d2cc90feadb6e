// Subscriptions over stdio with the built CLI on --demo, through the clients users have: the v2
// SDK client in both eras (resources/subscribe, subscriptions/listen) and the v1 SDK client.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as V1StdioTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { sleep, until } from '../helpers/wait.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const ENV = { ...process.env, ODOO_MCP_SUBSCRIPTIONS_POLL_SECONDS: '0.2' } as Record<string, string>;
const ARGS = [CLI, '--demo', '--log-level', 'WARNING'];

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
});

type Caller = { callTool(p: { name: string; arguments: Record<string, unknown> }): Promise<unknown> };

async function newPartner(c: Caller, name: string): Promise<number> {
  const created = (await c.callTool({
    name: 'create_records',
    arguments: { model: 'res.partner', values: { name } },
  })) as {
    structuredContent: { ids: number[] };
  };
  const id = created.structuredContent.ids[0] as number;
  await sleep(1100); // past the create's second on Odoo's clock
  return id;
}

const touch = (c: Caller, id: number, comment: string) =>
  c.callTool({ name: 'update_records', arguments: { model: 'res.partner', ids: [id], values: { comment } } });

describe.each(['modern', 'legacy'] as const)('stdio subscriptions, v2 client, %s era', (era) => {
  it('announces a change to a subscribed record', async () => {
    const client = new Client(
      { name: 'sub-e2e', version: '1' },
      era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
    );
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: ARGS,
        env: ENV,
        cwd: ROOT,
        stderr: 'pipe',
      }),
    );
    try {
      expect(client.getServerCapabilities()?.resources?.subscribe).toBe(true);
      const updates: string[] = [];
      client.setNotificationHandler('notifications/resources/updated', (n) => {
        updates.push(n.params.uri);
      });
      const id = await newPartner(client, `stdio ${era}`);
      const uri = `odoo://res.partner/${id}`;
      let stop: () => Promise<unknown>;
      if (era === 'modern') {
        const sub = await client.listen({ resourceSubscriptions: [uri] });
        expect(sub.honoredFilter).toEqual({ resourceSubscriptions: [uri] });
        stop = () => sub.close();
        await expect(client.listen({ resourceSubscriptions: ['odoo://res.partner/999999'] })).rejects.toThrow(
          /no record with id 999999/,
        );
      } else {
        await client.subscribeResource({ uri });
        stop = () => client.unsubscribeResource({ uri });
      }
      await touch(client, id, 'first');
      await until(() => updates.includes(uri));
      await stop();
      await sleep(700);
      const seen = updates.length;
      await touch(client, id, 'second');
      await sleep(700);
      expect(updates.length).toBe(seen);
    } finally {
      await client.close();
    }
  });
});

describe('stdio subscriptions, v1 SDK client', () => {
  it('subscribes and is told about the change', async () => {
    const client = new V1Client({ name: 'v1-sub', version: '1' });
    await client.connect(
      new V1StdioTransport({ command: process.execPath, args: ARGS, env: ENV, cwd: ROOT, stderr: 'pipe' }),
    );
    try {
      const updates: string[] = [];
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
        updates.push(n.params.uri);
      });
      const id = await newPartner(client as unknown as Caller, 'stdio v1');
      const uri = `odoo://res.partner/${id}`;
      await client.subscribeResource({ uri });
      await touch(client as unknown as Caller, id, 'v1');
      await until(() => updates.includes(uri));
    } finally {
      await client.close();
    }
  });
});
