// Every tool through a real MCP client against the emulator, on each Odoo profile and both spec eras.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERAS, type Harness, startHarness, textOf } from '../helpers/mcp.js';

const VERSIONS = ['15.0', '16.0', '17.0', '18.0', '19.0'] as const;
const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

type Structured = Record<string, unknown>;

for (const version of VERSIONS) {
  for (const era of ERAS) {
    describe(`tools on Odoo ${version}, ${era} era`, () => {
      let h: Harness;
      beforeAll(async () => {
        h = await startHarness({ version, era });
      });
      afterAll(async () => {
        await h.close();
      });

      const call = async (name: string, args: Record<string, unknown>) => {
        const result = await h.client.callTool({ name, arguments: args });
        return {
          result,
          text: textOf(result),
          data: result.structuredContent as Structured,
          isError: result.isError === true,
        };
      };

      it('negotiated the era asked for', () => {
        expect(h.client.getProtocolEra()).toBe(era);
      });

      it('lists the eleven tools, each with its hints and described parameters, no output schema by default', async () => {
        const { tools } = await h.client.listTools();
        expect(tools.map((t) => t.name).sort()).toEqual(
          [
            'aggregate_records',
            'call_method',
            'count_records',
            'create_records',
            'delete_records',
            'describe_model',
            'list_models',
            'read_binary_field',
            'read_records',
            'search_records',
            'update_records',
          ].sort(),
        );
        // Hints equal to the spec's defaults are left out: call_method has none to give.
        const hints = Object.fromEntries(tools.map((t) => [t.name, t.annotations ?? {}]));
        expect(hints.search_records).toEqual({ readOnlyHint: true, openWorldHint: false });
        expect(hints.create_records).toEqual({ destructiveHint: false, openWorldHint: false });
        expect(hints.update_records).toEqual({ idempotentHint: true, openWorldHint: false });
        expect(hints.delete_records).toEqual({ idempotentHint: true, openWorldHint: false });
        expect(hints.call_method).toEqual({});
        for (const t of tools) {
          expect(t.outputSchema, t.name).toBeUndefined();
          const props =
            (t.inputSchema as { properties?: Record<string, { description?: string }> }).properties ?? {};
          for (const [p, schema] of Object.entries(props))
            expect(schema.description, `${t.name}.${p}`).toBeTruthy();
        }
      });

      it('search_records pages with total, has_more and next_offset, and gives many2one as {id, name}', async () => {
        const count = await h.odoo.searchCount('res.partner', [['is_company', '=', true]]);
        const first = await call('search_records', {
          model: 'res.partner',
          domain: [['is_company', '=', true]],
          fields: ['name', 'country_id', 'email'],
          limit: 3,
          order: 'id',
        });
        expect(first.isError).toBe(false);
        expect(first.data.total).toBe(count);
        expect(first.data.has_more).toBe(count > 3);
        expect(first.data.next_offset).toBe(3);
        const records = first.data.records as Structured[];
        expect(records).toHaveLength(3);
        const withCountry = records.find((r) => r.country_id !== null);
        expect(withCountry?.country_id).toMatchObject({ id: expect.any(Number), name: expect.any(String) });
        expect(first.text.split('\n')[0]).toBe(
          `res.partner: ${count} records match, showing 1-3; more with offset=3.`,
        );
        const second = await call('search_records', {
          model: 'res.partner',
          domain: [['is_company', '=', true]],
          fields: ['name'],
          limit: 3,
          offset: 3,
          order: 'id',
        });
        const ids = (r: Structured[]) => r.map((x) => x.id);
        expect(ids(second.data.records as Structured[])).not.toEqual(expect.arrayContaining(ids(records)));
      });

      it('search_records picks a small default field set and drops empty values from the text', async () => {
        const r = await call('search_records', { model: 'res.partner', limit: 5 });
        const keys = Object.keys((r.data.records as Structured[])[0] ?? {});
        expect(keys).toContain('id');
        expect(keys).toContain('name');
        // display_name only where it says more than the name (a contact under its company).
        for (const rec of r.data.records as Structured[])
          if ('display_name' in rec) expect(rec.display_name).not.toBe(rec.name);
        const admin = await call('read_records', { model: 'res.partner', ids: [3] });
        expect((admin.data.records as Structured[])[0]).toMatchObject({
          name: 'Mitchell Admin',
          display_name: 'YourCompany, Mitchell Admin',
        });
        expect(keys.length).toBeLessThanOrEqual(13);
        expect(keys.some((k) => k.startsWith('image_') || k.startsWith('message_'))).toBe(false);
        expect(r.text).not.toContain('null');
      });

      it('search_records matches free text like name_search', async () => {
        const r = await call('search_records', {
          model: 'res.partner',
          query: 'Deco Addict',
          fields: ['name'],
        });
        expect((r.data.records as Structured[]).map((x) => x.name)).toContain('Deco Addict');
      });

      it('read_records returns the records and lists missing ids', async () => {
        const [id] = await h.odoo.search('res.partner', { domain: [['name', '=', 'Deco Addict']], limit: 1 });
        const r = await call('read_records', {
          model: 'res.partner',
          ids: [id, 999999],
          fields: ['name', 'parent_id'],
        });
        expect(r.isError).toBe(false);
        expect(r.data.records).toEqual([{ id, name: 'Deco Addict', parent_id: null }]);
        expect(r.data.missing_ids).toEqual([999999]);
        expect(r.text).toContain('Not found (deleted, or not visible to this user): res.partner ids 999999.');
      });

      it('count_records counts', async () => {
        const expected = await h.odoo.searchCount('res.partner', []);
        const r = await call('count_records', { model: 'res.partner' });
        expect(r.data).toEqual({ count: expected });
      });

      it('aggregate_records totals sale orders per customer', async () => {
        const r = await call('aggregate_records', {
          model: 'sale.order',
          group_by: ['partner_id'],
          aggregates: ['amount_total:sum', '__count'],
        });
        expect(r.isError).toBe(false);
        const groups = r.data.groups as Structured[];
        const deco = groups.find((g) => (g.partner_id as { name?: string } | null)?.name === 'Deco Addict');
        expect(deco).toBeDefined();
        expect(deco?.__count).toBeTypeOf('number');
        expect(deco?.['amount_total:sum']).toBeTypeOf('number');
        const total = groups.reduce((s, g) => s + (g.__count as number), 0);
        expect(total).toBe(await h.odoo.searchCount('sale.order', []));
      });

      it('aggregate_records groups dates by month', async () => {
        const r = await call('aggregate_records', { model: 'sale.order', group_by: ['date_order:month'] });
        expect(r.isError).toBe(false);
        const groups = r.data.groups as Structured[];
        expect(groups.length).toBeGreaterThan(0);
        // The same label on every version, though 19's formatted_read_group answers [start, label].
        for (const g of groups) expect(g['date_order:month']).toMatch(/^[A-Z][a-z]+ \d{4}$/);
      });

      it('creates, updates and deletes a partner', async () => {
        const created = await call('create_records', {
          model: 'res.partner',
          values: { name: 'MCP Test Co', is_company: true, email: 'mcp@example.com' },
        });
        expect(created.isError).toBe(false);
        const [id] = created.data.ids as number[];
        expect(id).toBeTypeOf('number');
        const many = await call('create_records', {
          model: 'res.partner',
          values: [{ name: 'A1' }, { name: 'A2' }],
        });
        expect(many.data.ids).toHaveLength(2);
        const category = await h.odoo.search('res.partner.category', { limit: 2 });
        const updated = await call('update_records', {
          model: 'res.partner',
          ids: [id],
          values: { phone: '+32 2 555 00 00', category_id: category, parent_id: null },
        });
        expect(updated.data).toEqual({ ids: [id] });
        const [row] = await h.odoo.read('res.partner', [id as number], { fields: ['phone', 'category_id'] });
        expect(row).toMatchObject({ phone: '+32 2 555 00 00', category_id: category });
        const deleted = await call('delete_records', {
          model: 'res.partner',
          ids: [id, ...(many.data.ids as number[])],
        });
        expect(deleted.data.deleted_ids).toHaveLength(3);
        expect(await h.odoo.read('res.partner', [id as number])).toEqual([]);
      });

      it("call_method confirms an order; deleting it then quotes Odoo's UserError", async () => {
        const [draft] = await h.odoo.search('sale.order', { domain: [['state', '=', 'draft']], limit: 1 });
        const confirmed = await call('call_method', {
          model: 'sale.order',
          method: 'action_confirm',
          ids: [draft],
        });
        expect(confirmed.isError).toBe(false);
        expect(confirmed.data.result).toBe(true);
        const refused = await call('delete_records', { model: 'sale.order', ids: [draft] });
        expect(refused.isError).toBe(true);
        expect(refused.text).toContain('Odoo rejected the operation (UserError)');
        expect(refused.text).toContain('You can not delete a sent quotation or a confirmed sales order');
      });

      it('call_method returns null for a method that returns nothing', async () => {
        const id = await h.odoo.create('res.partner', { name: 'To archive' });
        const r = await call('call_method', { model: 'res.partner', method: 'action_archive', ids: [id] });
        expect(r.isError).toBe(false);
        expect(r.data.result).toBeNull();
      });

      it('passes context through to Odoo (active_test: false includes archived records)', async () => {
        const active = await call('count_records', { model: 'res.partner' });
        const all = await call('count_records', { model: 'res.partner', context: { active_test: false } });
        expect(all.data.count as number).toBeGreaterThan(active.data.count as number);
      });

      it('cuts long texts with a note', async () => {
        const id = await h.odoo.create('res.partner', {
          name: 'Long note',
          comment: `<p>${'lorem ipsum '.repeat(400)}</p>`,
        });
        const r = await call('read_records', { model: 'res.partner', ids: [id], fields: ['comment'] });
        expect(r.text).toMatch(/… \[\d+ more characters cut\]/);
        const comment = (r.data.records as Structured[])[0]?.comment;
        expect(String(comment).length).toBeLessThan(2100);
      });

      it('list_models and describe_model', async () => {
        const models = await call('list_models', { query: 'sale' });
        expect((models.data.models as Structured[]).map((m) => m.model)).toContain('sale.order');
        const described = await call('describe_model', { model: 'res.partner', query: 'email' });
        const email = (described.data.fields as Record<string, Structured>).email;
        expect(email).toMatchObject({ type: 'char', label: 'Email' });
        expect(described.text).toContain('email char "Email"');
      });

      it('read_binary_field returns an image with its MIME type and a resource link', async () => {
        const id = await h.odoo.create('res.partner', { name: 'Has a picture', image_1920: PNG_1PX });
        const r = await call('read_binary_field', { model: 'res.partner', id, field: 'image_1920' });
        expect(r.isError).toBe(false);
        const content = r.result.content as Array<Record<string, unknown>>;
        const image = content.find((c) => c.type === 'image');
        expect(image?.mimeType).toBe('image/png');
        expect(typeof image?.data).toBe('string');
        expect(content.find((c) => c.type === 'resource_link')?.uri).toBe(
          `odoo://res.partner/binary/image_1920/${id}`,
        );
        expect(r.data).toMatchObject({ mime_type: 'image/png', empty: false });
      });

      describe('errors the model can act on', () => {
        it('unknown model: the closest model names', async () => {
          const r = await call('search_records', { model: 'res.partnr' });
          expect(r.isError).toBe(true);
          expect(r.text).toContain('Unknown model "res.partnr"');
          expect(r.text).toContain('"res.partner"');
        });

        it('unknown field in a domain or field list: the closest field names', async () => {
          const r = await call('search_records', { model: 'res.partner', domain: [['emial', '=', 'x']] });
          expect(r.isError).toBe(true);
          expect(r.text).toContain('res.partner has no field "emial" (did you mean "email"');
          expect(r.text).toContain('describe_model');
        });

        it('malformed domain and bad operators', async () => {
          const shape = await call('count_records', { model: 'res.partner', domain: [['name', '=']] });
          expect(shape.text).toContain('must be [field, operator, value]');
          const op = await call('count_records', {
            model: 'res.partner',
            domain: [['name', 'bogus_op', 'x']],
          });
          expect(op.isError).toBe(true);
          expect(op.text).toMatch(/Odoo error \(ValueError\): Invalid (leaf|operator)/);
          expect(op.text).toContain('Fix the domain');
        });

        it('missing ids on update: MissingError', async () => {
          const r = await call('update_records', {
            model: 'res.partner',
            ids: [999999],
            values: { name: 'x' },
          });
          expect(r.isError).toBe(true);
          expect(r.text).toContain('MissingError');
          expect(r.text).toContain('search_records');
        });

        it('validation errors are quoted', async () => {
          const [id] = await h.odoo.search('res.partner', { domain: [['is_company', '=', true]], limit: 1 });
          const r = await call('update_records', {
            model: 'res.partner',
            ids: [id],
            values: { parent_id: id },
          });
          expect(r.isError).toBe(true);
          expect(r.text).toContain('"You cannot create recursive Partner hierarchies."');
        });

        it('limit beyond the cap, empty model, empty ids', async () => {
          const limit = await call('search_records', { model: 'res.partner', limit: 501 });
          expect(limit.isError).toBe(true);
          expect(limit.text).toContain("limit 501 is above this server's maximum of 500");
          const empty = await call('search_records', { model: '' });
          expect(empty.isError).toBe(true);
          expect(empty.text).toContain('model is empty');
          const noIds = await call('read_records', { model: 'res.partner', ids: [] });
          expect(noIds.isError).toBe(true);
          expect(noIds.text).toContain('ids is empty');
        });

        it('private methods are refused before reaching Odoo', async () => {
          const before = h.emulator.log.count();
          const r = await call('call_method', {
            model: 'res.partner',
            method: '_compute_display_name',
            ids: [1],
          });
          expect(r.isError).toBe(true);
          expect(r.text).toContain('private');
          expect(h.emulator.log.count()).toBe(before);
        });

        it('never shows a traceback', async () => {
          const r = await call('search_records', {
            model: 'res.partner',
            domain: [['name', 'bogus_op', 'x']],
          });
          expect(r.text).not.toContain('Traceback');
          expect(r.text).not.toContain('File "');
        });
      });

      it('each read tool makes exactly one Odoo request once metadata is cached', async () => {
        const warm = async () => {
          await call('search_records', { model: 'crm.lead', limit: 2 });
          await call('read_records', { model: 'crm.lead', ids: [1] });
          await call('count_records', { model: 'crm.lead' });
          await call('aggregate_records', { model: 'crm.lead', group_by: ['stage_id'] });
          await call('describe_model', { model: 'crm.lead' });
          await call('list_models', {});
        };
        await warm();
        const counts: Record<string, number> = {};
        for (const [name, args] of [
          ['search_records', { model: 'crm.lead', limit: 2 }],
          ['read_records', { model: 'crm.lead', ids: [1] }],
          ['count_records', { model: 'crm.lead' }],
          ['aggregate_records', { model: 'crm.lead', group_by: ['stage_id'] }],
          ['describe_model', { model: 'crm.lead' }],
          ['list_models', {}],
        ] as const) {
          const before = h.emulator.log.count();
          const r = await call(name, args);
          expect(r.isError, `${name}: ${r.text}`).toBe(false);
          counts[name] = h.emulator.log.count() - before;
        }
        expect(counts).toEqual({
          search_records: 1,
          read_records: 1,
          count_records: 1,
          aggregate_records: 1,
          describe_model: 0,
          list_models: 0,
        });
        // The version probe's GET /web/version is a 404 before Odoo 19, by design; nothing else may miss.
        expect(h.emulator.log.unexpected().filter((e) => e.path !== '/web/version')).toEqual([]);
      });
    });
  }
}

describe('safety settings', () => {
  it('read_only hides every tool that is not read-only', async () => {
    const h = await startHarness({ config: { read_only: true } });
    try {
      const { tools } = await h.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(
        [
          'aggregate_records',
          'count_records',
          'describe_model',
          'list_models',
          'read_binary_field',
          'read_records',
          'search_records',
        ].sort(),
      );
      await expect(
        h.client.callTool({
          name: 'create_records',
          arguments: { model: 'res.partner', values: { name: 'x' } },
        }),
      ).rejects.toThrow(/not found/i);
    } finally {
      await h.close();
    }
  });

  it('models.allow / models.deny apply to every tool, and secret-bearing models are denied by default', async () => {
    const h = await startHarness({ config: { models: { allow: ['res.*', 'ir.config_parameter'] } } });
    try {
      const denied = await h.client.callTool({
        name: 'search_records',
        arguments: { model: 'ir.config_parameter' },
      });
      expect(denied.isError).toBe(true);
      expect(textOf(denied)).toContain('not available through this server');
      const outside = await h.client.callTool({ name: 'count_records', arguments: { model: 'sale.order' } });
      expect(outside.isError).toBe(true);
      const listed = await h.client.callTool({ name: 'list_models', arguments: { limit: 500 } });
      const names = ((listed.structuredContent as Structured).models as Structured[]).map(
        (m) => m.model as string,
      );
      expect(names.every((m) => m.startsWith('res.'))).toBe(true);
      expect(names).not.toContain('res.users.apikeys');
    } finally {
      await h.close();
    }
  });

  it('call_method.allow restricts methods', async () => {
    const h = await startHarness({ config: { call_method: { allow: ['sale.order.action_confirm'] } } });
    try {
      const r = await h.client.callTool({
        name: 'call_method',
        arguments: { model: 'crm.lead', method: 'action_set_won', ids: [1] },
      });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toContain("not in this server's call_method.allow list");
    } finally {
      await h.close();
    }
  });

  it('access errors name the model and the operation', async () => {
    const h = await startHarness({
      config: { username: 'apiuser', api_key: 'APIUSER_API_KEY_40_HEX_PLACEHOLDER_00000' },
    });
    try {
      const r = await h.client.callTool({
        name: 'create_records',
        arguments: { model: 'res.partner', values: { name: 'x' } },
      });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toContain('Odoo refused access (AccessError)');
      expect(textOf(r)).toContain("You are not allowed to create 'Contact' (res.partner) records.");
      expect(textOf(r)).toContain('lacks the rights to create res.partner');
    } finally {
      await h.close();
    }
  });
});
