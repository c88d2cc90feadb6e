// Per-user Odoo identity: each client's calls run as the Odoo user whose credentials it sends, so
// Odoo's access rights and record rules apply; credentials never reach a log line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import {
  connectSse,
  connectStreamable,
  type Era,
  type HttpHarness,
  INIT_BODY,
  KEYS,
  rawPost,
  startHttp,
  textOf,
} from './helpers.js';

const WRONG_KEY = 'WRONG_KEY_FOR_ADMIN_0123456789abcdef0000';

const headersOf = (login: keyof typeof KEYS) => ({ 'X-Odoo-Login': login, 'X-Odoo-Api-Key': KEYS[login] });

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ odooVersion: '19.0' });
});
afterAll(async () => {
  await emulator.close();
});

describe.each([
  ['streamable_http', 'modern'],
  ['streamable_http', 'legacy'],
  ['http', 'legacy'],
] as Array<['streamable_http' | 'http', Era]>)('per-user Odoo identity over %s, %s era', (mode, era) => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttp({ emulator, mode, config: { http: { per_user_odoo: true } } });
  });
  afterAll(async () => {
    await h.close();
    const all = h.logs.join('');
    for (const key of [...Object.values(KEYS), WRONG_KEY]) expect(all).not.toContain(key);
  });

  it('runs each client as its own Odoo user', async () => {
    const admin = await connectStreamable(h.url, era, headersOf('admin'));
    const apiuser = await connectStreamable(h.url, era, headersOf('apiuser'));
    const portal = await connectStreamable(h.url, era, headersOf('apiportal'));
    const count = async (c: typeof admin, model: string) =>
      c.client.callTool({ name: 'count_records', arguments: { model } });

    // sale.order: admin reads it, apiuser has no access right, the portal user sees none of it.
    const adminOrders = await count(admin, 'sale.order');
    expect(adminOrders.isError).toBeFalsy();
    expect((adminOrders.structuredContent as { count: number }).count).toBeGreaterThan(0);
    const userOrders = await count(apiuser, 'sale.order');
    expect(userOrders.isError).toBe(true);
    expect(textOf(userOrders)).toMatch(/not allowed|access/i);
    // The portal user's record rules show it only its own partner.
    const portalPartners = await count(portal, 'res.partner');
    expect((portalPartners.structuredContent as { count: number }).count).toBe(1);
    const adminPartners = await count(admin, 'res.partner');
    expect((adminPartners.structuredContent as { count: number }).count).toBeGreaterThan(50);

    // apiuser may not create contacts; admin may.
    const denied = await apiuser.client.callTool({
      name: 'create_records',
      arguments: { model: 'res.partner', values: { name: `Denied ${mode} ${era}` } },
    });
    expect(denied.isError).toBe(true);
    const created = await admin.client.callTool({
      name: 'create_records',
      arguments: { model: 'res.partner', values: { name: `Created ${mode} ${era}` } },
    });
    expect(created.isError).toBeFalsy();

    for (const c of [admin, apiuser, portal]) await c.client.close();
  });

  it('refuses a request without credentials (401 naming the headers)', async () => {
    const res = await rawPost(h.url, INIT_BODY);
    expect(res.status).toBe(401);
    expect(res.text).toContain('X-Odoo-Api-Key');
    expect(res.text).toContain('X-Odoo-Login');
    await expect(connectStreamable(h.url, era)).rejects.toThrow(/X-Odoo-Api-Key|401/);
  });

  it('refuses a wrong key with a clear 401, not somebody else data', async () => {
    const sessionsBefore = h.server.sessionCount;
    const res = await rawPost(h.url, INIT_BODY, { 'X-Odoo-Login': 'admin', 'X-Odoo-Api-Key': WRONG_KEY });
    expect(res.status).toBe(401);
    expect(res.text).toContain('Odoo rejected the credentials');
    expect(res.text).not.toContain(WRONG_KEY);
    await expect(
      connectStreamable(h.url, era, { 'X-Odoo-Login': 'admin', 'X-Odoo-Api-Key': WRONG_KEY }),
    ).rejects.toThrow();
    expect(h.server.sessionCount).toBe(sessionsBefore);
  });
});

describe('per-user identity and sessions', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttp({ emulator, config: { http: { per_user_odoo: true } } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses a session request carrying other credentials than the session was opened with', async () => {
    const init = await rawPost(h.url, INIT_BODY, headersOf('apiuser'));
    expect(init.status).toBe(200);
    const sid = init.headers.get('mcp-session-id') ?? '';
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const swapped = await rawPost(h.url, list, {
      ...headersOf('admin'),
      'mcp-session-id': sid,
      'mcp-protocol-version': '2025-11-25',
    });
    expect(swapped.status).toBe(403);
    const same = await rawPost(h.url, list, {
      ...headersOf('apiuser'),
      'mcp-session-id': sid,
      'mcp-protocol-version': '2025-11-25',
    });
    expect(same.status).toBe(200);
  });

  it('serves legacy SSE clients as their own user', async () => {
    const portal = await connectSse(h.url, headersOf('apiportal'));
    const r = await portal.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
    expect((r.structuredContent as { count: number }).count).toBe(1);
    await portal.close();
  });
});
