// Resource subscriptions of the 2025-11-25 era on one connection (as over stdio): subscribe,
// change the record through a second client, receive notifications/resources/updated; deletions,
// list membership, unsubscribe, the per-session cap, refusals, and what it costs Odoo.
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { createServer, type ServerDeps } from '../../src/mcp/server.js';
import type { OdooClient } from '../../src/odoo/client.js';
import { emulatorServices } from '../helpers/mcp.js';
import { sleep, until } from '../helpers/wait.js';

const POLL_MS = 150;

interface Conn {
  client: Client;
  updates: string[];
  close(): Promise<void>;
}

async function connect(deps: ServerDeps): Promise<Conn> {
  const server = createServer(deps);
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'sub-test', version: '1' });
  const updates: string[] = [];
  client.setNotificationHandler('notifications/resources/updated', (n) => {
    updates.push(n.params.uri);
  });
  await server.connect(b);
  await client.connect(a);
  return {
    client,
    updates,
    async close() {
      await client.close();
      await server.close();
    },
  };
}

const searchReads = (emulator: Emulator, model: string) =>
  emulator.log.count((e) => e.model === model && e.modelMethod === 'search_read');

describe('resources/subscribe (2025-11-25)', () => {
  let emulator: Emulator;
  let deps: ServerDeps;
  let odoo: OdooClient;
  let conn: Conn;

  beforeAll(async () => {
    emulator = await startEmulator({ odooVersion: '19.0' });
  });
  afterAll(async () => {
    await emulator.close();
  });
  afterEach(async () => {
    await conn?.close();
    deps?.watcher.close();
    await odoo?.close();
    emulator.reset();
  });

  async function open(config: Record<string, unknown> = {}) {
    ({ deps, odoo } = emulatorServices(emulator, {
      subscriptions: { poll_seconds: POLL_MS / 1000, ...config },
    }));
    conn = await connect(deps);
    return conn;
  }

  it('declares resources.subscribe', async () => {
    const c = await open();
    expect(c.client.getServerCapabilities()?.resources?.subscribe).toBe(true);
  });

  it('reports a write to a subscribed record within one interval, and its deletion', async () => {
    const c = await open();
    const [id] = (await odoo.create('res.partner', [{ name: 'Watched' }])) as number[];
    const uri = `odoo://res.partner/${id}`;
    await sleep(2100); // the create's second is over even on Odoo's clock as the Date header gives it
    await c.client.subscribeResource({ uri });
    await sleep(POLL_MS * 3);
    expect(c.updates).toEqual([]);
    await odoo.write('res.partner', [id as number], { comment: 'changed' });
    const written = Date.now();
    await until(() => c.updates.length > 0);
    expect(Date.now() - written).toBeLessThan(POLL_MS * 2 + 1000);
    expect(c.updates).toEqual([uri]);
    // A write read within its own second is reported once more when that second is over (another
    // write in the same second would carry the same write_date); never more.
    await sleep(2500);
    expect(c.updates.length).toBeLessThanOrEqual(2);
    const before = c.updates.length;
    await odoo.unlink('res.partner', [id as number]);
    await until(() => c.updates.length > before);
    await sleep(POLL_MS * 4);
    // Reported once: a deleted record is not polled again.
    expect(c.updates).toHaveLength(before + 1);
    expect(new Set(c.updates)).toEqual(new Set([uri]));
  });

  it('a watch from a mark taken earlier (on another replica) reports a change made in between, at once', async () => {
    ({ deps, odoo } = emulatorServices(emulator, { subscriptions: { poll_seconds: 60 } }));
    const [id] = (await odoo.create('res.partner', [{ name: 'Handed over' }])) as number[];
    await sleep(1100);
    const target = { kind: 'record' as const, model: 'res.partner', id: id as number };
    const mark = await deps.watcher.check(target);
    expect(deps.watcher.size).toBe(0); // checked, not watched
    const heard: string[] = [];
    // Unchanged since the mark: nothing to report.
    const same = await deps.watcher.watch(target, () => heard.push('same'), undefined, mark);
    await sleep(50);
    expect(heard).toEqual([]);
    same();
    await odoo.write('res.partner', [id as number], { comment: 'in between' });
    const after = await deps.watcher.watch(target, () => heard.push('after'), undefined, mark);
    await sleep(50);
    // Long before the first poll (60 s): reported from the mark alone.
    expect(heard).toEqual(['after']);
    after();
  });

  it('costs one search_read per interval for all record subscriptions of a model', async () => {
    const c = await open();
    for (const id of [7, 8, 9, 10, 11]) await c.client.subscribeResource({ uri: `odoo://res.partner/${id}` });
    emulator.log.clear();
    const polls = deps.watcher.polls;
    await until(() => deps.watcher.polls >= polls + 3);
    const rounds = deps.watcher.polls - polls;
    expect(searchReads(emulator, 'res.partner')).toBeGreaterThanOrEqual(rounds - 1);
    expect(searchReads(emulator, 'res.partner')).toBeLessThanOrEqual(rounds + 1);
    expect(emulator.log.count()).toBe(searchReads(emulator, 'res.partner'));
  });

  it('stops polling once nothing is subscribed, and when the session ends', async () => {
    const c = await open();
    await c.client.subscribeResource({ uri: 'odoo://res.partner/7' });
    await c.client.unsubscribeResource({ uri: 'odoo://res.partner/7' });
    await sleep(50);
    emulator.log.clear();
    await sleep(POLL_MS * 3);
    expect(emulator.log.count()).toBe(0);
    await c.client.subscribeResource({ uri: 'odoo://res.partner/8' });
    await c.close();
    await sleep(50);
    emulator.log.clear();
    await sleep(POLL_MS * 3);
    expect(emulator.log.count()).toBe(0);
    expect(deps.watcher.size).toBe(0);
  });

  it('no notification after unsubscribe, however often it was subscribed', async () => {
    const c = await open();
    await c.client.subscribeResource({ uri: 'odoo://res.partner/7' });
    await c.client.subscribeResource({ uri: 'odoo://res.partner/7' });
    await c.client.unsubscribeResource({ uri: 'odoo://res.partner/7' });
    expect(deps.watcher.size).toBe(0);
    await odoo.write('res.partner', [7], { comment: 'changed' });
    await sleep(POLL_MS * 3);
    expect(c.updates).toEqual([]);
  });

  it('reports a record entering and leaving a list, and a change to a member', async () => {
    const c = await open();
    const uri = `odoo://res.partner/list?domain=${encodeURIComponent(JSON.stringify([['city', '=', 'Subscribeville']]))}`;
    await c.client.subscribeResource({ uri });
    const [id] = (await odoo.create('res.partner', [
      { name: 'Sub Test', city: 'Subscribeville' },
    ])) as number[];
    await until(() => c.updates.length === 1);
    expect(c.updates[0]).toBe(uri);
    await sleep(1100); // a new second on Odoo's clock, so the write_date differs
    await odoo.write('res.partner', [id as number], { comment: 'member changed' });
    await until(() => c.updates.length === 2);
    await odoo.write('res.partner', [id as number], { city: 'Elsewhere' });
    await until(() => c.updates.length === 3);
    await sleep(POLL_MS * 3);
    expect(c.updates).toHaveLength(3);
  });

  it('a binary URI follows its record', async () => {
    const c = await open();
    await c.client.subscribeResource({ uri: 'odoo://res.partner/binary/image_128/7' });
    await odoo.write('res.partner', [7], { comment: 'x' });
    await until(() => c.updates.length > 0);
    expect(c.updates).toEqual(['odoo://res.partner/binary/image_128/7']);
  });

  it('refuses what it cannot watch, saying what to do', async () => {
    const c = await open();
    await expect(c.client.subscribeResource({ uri: 'odoo://res.partner/999999' })).rejects.toThrow(
      /no record with id 999999/,
    );
    await expect(c.client.subscribeResource({ uri: 'odoo://instance/info' })).rejects.toThrow(
      /does not change/,
    );
    await expect(c.client.subscribeResource({ uri: 'test://static-text' })).rejects.toThrow(
      /not an odoo:\/\/ URI; subscribe to odoo:\/\/MODEL\/ID/,
    );
    await expect(c.client.subscribeResource({ uri: 'odoo://res.partner/binary/nope/7' })).rejects.toThrow(
      /no binary field "nope"/,
    );
    await expect(c.client.subscribeResource({ uri: 'odoo://res.partner/binary/name/7' })).rejects.toThrow(
      /no binary field "name"/,
    );
    await expect(c.client.subscribeResource({ uri: 'odoo://res.users.apikeys/1' })).rejects.toThrow();
    await expect(c.client.subscribeResource({ uri: 'odoo://no.such.model/1' })).rejects.toThrow();
    expect(deps.watcher.size).toBe(0);
  });

  it('caps subscriptions per session', async () => {
    const c = await open({ max_per_session: 2 });
    await c.client.subscribeResource({ uri: 'odoo://res.partner/7' });
    await c.client.subscribeResource({ uri: 'odoo://res.partner/8' });
    // The same URI again is not a new subscription.
    await c.client.subscribeResource({ uri: 'odoo://res.partner/8' });
    await expect(c.client.subscribeResource({ uri: 'odoo://res.partner/9' })).rejects.toThrow(
      /already watches 2 resources \(subscriptions.max_per_session\)/,
    );
  });

  it('watches model schemas with one query for all of them', async () => {
    const c = await open();
    await c.client.subscribeResource({ uri: 'odoo://res.partner/fields' });
    await c.client.subscribeResource({ uri: 'odoo://sale.order/fields' });
    emulator.log.clear();
    const polls = deps.watcher.polls;
    await until(() => deps.watcher.polls >= polls + 3);
    const rounds = deps.watcher.polls - polls;
    const reads = emulator.log.count({ model: 'ir.model.fields', modelMethod: 'search_read' });
    expect(reads).toBeGreaterThanOrEqual(rounds - 1);
    expect(reads).toBeLessThanOrEqual(rounds + 1);
    expect(emulator.log.count()).toBe(reads);
    expect(c.updates).toEqual([]);
  });

  it('backs off while Odoo is down and reports a change made meanwhile once it is back', async () => {
    const c = await open();
    const logged: string[] = [];
    c.client.setNotificationHandler('notifications/message', (n) => {
      logged.push(`${n.params.level}: ${String(n.params.data)}`);
    });
    await c.client.setLoggingLevel('info');
    await c.client.subscribeResource({ uri: 'odoo://res.partner/7' });
    const troubles: string[] = [];
    deps.watcher.onTrouble((_level, message) => troubles.push(message));
    await emulator.stop();
    await until(() => troubles.length > 0);
    expect(troubles[0]).toMatch(/did not answer the subscription poll/);
    // The change Odoo makes while this server cannot reach it.
    emulator.orm.call({
      model: 'res.partner',
      method: 'write',
      args: [[7], { comment: 'while down' }],
      uid: 2,
      style: 'positional',
    });
    await emulator.restart();
    await until(() => c.updates.length > 0, 10_000);
    expect(c.updates).toEqual(['odoo://res.partner/7']);
    await until(() => troubles.some((t) => /resumed/.test(t)));
    // The session that asked for logs heard about both.
    expect(logged.some((l) => /^warning: Odoo did not answer the subscription poll/.test(l))).toBe(true);
    expect(logged).toContain('info: Odoo answers again; subscription polling resumed.');
  });
});
