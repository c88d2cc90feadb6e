// Resource subscriptions over the real HTTP front, through the SDK's client in both eras: a
// 2025-11-25 session (resources/subscribe, updates on its GET stream) and 2026-07-28
// subscriptions/listen streams; changes made by a second client; what the emulator's request log
// shows once a subscription ends; per-user identities.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { sleep, until } from '../helpers/wait.js';
import {
  connectSse,
  connectStreamable,
  type Era,
  type HttpHarness,
  INIT_BODY,
  KEYS,
  rawPost,
  startHttp,
} from './helpers.js';

const POLL_MS = 150;

function collect(client: Client): string[] {
  const updates: string[] = [];
  client.setNotificationHandler('notifications/resources/updated', (n) => {
    updates.push(n.params.uri);
  });
  return updates;
}

/** Subscribes the way each era does; returns how to stop. */
async function subscribe(client: Client, era: Era, uris: string[]): Promise<() => Promise<void>> {
  if (era === 'legacy') {
    for (const uri of uris) await client.subscribeResource({ uri });
    return async () => {
      for (const uri of uris) await client.unsubscribeResource({ uri });
    };
  }
  const sub = await client.listen({ resourceSubscriptions: uris });
  expect(sub.honoredFilter.resourceSubscriptions).toEqual(uris);
  return () => sub.close();
}

const partnerReads = (e: Emulator) =>
  e.log.count((x) => x.model === 'res.partner' && x.modelMethod === 'search_read');

describe.each(['legacy', 'modern'] as const)('subscriptions over streamable HTTP (%s era)', (era) => {
  let h: HttpHarness;
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator({ odooVersion: '19.0' });
    h = await startHttp({ emulator, config: { subscriptions: { poll_seconds: POLL_MS / 1000 } } });
  });
  afterAll(async () => {
    await h.close();
    await emulator.close();
  });

  it('tells the subscriber about a change made by another client, and stops after unsubscribing', async () => {
    const watcher = await connectStreamable(h.url, era);
    const writer = await connectStreamable(h.url, era);
    const updates = collect(watcher.client);
    const created = await writer.client.callTool({
      name: 'create_records',
      arguments: { model: 'res.partner', values: { name: `Watched ${era}` } },
    });
    const id = (created.structuredContent as { ids: number[] }).ids[0];
    const uri = `odoo://res.partner/${id}`;
    const stop = await subscribe(watcher.client, era, [uri]);
    await sleep(1100);
    updates.length = 0;
    const written = await writer.client.callTool({
      name: 'update_records',
      arguments: { model: 'res.partner', ids: [id], values: { comment: 'seen?' } },
    });
    expect(written.isError).toBeFalsy();
    await until(() => updates.includes(uri));
    await stop();
    await sleep(POLL_MS);
    emulator.log.clear();
    await sleep(POLL_MS * 4);
    expect(partnerReads(emulator)).toBe(0);
    await writer.client.callTool({
      name: 'update_records',
      arguments: { model: 'res.partner', ids: [id], values: { comment: 'unseen' } },
    });
    const seen = updates.length;
    await sleep(POLL_MS * 4);
    expect(updates.length).toBe(seen);
    await watcher.client.close();
    await writer.client.close();
  });

  it(
    era === 'legacy' ? 'ends polling when the session is deleted' : 'ends polling when the stream closes',
    async () => {
      const watcher = await connectStreamable(h.url, era);
      await subscribe(watcher.client, era, ['odoo://res.partner/7', 'odoo://res.partner/8']);
      await sleep(POLL_MS * 2);
      // A 2025 session outlives its connection until DELETE or expiry; a listen stream ends with it.
      if (era === 'legacy') await watcher.transport.terminateSession();
      await watcher.client.close();
      await sleep(POLL_MS * 2);
      emulator.log.clear();
      await sleep(POLL_MS * 4);
      expect(emulator.log.count()).toBe(0);
    },
  );

  it('refuses a URI it cannot watch with a message that says what to do', async () => {
    const c = await connectStreamable(h.url, era);
    await expect(subscribe(c.client, era, ['odoo://res.partner/999999'])).rejects.toThrow(
      /no record with id 999999/,
    );
    await expect(subscribe(c.client, era, ['test://static-text'])).rejects.toThrow(/odoo:\/\/MODEL\/ID/);
    await c.client.close();
  });
});

describe('subscriptions/listen streams per client', () => {
  it('holds a client to subscriptions.max_streams_per_client open streams, and frees one when it closes', async () => {
    const emulator = await startEmulator({ odooVersion: '19.0' });
    const h = await startHttp({
      emulator,
      config: { subscriptions: { poll_seconds: 1, max_streams_per_client: 2 } },
    });
    try {
      const c = await connectStreamable(h.url, 'modern');
      const one = await c.client.listen({ resourceSubscriptions: ['odoo://res.partner/7'] });
      const two = await c.client.listen({ resourceSubscriptions: ['odoo://res.partner/8'] });
      await expect(c.client.listen({ resourceSubscriptions: ['odoo://res.partner/9'] })).rejects.toThrow(
        /already holds 2 subscriptions\/listen streams .*max_streams_per_client.*close one/,
      );
      await one.close();
      // The server hears the close shortly after the client.
      let three: Awaited<ReturnType<typeof c.client.listen>> | undefined;
      for (let tries = 0; !three && tries < 50; tries++) {
        three = await c.client
          .listen({ resourceSubscriptions: ['odoo://res.partner/9'] })
          .catch(() => sleep(60).then(() => undefined));
      }
      expect(three).toBeDefined();
      await three?.close();
      await sleep(300);
      await expect(c.client.listen({ resourceSubscriptions: ['odoo://res.partner/999999'] })).rejects.toThrow(
        /no record with id 999999/,
      );
      // A refused URI kept no slot.
      const again = await c.client.listen({ resourceSubscriptions: ['odoo://res.partner/10'] });
      await again.close();
      await two.close();
      await c.client.close();
    } finally {
      await h.close();
      await emulator.close();
    }
  });
});

describe('subscriptions in per-user mode', () => {
  let h: HttpHarness;
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ odooVersion: '19.0' });
    h = await startHttp({
      emulator,
      config: { http: { per_user_odoo: true }, subscriptions: { poll_seconds: POLL_MS / 1000 } },
    });
  });
  afterAll(async () => {
    await h.close();
    await emulator.close();
  });
  const headersOf = (login: keyof typeof KEYS) => ({ 'X-Odoo-Login': login, 'X-Odoo-Api-Key': KEYS[login] });

  it('2025 sessions of one identity, opened before either subscribes, share one poll per model', async () => {
    const a = await connectStreamable(h.url, 'legacy', headersOf('admin'));
    const b = await connectStreamable(h.url, 'legacy', headersOf('admin'));
    await a.client.subscribeResource({ uri: 'odoo://res.partner/7' });
    await b.client.subscribeResource({ uri: 'odoo://res.partner/8' });
    await sleep(POLL_MS);
    emulator.log.clear();
    await sleep(POLL_MS * 6);
    // One watcher: about one query per interval (6), where two watchers would make about 12.
    expect(partnerReads(emulator)).toBeGreaterThanOrEqual(4);
    expect(partnerReads(emulator)).toBeLessThanOrEqual(8);
    for (const c of [a, b]) {
      await c.transport.terminateSession();
      await c.client.close();
    }
  });

  it('streams of one identity share one poll per model', async () => {
    const a = await connectStreamable(h.url, 'modern', headersOf('admin'));
    const b = await connectStreamable(h.url, 'modern', headersOf('admin'));
    const subA = await a.client.listen({ resourceSubscriptions: ['odoo://res.partner/7'] });
    const subB = await b.client.listen({
      resourceSubscriptions: ['odoo://res.partner/8', 'odoo://res.partner/9'],
    });
    await sleep(POLL_MS);
    emulator.log.clear();
    await sleep(POLL_MS * 6);
    const polls = partnerReads(emulator);
    expect(polls).toBeGreaterThanOrEqual(3);
    // Two streams, three records: one query per interval, not one per stream.
    expect(polls).toBeLessThanOrEqual(7);
    await subA.close();
    await subB.close();
    await a.client.close();
    await b.client.close();
  });

  it.each(['legacy', 'modern'] as const)(
    'a user may watch only records Odoo lets them read (%s)',
    async (era) => {
      const portal = await connectStreamable(h.url, era, headersOf('apiportal'));
      const admin = await connectStreamable(h.url, era, headersOf('admin'));
      // The portal user's record rules show it only its own partner; admin sees partner 7.
      await expect(subscribe(portal.client, era, ['odoo://res.partner/7'])).rejects.toThrow(
        /no record with id 7/,
      );
      const updates = collect(admin.client);
      const stop = await subscribe(admin.client, era, ['odoo://res.partner/7']);
      await sleep(1100);
      updates.length = 0;
      await admin.client.callTool({
        name: 'update_records',
        arguments: { model: 'res.partner', ids: [7], values: { comment: `per-user ${era}` } },
      });
      await until(() => updates.includes('odoo://res.partner/7'));
      await stop();
      await portal.client.close();
      await admin.client.close();
    },
  );
});

describe('subscriptions without a session', () => {
  it('refuses resources/subscribe in stateless http mode, saying what to use', async () => {
    const h = await startHttp({ mode: 'http' });
    const c = await connectStreamable(h.url, 'legacy');
    await expect(c.client.subscribeResource({ uri: 'odoo://res.partner/7' })).rejects.toThrow(
      /needs a session .*subscriptions\/listen/,
    );
    await c.client.close();
    await h.close();
  });
});

describe('subscriptions of legacy SSE sessions and expired sessions', () => {
  let h: HttpHarness;
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ odooVersion: '19.0' });
    h = await startHttp({
      emulator,
      config: { session_timeout_minutes: 0.02, subscriptions: { poll_seconds: POLL_MS / 1000 } },
    });
  });
  afterAll(async () => {
    await h.close();
    await emulator.close();
  });

  it('delivers updates on a legacy SSE session', async () => {
    const c = await connectSse(h.url);
    const updates = collect(c);
    await c.subscribeResource({ uri: 'odoo://res.partner/7' });
    await sleep(1100);
    updates.length = 0;
    await c.callTool({
      name: 'update_records',
      arguments: { model: 'res.partner', ids: [7], values: { comment: 'sse' } },
    });
    await until(() => updates.includes('odoo://res.partner/7'));
    await c.close();
  });

  it('stops polling when an idle session expires', async () => {
    const init = await rawPost(h.url, INIT_BODY);
    const sid = init.headers.get('mcp-session-id') ?? '';
    const headers = { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
    await rawPost(h.url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), headers);
    const sub = await rawPost(
      h.url,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        method: 'resources/subscribe',
        params: { uri: 'odoo://res.partner/7' },
      }),
      headers,
    );
    expect(sub.text).toContain('"result":{}');
    await sleep(POLL_MS * 2);
    expect(partnerReads(emulator)).toBeGreaterThan(0);
    await sleep(1700); // 0.02 min = 1.2 s idle, then the sweep
    expect(h.server.sessionCount).toBe(0);
    emulator.log.clear();
    await sleep(POLL_MS * 4);
    expect(emulator.log.count()).toBe(0);
  });
});
