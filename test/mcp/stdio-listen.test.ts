// subscriptions/listen on the stdio wire, raw frames: a listen the SDK refuses, or one cancelled
// while its URIs are checked, leaves nothing watched (the emulator's log shows no more polls).
import { Client } from '@modelcontextprotocol/client';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { type StdioHarness, startStdio } from '../helpers/stdio.js';
import { sleep } from '../helpers/wait.js';

const POLL = { subscriptions: { poll_seconds: 0.1 } };
const reads = (h: StdioHarness) =>
  h.emulator.log.count((e) => e.model === 'res.partner' && e.modelMethod === 'search_read');
const listen = (id: number, uri: string) => ({
  jsonrpc: '2.0',
  id,
  method: 'subscriptions/listen',
  params: { notifications: { resourceSubscriptions: [uri] } },
});

describe('subscriptions/listen over stdio', () => {
  let h: StdioHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a 2025-era connection gets the SDK refusal and nothing is watched', async () => {
    h = await startStdio({ config: POLL });
    h.line(JSON.stringify(listen(5, 'odoo://res.partner/7')));
    const answer = await h.answer(5);
    expect(answer.error).toBeDefined();
    h.emulator.log.clear();
    await sleep(500);
    expect(reads(h)).toBe(0);
  });
});

/** The v2 client over the harness's streams, as a host speaks to a stdio server. */
class StreamsTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private seen = 0;
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly h: StdioHarness) {}
  async start() {
    this.timer = setInterval(() => {
      while (this.seen < this.h.frames.length) this.onmessage?.(this.h.frames[this.seen++] as JSONRPCMessage);
    }, 2);
  }
  async send(message: JSONRPCMessage) {
    this.h.line(JSON.stringify(message));
  }
  async close() {
    clearInterval(this.timer);
    this.onclose?.();
  }
}

describe('subscriptions/listen over stdio, 2026-07-28 client', () => {
  it('a listen cancelled while its URIs are checked is never opened', async () => {
    const h = await startStdio({ config: POLL, initialize: false });
    const client = new Client(
      { name: 'listen-race', version: '1' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(new StreamsTransport(h));
    const updates: string[] = [];
    client.setNotificationHandler('notifications/resources/updated', (n) => {
      updates.push(n.params.uri);
    });
    // Odoo slow enough that the cancel arrives while the subscription is being checked.
    h.emulator.faults.set({ latencyMs: 300 });
    const abort = new AbortController();
    const opening = client.listen(
      { resourceSubscriptions: ['odoo://res.partner/7'] },
      { signal: abort.signal },
    );
    await sleep(100);
    abort.abort();
    await expect(opening).rejects.toThrow();
    await sleep(2500); // the checks already on their way to Odoo (a few slow requests) finish
    h.emulator.faults.clear();
    h.emulator.log.clear();
    await sleep(500);
    expect(reads(h)).toBe(0);
    expect(updates).toEqual([]);
    await client.close();
    await h.close();
  });
});
