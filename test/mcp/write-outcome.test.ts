// Every write tool through a proxy that breaks the exchange after Odoo ran the call (or before it
// reached Odoo), on each protocol. A model that does what the error text says must end with the
// change applied exactly once: never two records, never none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import type { OdooVersion } from '../../src/emulator/orm/types.js';
import { FAULTS_AFTER_ODOO, type Fault, type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { type Harness, startHarness, textOf } from '../helpers/mcp.js';

const SETUPS: Array<{ protocol: 'xmlrpc' | 'jsonrpc' | 'json2'; version: OdooVersion }> = [
  { protocol: 'xmlrpc', version: '18.0' },
  { protocol: 'jsonrpc', version: '18.0' },
  { protocol: 'json2', version: '19.0' },
];
const FAULTS: Fault[] = [...FAULTS_AFTER_ODOO, 'drop'];
// The client gives up before the delayed answer arrives.
const TIMEOUT_S = 0.4;
const DELAY_MS = 900;

type Structured = Record<string, unknown>;
interface Answer {
  text: string;
  data: Structured;
  isError: boolean;
}

/** Words that tell the model repeating the call is safe. */
const SAYS_REPEAT = /safe to repeat|Deleting again is safe/;

for (const { protocol, version } of SETUPS) {
  describe(`writes whose answer is lost, ${protocol} on Odoo ${version}`, () => {
    let emulator: Emulator;
    let proxy: FaultProxy;
    let h: Harness;
    beforeAll(async () => {
      emulator = await startEmulator({ odooVersion: version });
      proxy = await startFaultProxy(emulator.url);
      h = await startHarness({
        emulator,
        era: 'legacy',
        config: { odoo_url: proxy.url, protocol, timeout: TIMEOUT_S },
      });
    });
    afterAll(async () => {
      await h.close();
      await proxy.close();
      await emulator.close();
    });

    const call = async (name: string, args: Record<string, unknown>): Promise<Answer> => {
      const result = await h.client.callTool({ name, arguments: args });
      return {
        text: textOf(result),
        data: (result.structuredContent ?? {}) as Structured,
        isError: result.isError === true,
      };
    };
    const broken = async (fault: Fault, method: string, name: string, args: Record<string, unknown>) => {
      proxy.arm(fault, method, { delayMs: DELAY_MS });
      const answer = await call(name, args);
      expect(proxy.fired).toBe(true);
      // Whatever happened, the words never give the plain network advice.
      expect(answer.text).not.toMatch(/Try again in a moment/);
      return answer;
    };
    const count = async (model: string, domain: unknown[]) =>
      (await call('count_records', { model, domain })).data.count as number;
    /** Runs the check the text names, as a model would, and says whether it found anything. */
    const checkFinds = async (text: string, model: string) => {
      const m = /domain (\[\[.*\]\]) \(records/.exec(text);
      expect(m, text).not.toBeNull();
      const found = await call('search_records', { model, domain: JSON.parse(m?.[1] ?? '[]') });
      return (found.data.total as number) > 0;
    };

    for (const fault of FAULTS) {
      const ranInOdoo = fault !== 'drop';

      it(`create_records (${fault})`, async () => {
        const name = `Lost create ${protocol} ${fault}`;
        let answer = await broken(fault, 'create', 'create_records', {
          model: 'res.partner',
          values: { name, phone: '+32 2 555 01 01' },
        });
        if (ranInOdoo) {
          // Found by its values and creation time: a plain success the model will not repeat.
          expect(answer.isError, answer.text).toBe(false);
          expect(answer.data.outcome).toBe('applied');
          expect(answer.text).toMatch(/Do not repeat this call/);
        } else {
          expect(answer.isError).toBe(true);
          expect(answer.data).toMatchObject({ outcome: 'unknown', ids: [] });
          expect(answer.text).toMatch(/Do not repeat it until you have checked/);
          expect(answer.text).not.toMatch(SAYS_REPEAT);
          // The model checks as told, finds nothing, and creates it again.
          if (!(await checkFinds(answer.text, 'res.partner'))) {
            answer = await call('create_records', {
              model: 'res.partner',
              values: { name, phone: '+32 2 555 01 01' },
            });
          }
        }
        expect(await count('res.partner', [['name', '=', name]])).toBe(1);
        const ids = answer.data.ids as number[];
        const found = await call('search_records', {
          model: 'res.partner',
          domain: [['name', '=', name]],
          fields: ['id'],
        });
        expect((found.data.records as Array<{ id: number }>).map((r) => r.id)).toEqual(ids);
      });

      it(`create_records with a list (${fault})`, async () => {
        const names = [`Lost batch A ${protocol} ${fault}`, `Lost batch B ${protocol} ${fault}`];
        const values = names.map((name) => ({ name, is_company: true }));
        let answer = await broken(fault, 'create', 'create_records', { model: 'res.partner', values });
        if (!ranInOdoo && answer.isError && !(await checkFinds(answer.text, 'res.partner'))) {
          answer = await call('create_records', { model: 'res.partner', values });
        }
        expect(answer.isError, answer.text).toBe(false);
        for (const name of names) expect(await count('res.partner', [['name', '=', name]])).toBe(1);
        const ids = answer.data.ids as number[];
        const read = await call('read_records', { model: 'res.partner', ids, fields: ['name'] });
        expect((read.data.records as Array<{ name: string }>).map((r) => r.name)).toEqual(names);
      });

      it(`update_records (${fault}) says repeating is safe, and it is`, async () => {
        const id = await h.odoo.create('res.partner', { name: `Lost update ${protocol} ${fault}` });
        const args = {
          model: 'res.partner',
          ids: [id],
          values: { phone: '+32 2 555 77 77', comment: 'updated' },
        };
        const answer = await broken(fault, 'write', 'update_records', args);
        expect(answer.isError).toBe(true);
        expect(answer.data).toMatchObject({ outcome: 'unknown', ids: [id] });
        expect(answer.text).toMatch(SAYS_REPEAT);
        const again = await call('update_records', args);
        expect(again.isError).toBe(false);
        const [row] = (await h.odoo.read('res.partner', [id], { fields: ['phone'] })) as Array<{
          phone: string;
        }>;
        expect(row?.phone).toBe('+32 2 555 77 77');
      });

      it(`update_records adding lines (${fault}) is checked before it is repeated`, async () => {
        const orderId = await h.odoo.create('sale.order', { partner_id: 1 });
        const args = {
          model: 'sale.order',
          ids: [orderId],
          values: { order_line: [{ product_id: 1, product_uom_qty: 3 }] },
        };
        const answer = await broken(fault, 'write', 'update_records', args);
        expect(answer.isError).toBe(true);
        expect(answer.text).toMatch(/Do not repeat it until you have checked/);
        expect(answer.text).not.toMatch(SAYS_REPEAT);
        // Never a claim the server cannot back: the order itself was written seconds ago.
        expect(answer.text).not.toMatch(/most likely ran/);
        // The model reads the lines, as told, and repeats only if they are missing.
        const lines = async () => (await count('sale.order.line', [['order_id', '=', orderId]])) as number;
        if ((await lines()) === 0) await call('update_records', args);
        expect(await lines()).toBe(1);
      });

      it(`delete_records (${fault})`, async () => {
        const id = await h.odoo.create('res.partner', { name: `Lost delete ${protocol} ${fault}` });
        const answer = await broken(fault, 'unlink', 'delete_records', { model: 'res.partner', ids: [id] });
        if (ranInOdoo) {
          expect(answer.isError, answer.text).toBe(false);
          expect(answer.data).toMatchObject({ deleted_ids: [id], outcome: 'applied' });
        } else {
          expect(answer.isError).toBe(true);
          expect(answer.text).toMatch(/still exist/);
          expect(answer.text).toMatch(SAYS_REPEAT);
          expect((await call('delete_records', { model: 'res.partner', ids: [id] })).isError).toBe(false);
        }
        expect(
          await count('res.partner', [
            ['id', '=', id],
            ['active', 'in', [true, false]],
          ]),
        ).toBe(0);
      });

      it(`call_method copy (${fault}) is checked before it is repeated`, async () => {
        const name = `Lost copy ${protocol} ${fault}`;
        const id = await h.odoo.create('res.partner', { name });
        const args = { model: 'res.partner', method: 'copy', ids: [id] };
        const answer = await broken(fault, 'copy', 'call_method', args);
        expect(answer.isError).toBe(true);
        expect(answer.data).toMatchObject({ outcome: 'unknown', result: null });
        expect(answer.text).toMatch(/Do not call it again until you have checked/);
        expect(answer.text).not.toMatch(SAYS_REPEAT);
        // What the server saw (records created since, by name) tells the model whether the copy exists.
        const sawCopy = answer.text.includes(JSON.stringify(`${name} (copy)`));
        expect(sawCopy).toBe(ranInOdoo);
        if (!sawCopy) expect((await call('call_method', args)).isError).toBe(false);
        expect(await count('res.partner', [['name', '=like', `${name}%`]])).toBe(2);
      });
    }
  });
}
