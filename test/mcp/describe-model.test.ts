// describe_model through a real MCP client on every Odoo profile: a lean default (the fields a
// model filters on or writes, internal ones counted), full detail on request, paging, and a byte
// budget that the default res.partner answer must keep.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OdooVersion } from '../../src/emulator/orm/types.js';
import { internalKind } from '../../src/services/metadata.js';
import { type Harness, startHarness, textOf } from '../helpers/mcp.js';

const VERSIONS: OdooVersion[] = ['15.0', '16.0', '17.0', '18.0', '19.0'];
/** Text plus JSON.stringify(structuredContent) of the default res.partner answer. */
const PARTNER_BUDGET = 15_000;
/** describe_model's tools/list entry, output schema included (tools.output_schemas on). */
const ENTRY_BUDGET = 900;

type Field = Record<string, unknown>;
interface Answer {
  text: string;
  fields: Record<string, Field>;
  data: Record<string, unknown>;
  isError: boolean;
  bytes: number;
}

async function describeModel(h: Harness, args: Record<string, unknown>): Promise<Answer> {
  const result = await h.client.callTool({ name: 'describe_model', arguments: args });
  const text = textOf(result);
  const data = (result.structuredContent ?? {}) as Record<string, unknown>;
  return {
    text,
    data,
    fields: (data.fields ?? {}) as Record<string, Field>,
    isError: result.isError === true,
    bytes: Buffer.byteLength(text) + Buffer.byteLength(JSON.stringify(result.structuredContent ?? null)),
  };
}

for (const version of VERSIONS) {
  describe(`describe_model on Odoo ${version}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ version, era: version === '19.0' ? 'modern' : 'legacy' });
    });
    afterAll(async () => {
      await h.close();
    });

    it(`answers res.partner by default in at most ${PARTNER_BUDGET} bytes, the same bytes every time`, async () => {
      const first = await describeModel(h, { model: 'res.partner' });
      expect(first.isError, first.text).toBe(false);
      expect(first.bytes).toBeLessThanOrEqual(PARTNER_BUDGET);
      const again = await describeModel(h, { model: 'res.partner' });
      expect(again.bytes).toBe(first.bytes);
      expect(again.text).toBe(first.text);
    });

    it('lists the fields to filter on or write, with type, label, flags and relations', async () => {
      const r = await describeModel(h, { model: 'res.partner' });
      const { fields } = r;
      expect(fields.name).toEqual({ type: 'char', label: 'Name' });
      expect(fields.email).toMatchObject({ type: 'char', label: 'Email' });
      expect(fields.is_company).toMatchObject({ type: 'boolean', label: 'Is a Company' });
      expect(fields.country_id).toEqual({ type: 'many2one', label: 'Country', relation: 'res.country' });
      expect(fields.child_ids).toMatchObject({ type: 'one2many', relation: 'res.partner' });
      expect(fields.commercial_partner_id).toMatchObject({ readonly: true, relation: 'res.partner' });
      expect(r.text).toContain('\ncountry_id many2one->res.country "Country"\n');
      expect(r.text).toContain('\nname char "Name"\n');
      // Flags appear only where true: a lean answer, no `false` everywhere.
      for (const [name, f] of Object.entries(fields)) {
        expect(f.required, name).not.toBe(false);
        expect(f.readonly, name).not.toBe(false);
        expect(f.help, name).toBeUndefined();
      }
    });

    it('shows a short selection inline and counts a long one, saying how to get it', async () => {
      const { fields, text } = await describeModel(h, { model: 'res.partner' });
      const type = fields.type?.selection as Array<[string, string]>;
      expect(type.map(([v]) => v)).toEqual(
        expect.arrayContaining(['contact', 'invoice', 'delivery', 'other']),
      );
      expect(text).toMatch(
        /\ntype selection "Address Type" values: contact\|invoice\|delivery\|(private\|)?other/,
      );
      // Labels that add something to the value are kept in the text.
      expect(text).toMatch(
        /company_type selection "Company Type" not searchable values: person(=\w+)?\|company\n/,
      );
      expect(fields.tz?.selection).toBeUndefined();
      expect(fields.tz?.selection_count).toBeGreaterThan(8);
      expect(text).toMatch(/\ntz selection "Timezone" \d+ values \(fields=\["tz"\] lists them\)\n/);
    });

    it('flags a writable field a domain cannot use', async () => {
      const { fields, text } = await describeModel(h, { model: 'res.partner' });
      expect(fields.company_type).toMatchObject({ type: 'selection', searchable: false });
      expect(fields.company_type?.readonly).toBeUndefined();
      expect(text).toContain('company_type selection "Company Type" not searchable');
    });

    it('leaves internal fields out by a rule, and says how many and how to get them', async () => {
      const r = await describeModel(h, { model: 'res.partner' });
      const meta = await h.deps.catalog.fields('res.partner');
      const internal = Object.keys(meta).filter((n) => internalKind('res.partner', n, meta[n] as never));
      expect(r.data.left_out).toBe(internal.length);
      expect(Object.keys(r.fields).length + internal.length).toBe(Object.keys(meta).length);
      for (const name of Object.keys(r.fields)) {
        expect(name).not.toMatch(/^(message_|activity_|website_message|__last_update$|id$|display_name$)/);
        // A field that can be neither searched nor written is no use to a domain or a write.
        const f = meta[name];
        expect(f?.store === false && f.searchable === false && f.readonly === true, name).toBe(false);
      }
      for (const name of ['message_ids', 'activity_ids', 'id', 'display_name', 'avatar_128', 'image_128'])
        if (name in meta) expect(Object.keys(r.fields), name).not.toContain(name);
      const head = r.text.split('\n')[0] ?? '';
      expect(head).toBe(
        `res.partner: ${Object.keys(r.fields).length} of its ${Object.keys(meta).length} fields, in Odoo's order. ` +
          `Left out ${internal.length} internal fields (${head.match(/\((\d+ id\/display_name.*?)\)/)?.[1]}): find them with query, which searches all fields, or by name with fields.`,
      );
      expect(head).toMatch(/\d+ chatter\/activity\/token plumbing/);
      expect(head).toMatch(/\d+ computed that can be neither searched nor written/);
      expect(r.data.next_offset).toBeUndefined();
    });

    it('fields: exactly those, with every attribute, long selections in full', async () => {
      const r = await describeModel(h, {
        model: 'res.partner',
        fields: ['tz', 'company_type', 'child_ids', 'active'],
      });
      expect(r.isError, r.text).toBe(false);
      expect(Object.keys(r.fields)).toEqual(['tz', 'company_type', 'child_ids', 'active']);
      expect((r.fields.tz?.selection as unknown[] | undefined)?.length).toBeGreaterThan(8);
      expect(r.fields.tz).toMatchObject({ store: true, searchable: true, sortable: true, groupable: true });
      expect(r.fields.company_type).toMatchObject({ store: false, searchable: false, groupable: false });
      expect(r.fields.child_ids).toMatchObject({ relation_field: 'parent_id', groupable: false });
      expect(r.fields.active).toMatchObject({ type: 'boolean', default: true });
      expect(r.data.left_out).toBeUndefined();
      const count = Object.keys(await h.deps.catalog.fields('res.partner')).length;
      expect(r.text.split('\n')[0]).toBe(`res.partner: 4 of its ${count} fields, in Odoo's order.`);
      expect(r.text).toMatch(
        /\nactive boolean "Active" default=true store=true searchable=true sortable=true groupable=true/,
      );
      expect(r.text).toMatch(
        /company_type selection "Company Type" values: person=\w+\|company=Company store=false searchable=false/,
      );
    });

    it('fields: internal fields too, by name', async () => {
      const r = await describeModel(h, { model: 'res.partner', fields: ['message_ids', 'id'] });
      expect(r.fields.message_ids).toMatchObject({ type: 'one2many', relation: 'mail.message' });
      expect(r.fields.id).toMatchObject({ type: 'integer' });
    });

    it('fields: an unknown name is an error with the closest names and what to do', async () => {
      const r = await describeModel(h, { model: 'res.partner', fields: ['emial', 'name', 'zzzz_nothing'] });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('res.partner has no field "emial" (closest: email');
      expect(r.text).toContain('"zzzz_nothing"');
      expect(r.text).not.toContain('"name"');
      expect(r.text).toContain('Use the exact names in fields, or find them with query');
    });

    it('query: name or label, internal fields included', async () => {
      const r = await describeModel(h, { model: 'res.partner', query: 'Country' });
      expect(r.isError, r.text).toBe(false);
      expect(Object.keys(r.fields)).toContain('country_id');
      for (const [name, f] of Object.entries(r.fields))
        expect(`${name} ${String(f.label)}`.toLowerCase(), name).toContain('country');
      expect(r.text.split('\n')[0]).toMatch(
        /^res\.partner: \d+ of its \d+ fields matching "Country", in Odoo's order\.$/,
      );
      const byLabel = await describeModel(h, { model: 'res.partner', query: 'salesperson' });
      expect(Object.keys(byLabel.fields)).toContain('user_id');
      const internal = await describeModel(h, { model: 'res.partner', query: 'message_' });
      expect(Object.keys(internal.fields)).toContain('message_ids');
      const none = await describeModel(h, { model: 'res.partner', query: 'qqqxxx' });
      expect(none.isError).toBe(false);
      expect(none.fields).toEqual({});
      expect(none.text).toMatch(
        /^res\.partner: no field matching "qqqxxx" \(of its \d+\); try a shorter word, or no query\.$/,
      );
    });

    it('attributes: adds exactly those to each field', async () => {
      const r = await describeModel(h, {
        model: 'res.partner',
        query: 'type',
        attributes: ['help', 'selection', 'store'],
      });
      expect(r.isError, r.text).toBe(false);
      for (const [name, f] of Object.entries(r.fields)) {
        expect(typeof f.store, name).toBe('boolean');
        expect(f.searchable === undefined || f.searchable === false, name).toBe(true);
        expect(f.selection_count, name).toBeUndefined();
      }
      expect(r.fields.type).toMatchObject({ store: true });
      // With `selection` asked for, every value keeps its label.
      expect(r.text).toMatch(/\ntype selection "Address Type" values: contact=Contact\|invoice=Invoice/);
      const help = await describeModel(h, { model: 'res.partner', attributes: ['help'] });
      const helped = Object.entries(help.fields).filter(([, f]) => typeof f.help === 'string');
      expect(helped.length).toBeGreaterThan(0);
      for (const [, f] of helped) expect(f.help).not.toMatch(/\s{2}|\n/);
      const defaults = await describeModel(h, {
        model: 'res.partner',
        query: 'active',
        attributes: ['default'],
      });
      expect(defaults.fields.active).toMatchObject({ default: true });
      const bad = await describeModel(h, { model: 'res.partner', attributes: ['colour'] });
      expect(bad.isError).toBe(true);
    });

    it('pages a long answer with next_offset, each page bounded, nothing lost or doubled', async () => {
      const plain = await describeModel(h, { model: 'res.partner' });
      const args = { model: 'res.partner', attributes: ['help', 'selection', 'default', 'store'] };
      const seen: string[] = [];
      let offset: number | undefined = 0;
      let pages = 0;
      while (offset !== undefined && pages < 20) {
        const page: Answer = await describeModel(h, { ...args, offset });
        expect(page.isError, page.text).toBe(false);
        const names = Object.keys(page.fields);
        expect(names.length).toBeGreaterThan(0);
        // One field may be big alone (tz has hundreds of values); pages of several stay bounded.
        if (names.length > 1) expect(page.bytes).toBeLessThanOrEqual(16_000);
        seen.push(...names);
        const next = page.data.next_offset as number | undefined;
        if (next !== undefined) {
          expect(next).toBe(offset + names.length);
          expect(page.text.split('\n')[0]).toContain(
            `fields ${offset + 1}-${next} of ${Object.keys(plain.fields).length}`,
          );
          expect(page.text.split('\n')[0]).toMatch(new RegExp(`More with offset=${next}\\.$`));
        }
        offset = next;
        pages++;
      }
      expect(pages).toBeGreaterThan(1);
      expect(seen).toEqual(Object.keys(plain.fields));
      const past = await describeModel(h, { model: 'res.partner', offset: 10_000 });
      expect(past.fields).toEqual({});
      expect(past.text).toMatch(/^res\.partner: no field past offset 10000; \d+ of its \d+ fields/);
    });

    it('describes other models with the same rule', async () => {
      const r = await describeModel(h, { model: 'sale.order' });
      expect(r.isError, r.text).toBe(false);
      expect(r.fields.partner_id).toMatchObject({
        type: 'many2one',
        relation: 'res.partner',
        required: true,
      });
      expect(r.fields.state?.selection).toBeDefined();
      expect(Object.keys(r.fields).some((n) => n.startsWith('message_'))).toBe(false);
      expect(r.bytes).toBeLessThanOrEqual(PARTNER_BUDGET);
    });
  });
}

describe('describe_model in tools/list', () => {
  it(`takes at most ${ENTRY_BUDGET} bytes with its output schema`, async () => {
    const h = await startHarness({ config: { tools: { output_schemas: true } } });
    try {
      const { tools } = await h.client.listTools();
      const entry = tools.find((t) => t.name === 'describe_model');
      expect(entry?.outputSchema).toBeDefined();
      expect(JSON.stringify(entry).length).toBeLessThanOrEqual(ENTRY_BUDGET);
    } finally {
      await h.close();
    }
  });

  it('makes no Odoo request for a default answer once fields_get is cached', async () => {
    const h = await startHarness({});
    try {
      await describeModel(h, { model: 'res.partner' });
      const before = h.emulator.log.count();
      await describeModel(h, { model: 'res.partner', query: 'email' });
      expect(h.emulator.log.count() - before).toBe(0);
    } finally {
      await h.close();
    }
  });
});

describe('internalKind', () => {
  const f = (extra: Record<string, unknown>) => ({
    type: 'char',
    store: true,
    searchable: true,
    readonly: false,
    ...extra,
  });
  it('names plumbing by name and by related model, except on the plumbing models themselves', () => {
    expect(
      internalKind('res.partner', 'message_ids', f({ type: 'one2many', relation: 'mail.message' })),
    ).toBe('plumbing');
    expect(
      internalKind('res.partner', 'channel_ids', f({ type: 'many2many', relation: 'discuss.channel' })),
    ).toBe('plumbing');
    expect(internalKind('res.partner', 'access_token', f({}))).toBe('plumbing');
    expect(internalKind('mail.message', 'message_type', f({ type: 'selection' }))).toBeUndefined();
    expect(internalKind('res.partner', 'id', f({ type: 'integer' }))).toBe('magic');
  });
  it('keeps what a domain or a write can use', () => {
    expect(internalKind('res.partner', 'credit', f({ store: false, readonly: true }))).toBeUndefined();
    expect(
      internalKind('res.partner', 'company_type', f({ store: false, searchable: false })),
    ).toBeUndefined();
    expect(
      internalKind('res.partner', 'tz_offset', f({ store: false, searchable: false, readonly: true })),
    ).toBe('computed');
    expect(internalKind('res.partner', 'image_1920', f({ type: 'binary' }))).toBeUndefined();
    expect(internalKind('res.partner', 'image_128', f({ type: 'binary', readonly: true }))).toBe('binary');
  });
});
