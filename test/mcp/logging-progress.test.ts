// MCP logging (logging/setLevel in the 2025 era, the request's _meta level in 2026-07-28), progress
// for tool calls that asked for it, and cancellation that stops Odoo work not yet started.
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { runInScope } from '../../src/logging/call-scope.js';
import { createServer, type ServerDeps } from '../../src/mcp/server.js';
import type { OdooClient } from '../../src/odoo/client.js';
import { CancelledError } from '../../src/odoo/errors.js';
import { emulatorServices, startHarness, textOf } from '../helpers/mcp.js';

const LOG_LEVEL_KEY = 'io.modelcontextprotocol/logLevel';

interface Logged {
  level: string;
  data: unknown;
}

async function legacyClient(deps: ServerDeps) {
  const server = createServer(deps);
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'log-test', version: '1' });
  const logged: Logged[] = [];
  client.setNotificationHandler('notifications/message', (n) => {
    logged.push({ level: n.params.level, data: n.params.data });
  });
  await server.connect(b);
  await client.connect(a);
  const close = async () => {
    await client.close();
    await server.close();
  };
  return { client, logged, close };
}

const search = { name: 'search_records', arguments: { model: 'res.partner', fields: ['name'], limit: 3 } };

describe('MCP logging and progress, 2025-11-25', () => {
  let emulator: Emulator;
  let deps: ServerDeps;
  let odoo: OdooClient;
  beforeAll(async () => {
    emulator = await startEmulator({ odooVersion: '19.0' });
  });
  afterAll(async () => emulator.close());
  afterEach(async () => {
    emulator.faults.clear();
    await odoo?.close();
  });

  it('declares logging, sends nothing until a level is set, then what is at or above it', async () => {
    ({ deps, odoo } = emulatorServices(emulator));
    const c = await legacyClient(deps);
    expect(c.client.getServerCapabilities()?.logging).toEqual({});
    emulator.faults.set({ httpError: { status: 503, times: 1 } });
    expect((await c.client.callTool(search)).isError).toBeFalsy();
    expect(c.logged).toEqual([]);

    await c.client.setLoggingLevel('warning');
    emulator.faults.set({ httpError: { status: 503, times: 1 } });
    expect((await c.client.callTool(search)).isError).toBeFalsy();
    expect(c.logged).toHaveLength(1);
    expect(c.logged[0]?.level).toBe('warning');
    expect(String(c.logged[0]?.data)).toMatch(/did not reach Odoo .*retrying in \d+ ms \(retry 1 of 2\)/);

    // A failure the call cannot recover from is an error line.
    emulator.faults.set({ httpError: { status: 503 } });
    const failed = await c.client.callTool(search);
    expect(failed.isError).toBe(true);
    expect(c.logged.some((l) => l.level === 'error' && /failed: NetworkError/.test(String(l.data)))).toBe(
      true,
    );

    // Above the level asked: nothing.
    emulator.faults.clear();
    c.logged.length = 0;
    await c.client.setLoggingLevel('critical');
    emulator.faults.set({ httpError: { status: 503 } });
    await c.client.callTool(search);
    expect(c.logged).toEqual([]);
    await c.close();
  });

  it('says when Odoo is slow', async () => {
    ({ deps, odoo } = emulatorServices(emulator));
    const c = await legacyClient(deps);
    await c.client.setLoggingLevel('notice');
    await c.client.callTool(search); // metadata cached, so the slow call is the search itself
    emulator.faults.set({ latencyMs: 2100 });
    await c.client.callTool(search);
    expect(c.logged.map((l) => String(l.data))).toEqual([
      expect.stringMatching(/^Odoo took 2\.\d s to answer res\.partner\.\w+/),
    ]);
    await c.close();
  });

  it('reports progress to a client that sent a progress token', async () => {
    ({ deps, odoo } = emulatorServices(emulator));
    const c = await legacyClient(deps);
    const seen: Array<{ progress: number; message?: string }> = [];
    await c.client.callTool(search, { onprogress: (p) => void seen.push(p) });
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.map((p) => p.progress)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.at(-1)?.message).toMatch(/res\.partner\.web_search_read done/);
    await c.close();
  });

  it('a cancelled call sends nothing more to Odoo', async () => {
    ({ deps, odoo } = emulatorServices(emulator));
    const c = await legacyClient(deps);
    emulator.log.clear();
    // fields_get, then the search: cancel while the first is on its way.
    emulator.faults.set({ latencyMs: 300 });
    const abort = new AbortController();
    const call = c.client.callTool(search, { signal: abort.signal });
    await new Promise((r) => setTimeout(r, 100));
    abort.abort();
    await expect(call).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 800));
    // What was on its way may have reached Odoo; the search after it was never sent.
    expect(emulator.log.count({ modelMethod: 'web_search_read' })).toBe(0);
    expect(emulator.log.count()).toBeLessThanOrEqual(1);
    await c.close();
  });
});

describe('cancellation in the Odoo client', () => {
  it('sends no call once the request is cancelled, and says nothing ran', async () => {
    const emulator = await startEmulator({ odooVersion: '19.0' });
    const { odoo } = emulatorServices(emulator);
    await odoo.connect();
    emulator.log.clear();
    const abort = new AbortController();
    abort.abort();
    await expect(
      runInScope({ signal: abort.signal }, () => odoo.write('res.partner', [7], { comment: 'never' })),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(emulator.log.count()).toBe(0);
    await odoo.close();
    await emulator.close();
  });
});

describe('MCP logging, 2026-07-28', () => {
  it('logs at the level the request carries in _meta, and nothing without one', async () => {
    const h = await startHarness({ era: 'modern' });
    const logged: Logged[] = [];
    h.client.setNotificationHandler('notifications/message', (n) => {
      logged.push({ level: n.params.level, data: n.params.data });
    });
    h.emulator.faults.set({ httpError: { status: 503, times: 1 } });
    expect(textOf(await h.client.callTool(search))).not.toMatch(/error/i);
    expect(logged).toEqual([]);
    h.emulator.faults.set({ httpError: { status: 503, times: 1 } });
    await h.client.callTool({ ...search, _meta: { [LOG_LEVEL_KEY]: 'warning' } });
    expect(logged.map((l) => l.level)).toEqual(['warning']);
    expect(String(logged[0]?.data)).toMatch(/retrying/);
    await h.close();
  });
});
