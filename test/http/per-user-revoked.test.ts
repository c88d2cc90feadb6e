// Per-user mode: when Odoo stops accepting a caller's own key mid-session, the model is told it is
// that user's key, not the server's configuration.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { connectStreamable, type HttpHarness, KEYS, startHttp, textOf } from './helpers.js';

let emulator: Emulator;
let h: HttpHarness;
beforeAll(async () => {
  emulator = await startEmulator({ odooVersion: '19.0' });
  h = await startHttp({ emulator, config: { http: { per_user_odoo: true } } });
});
afterAll(async () => {
  await h.close();
  await emulator.close();
});

const admin = (model: string, method: string, args: unknown[]) =>
  emulator.orm.call({ uid: 2, model, method, style: 'positional', args, kwargs: {} });

it('reports a key Odoo no longer accepts as the caller’s own', async () => {
  const c = await connectStreamable(h.url, 'legacy', {
    'X-Odoo-Login': 'apiuser',
    'X-Odoo-Api-Key': KEYS.apiuser,
  });
  const before = await c.client.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
  expect(before.isError).toBeFalsy();

  // An administrator archives the user, which revokes what its key can do.
  const [uid] = admin('res.users', 'search', [[['login', '=', 'apiuser']]]) as number[];
  admin('res.users', 'write', [[uid], { active: false, notification_type: 'email' }]);
  try {
    const after = await c.client.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
    expect(after.isError).toBe(true);
    const text = textOf(after);
    expect(text).toMatch(/user's own credentials/);
    expect(text).toMatch(/new API key/);
    expect(text).not.toMatch(/server's Odoo credentials/);
    expect(text).not.toContain(KEYS.apiuser);
  } finally {
    admin('res.users', 'write', [[uid], { active: true }]);
    await c.client.close();
  }
});
