// A domain condition on a field Odoo cannot search (not stored, no search method: fields_get says
// `searchable: false`) is not an error on a real server: it logs "Non-stored field ... cannot be
// searched" and puts TRUE in its place. The emulator decides from the seed's fields_get, per
// version: display_name is stored on 15/16's res.partner, searchable on no model in 17.0 (and on
// none but res.partner before), and searchable everywhere from 18.0; tz_offset never is.
import { describe, expect, it } from 'vitest';
import type { OdooVersion } from '../../src/emulator/orm/types.js';
import { call, makeOrm, raised } from './orm-helpers.js';

const VERSIONS: OdooVersion[] = ['15.0', '16.0', '17.0', '18.0', '19.0'];

/** search_count of display_name ilike 'Wood' on res.partner, and of all active partners (corpus sizes). */
const WOOD: Record<OdooVersion, [number, number]> = {
  // stored display_name: Wood Corner and its three contacts ("Wood Corner, ...")
  '15.0': [4, 38],
  '16.0': [4, 38],
  // not searchable: the condition is dropped, every active partner matches
  '17.0': [98, 98],
  // _search_display_name: complete_name, email, ref, vat, company_registry
  '18.0': [5, 99],
  '19.0': [5, 101],
};

describe.each(VERSIONS)('conditions Odoo %s cannot search', (version) => {
  const orm = makeOrm(version);
  const count = (model: string, domain: unknown[]) => call(orm, model, 'search_count', [domain]) as number;
  const searchable = (model: string, field: string) => {
    const fields = call(orm, model, 'fields_get', [[field]], {
      attributes: ['store', 'searchable'],
    }) as Record<string, { store: boolean; searchable: boolean }>;
    const def = fields[field];
    return def?.store !== false || def.searchable !== false;
  };

  it('display_name on res.partner: honoured where fields_get says searchable, dropped elsewhere', () => {
    const [wood, all] = WOOD[version];
    expect(count('res.partner', [])).toBe(all);
    expect(count('res.partner', [['display_name', 'ilike', 'Wood']])).toBe(wood);
    expect(searchable('res.partner', 'display_name')).toBe(version !== '17.0');
  });

  it('display_name on sale.order: dropped up to 17.0, searched from 18.0', () => {
    const all = count('sale.order', []);
    const one = count('sale.order', [['display_name', 'ilike', 'S00001']]);
    const dropped = !searchable('sale.order', 'display_name');
    expect(dropped).toBe(version <= '17.0');
    expect(one).toBe(dropped ? all : 1);
  });

  it('tz_offset is dropped with any operator and value, negated and through a many2one path', () => {
    const all = count('res.partner', []);
    expect(searchable('res.partner', 'tz_offset')).toBe(false);
    expect(count('res.partner', [['tz_offset', '=', '+0900']])).toBe(all);
    expect(count('res.partner', [['tz_offset', 'in', ['+0900', 'nonsense', 42]]])).toBe(all);
    expect(count('res.partner', ['!', ['tz_offset', '=', '+0900']])).toBe(all);
    expect(
      count('res.partner', [
        ['tz_offset', '!=', '+0000'],
        ['is_company', '=', true],
      ]),
    ).toBe(count('res.partner', [['is_company', '=', true]]));
    // the sub-search on res.partner keeps every partner: orders with a customer
    expect(count('sale.order', [['partner_id.tz_offset', '=', 'x']])).toBe(
      count('sale.order', [['partner_id', '!=', false]]),
    );
  });

  it('still refuses what is not a condition at all', () => {
    expect(raised(() => count('res.partner', [['tz_offset', 'bogus_op', 1]]))[0]).toBe('builtins.ValueError');
    expect(raised(() => count('res.partner', [['no_such_field', '=', 1]]))[0]).toBe('builtins.ValueError');
  });

  it('name_search matches the rec-name fields whatever display_name can do', () => {
    const found = call(orm, 'res.partner', 'name_search', ['Wood Corner'], { limit: 10 }) as Array<
      [number, string]
    >;
    expect(found.map(([, name]) => name)).toContain('Wood Corner');
  });
});
