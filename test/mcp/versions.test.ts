// The same tool inputs give the same result shapes on every Odoo version from 15 to 19, and no
// answer is silently wrong where a version would drop part of the request (a domain condition on
// a field it cannot search, an order it cannot apply, an aggregate it leaves out).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OdooVersion } from '../../src/emulator/orm/types.js';
import { type Harness, startHarness } from '../helpers/mcp.js';

const VERSIONS: OdooVersion[] = ['15.0', '16.0', '17.0', '18.0', '19.0'];

type Structured = Record<string, unknown>;

/** Keys and value kinds, recursively: what a client parses, not what the data is. */
function shape(v: unknown): unknown {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length === 0 ? [] : [shape(v[0])];
  if (typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Structured)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, shape(x)]),
    );
  }
  return typeof v;
}

/** Calls every version gets, with fields chosen so that values are present on each dataset. */
const SAME_SHAPE: Array<[string, Structured]> = [
  [
    'search_records',
    {
      model: 'res.partner',
      domain: [['is_company', '=', true]],
      fields: ['name', 'country_id', 'category_id', 'is_company'],
      limit: 2,
      order: 'id',
    },
  ],
  [
    'search_records',
    {
      model: 'sale.order',
      fields: ['name', 'partner_id', 'amount_total', 'order_line'],
      limit: 2,
      order: 'id',
    },
  ],
  ['search_records', { model: 'res.partner', query: 'Deco', fields: ['name'], limit: 1 }],
  ['search_records', { model: 'sale.order', query: 'S0000', fields: ['name'], limit: 1 }],
  ['read_records', { model: 'res.partner', ids: [3, 999999], fields: ['name', 'parent_id', 'child_ids'] }],
  ['count_records', { model: 'res.partner', domain: [['is_company', '=', true]] }],
  [
    'aggregate_records',
    { model: 'sale.order', group_by: ['partner_id'], aggregates: ['amount_total:sum', '__count'], limit: 2 },
  ],
  ['aggregate_records', { model: 'sale.order', group_by: ['date_order:month'], limit: 1 }],
  // Fields are keyed by name: a query that finds the same fields on every version.
  ['describe_model', { model: 'res.partner', query: 'country_id' }],
  ['describe_model', { model: 'res.partner', fields: ['country_id', 'email', 'is_company'] }],
  ['list_models', { query: 'res.partner', limit: 2 }],
];

const harnesses = new Map<OdooVersion, Harness>();

beforeAll(async () => {
  for (const version of VERSIONS) harnesses.set(version, await startHarness({ version, era: 'legacy' }));
});
afterAll(async () => {
  for (const h of harnesses.values()) await h.close();
});

async function call(version: OdooVersion, name: string, args: Structured) {
  const h = harnesses.get(version);
  if (!h) throw new Error(`no harness for ${version}`);
  const result = await h.client.callTool({ name, arguments: args });
  return {
    data: result.structuredContent as Structured,
    text: (result.content as Array<{ text?: string }>)[0]?.text ?? '',
    isError: result.isError === true,
  };
}

describe('the same shapes on every version', () => {
  for (const [name, args] of SAME_SHAPE) {
    it(`${name} ${JSON.stringify(args)}`, async () => {
      const shapes = new Map<OdooVersion, unknown>();
      for (const version of VERSIONS) {
        const r = await call(version, name, args);
        expect(r.isError, `${version}: ${r.text}`).toBe(false);
        shapes.set(version, shape(r.data));
      }
      for (const version of VERSIONS) expect(shapes.get(version), version).toEqual(shapes.get('19.0'));
    });
  }
});

for (const version of VERSIONS) {
  describe(`nothing silently dropped on ${version}`, () => {
    const h = () => harnesses.get(version) as Harness;

    it('query finds what name_search finds, with the right total', async () => {
      const named = await h().odoo.nameSearch('res.partner', 'Wood', { limit: 100 });
      const all = await h().odoo.searchCount('res.partner', []);
      const r = await call(version, 'search_records', {
        model: 'res.partner',
        query: 'Wood',
        fields: ['name'],
      });
      expect(r.isError).toBe(false);
      expect(named.length).toBeGreaterThan(0);
      expect(r.data.total).toBeLessThan(all);
      expect((r.data.records as Structured[]).map((x) => x.id).sort()).toEqual(named.map((n) => n.id).sort());
      // A model whose display_name is computed on every version.
      const orders = await h().odoo.nameSearch('sale.order', 'S00001', { limit: 100 });
      const byQuery = await call(version, 'search_records', {
        model: 'sale.order',
        query: 'S00001',
        fields: ['name'],
      });
      expect(byQuery.data.total).toBe(orders.length);
    });

    it('query combines with a domain', async () => {
      const r = await call(version, 'search_records', {
        model: 'res.partner',
        query: 'a',
        domain: [['is_company', '=', true]],
        fields: ['name', 'is_company'],
        limit: 100,
      });
      expect(r.isError).toBe(false);
      const records = r.data.records as Structured[];
      expect(records.length).toBeGreaterThan(0);
      for (const rec of records) expect(rec.is_company).toBe(true);
    });

    it('refuses a domain on a field Odoo cannot search, instead of returning everything', async () => {
      const r = await call(version, 'count_records', {
        model: 'res.partner',
        domain: [['tz_offset', '=', '+0100']],
      });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('res.partner.tz_offset cannot be searched');
      expect(r.text).toContain('return unfiltered records');
      const path = await call(version, 'search_records', {
        model: 'res.partner',
        domain: [['parent_id.tz_offset', '=', '+0100']],
      });
      expect(path.isError).toBe(true);
      expect(path.text).toContain('res.partner.tz_offset cannot be searched');
      // sale.order's display_name is computed; 18 and 19 give it a search method, 15 to 17 do not.
      const dn = await call(version, 'search_records', {
        model: 'sale.order',
        domain: [['display_name', 'ilike', 'S0']],
      });
      expect(dn.isError, dn.text).toBe(Number.parseInt(version, 10) < 18);
      if (dn.isError) expect(dn.text).toContain('"query" parameter');
    });

    it('refuses an order Odoo would ignore', async () => {
      const r = await call(version, 'search_records', { model: 'res.partner', order: 'tz_offset desc' });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('cannot be sorted by "tz_offset"');
    });

    it('refuses an aggregate of a computed field', async () => {
      const r = await call(version, 'aggregate_records', {
        model: 'res.partner',
        group_by: ['country_id'],
        aggregates: ['active_lang_count:sum'],
      });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('computed and not stored');
    });

    it('gives the real total on a page past the end', async () => {
      const all = await h().odoo.searchCount('res.partner', []);
      const r = await call(version, 'search_records', {
        model: 'res.partner',
        offset: all + 5,
        fields: ['name'],
      });
      expect(r.data).toMatchObject({ records: [], total: all, has_more: false, next_offset: null });
    });
  });
}
