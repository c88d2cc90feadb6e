// The models policy holds through relations, through a real MCP client against the emulator: the
// walks of the finding (res.users reached from res.partner), and allowed relations still working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, textOf } from '../helpers/mcp.js';

type Structured = Record<string, unknown>;

for (const version of ['17.0', '19.0'] as const) {
  describe(`models.allow through relations on Odoo ${version}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ version, config: { models: { allow: ['res.partner', 'res.country'] } } });
    });
    afterAll(async () => {
      await h.close();
    });

    const call = async (name: string, args: Record<string, unknown>) => {
      const result = await h.client.callTool({ name, arguments: args });
      return {
        text: textOf(result),
        data: result.structuredContent as Structured,
        isError: result.isError === true,
      };
    };
    const refused = (r: { text: string; isError: boolean }, path: string) => {
      expect(r.isError, r.text).toBe(true);
      expect(r.text).toContain(`path "${path}"`);
      expect(r.text).toContain('res.users is hidden');
      expect(r.text).not.toMatch(/admin|portal/); // no login came back
    };

    it('refuses the finding: a specification reading user_ids.login, and a domain on it', async () => {
      refused(
        await call('call_method', {
          model: 'res.partner',
          method: 'web_search_read',
          kwargs: { domain: [], specification: { name: {}, user_ids: { fields: { login: {} } } }, limit: 5 },
        }),
        'user_ids',
      );
      refused(
        await call('call_method', {
          model: 'res.partner',
          method: 'search_count',
          args: [[['user_ids.login', '=', 'admin']]],
        }),
        'user_ids.login',
      );
      refused(
        await call('count_records', { model: 'res.partner', domain: [['user_ids.login', '=', 'admin']] }),
        'user_ids.login',
      );
    });

    it('refuses an any sub-domain, an order, a group_by and a field list reaching the hidden model', async () => {
      refused(
        await call('search_records', {
          model: 'res.partner',
          domain: [['child_ids', 'any', [['user_ids.login', '=', 'admin']]]],
          fields: ['name'],
        }),
        'child_ids.user_ids.login',
      );
      refused(
        await call('search_records', { model: 'res.partner', fields: ['name'], order: 'user_id desc' }),
        'user_id',
      );
      refused(await call('aggregate_records', { model: 'res.partner', group_by: ['user_id'] }), 'user_id');
      refused(
        await call('read_records', { model: 'res.partner', ids: [3], fields: ['name', 'user_ids'] }),
        'user_ids',
      );
      refused(
        await call('call_method', {
          model: 'res.partner',
          method: 'read_group',
          kwargs: { domain: [], fields: ['name'], groupby: ['user_id'], lazy: false },
        }),
        'user_id',
      );
    });

    it('refuses read methods it cannot check and points at the dedicated tools', async () => {
      const r = await call('call_method', {
        model: 'res.partner',
        method: 'web_read_group',
        kwargs: { domain: [], groupby: ['user_id'] },
      });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('search_records, read_records');
    });

    it('still follows allowed relations, and default fields leave hidden ones out', async () => {
      const found = await call('search_records', {
        model: 'res.partner',
        domain: [
          ['country_id.code', '!=', false],
          ['parent_id', 'any', [['is_company', '=', true]]],
        ],
        fields: ['name', 'country_id', 'parent_id'],
        order: 'country_id, name',
        limit: 3,
      });
      expect(found.isError, found.text).toBe(false);
      expect(found.data.total as number).toBeGreaterThan(0);
      const spec = await call('call_method', {
        model: 'res.partner',
        method: 'web_search_read',
        args: [[['country_id', '!=', false]], { name: {}, country_id: { fields: { code: {} } } }],
        kwargs: { limit: 2 },
      });
      expect(spec.isError, spec.text).toBe(false);
      const rows = (spec.data.result as { records: Structured[] }).records;
      expect(rows[0]?.country_id).toMatchObject({ code: expect.any(String) });
      const groups = await call('aggregate_records', { model: 'res.partner', group_by: ['country_id'] });
      expect(groups.isError, groups.text).toBe(false);
      const plain = await call('search_records', { model: 'res.partner', limit: 2 });
      expect(plain.isError, plain.text).toBe(false);
      for (const r of plain.data.records as Structured[]) expect(r).not.toHaveProperty('user_id');
    });
  });
}

describe('call_method.allow: "sale.order.*"', () => {
  it('admits sale.order methods and nothing of sale.order.line', async () => {
    const h = await startHarness({ config: { call_method: { allow: ['sale.order.*'] } } });
    try {
      const line = await h.client.callTool({
        name: 'call_method',
        arguments: { model: 'sale.order.line', method: 'search_count', args: [[]] },
      });
      expect(line.isError).toBe(true);
      expect(textOf(line)).toContain("not in this server's call_method.allow list");
      const order = await h.client.callTool({
        name: 'call_method',
        arguments: { model: 'sale.order', method: 'search_count', args: [[]] },
      });
      expect(order.isError, textOf(order)).not.toBe(true);
    } finally {
      await h.close();
    }
  });
});
