import { describe, expect, it } from 'vitest';
import { searchRows } from '../../src/emulator/orm/domain.js';
import { compileOrder, defaultOrder, sortRows } from '../../src/emulator/orm/order.js';
import type { OdooVersion } from '../../src/emulator/orm/types.js';
import { fakeEnv } from './domain-fixtures.js';

const ALL: OdooVersion[] = ['17.0', '18.0', '19.0'];

// Active partners: 1 Acme (BE, color 3), 2 Alice (BE), 3 Bob (no country, no email, color 5),
// 4 Bob Jr (FR), 5 Globex (US), 7 Zed (FR), 8 "100% Cotton_Co" (no country, no email, color 1).
// Countries order by name: Belgium (2), France (3), United States (1).
const CASES: Array<{ name: string; model?: string; order: string | undefined; ids: number[] }> = [
  { name: 'char ascending', order: 'name', ids: [8, 1, 2, 3, 4, 5, 7] },
  { name: 'char descending', order: 'name desc', ids: [7, 5, 4, 3, 2, 1, 8] },
  { name: 'case-insensitive keywords', order: 'name DESC', ids: [7, 5, 4, 3, 2, 1, 8] },
  { name: 'several terms', order: 'color desc, id', ids: [3, 1, 8, 2, 4, 5, 7] },
  { name: 'id descending', order: 'id desc', ids: [8, 7, 5, 4, 3, 2, 1] },
  { name: 'NULLs last when ascending', order: 'email', ids: [2, 4, 1, 5, 7, 3, 8] },
  { name: 'NULLs first when descending', order: 'email desc', ids: [3, 8, 7, 5, 1, 4, 2] },
  { name: 'nulls first', order: 'email asc nulls first', ids: [3, 8, 2, 4, 1, 5, 7] },
  { name: 'nulls last on desc', order: 'email desc nulls last', ids: [7, 5, 1, 4, 2, 3, 8] },
  { name: 'boolean as COALESCE(false)', order: 'is_company desc, id', ids: [1, 5, 8, 2, 3, 4, 7] },
  { name: 'date with NULLs', order: 'date', ids: [5, 1, 2, 4, 3, 7, 8] },
  { name: 'many2one by the comodel order (name)', order: 'country_id', ids: [1, 2, 4, 7, 5, 3, 8] },
  { name: 'many2one desc reverses the comodel order', order: 'country_id desc', ids: [3, 8, 5, 4, 7, 1, 2] },
  { name: 'many2one nulls first', order: 'country_id nulls first', ids: [3, 8, 1, 2, 4, 7, 5] },
  { name: 'many2one .id orders by raw id', order: 'country_id.id', ids: [5, 1, 2, 4, 7, 3, 8] },
  { name: 'default order of res.partner', order: undefined, ids: [8, 1, 2, 3, 4, 5, 7] },
  { name: 'empty order means default', order: '', ids: [8, 1, 2, 3, 4, 5, 7] },
  { name: 'default order of sale.order', model: 'sale.order', order: undefined, ids: [2, 4, 1, 3] },
  {
    name: 'many2one to a model with a complex order',
    model: 'sale.order',
    order: 'partner_id',
    ids: [1, 3, 2, 4],
  },
  {
    name: 'many2one through a many2one order',
    model: 'sale.order.line',
    order: 'order_id, id',
    ids: [3, 4, 1, 2],
  },
  { name: 'default order of sale.order.line', model: 'sale.order.line', order: undefined, ids: [3, 4, 2, 1] },
];

describe.each(ALL)('ordering, Odoo %s', (version) => {
  const env = fakeEnv(version);
  it.each(CASES)('$name', ({ model = 'res.partner', order, ids }) => {
    const rows = searchRows(env, model, []);
    expect(sortRows(env, model, rows, order).map((r) => r.id)).toEqual(ids);
  });

  it.each([
    ['bogus', 'ValueError', "Invalid field 'bogus' on model 'res.partner'"],
    ['name, bogus desc', 'ValueError', "Invalid field 'bogus' on model 'res.partner'"],
    [
      'name sideways',
      'odoo.exceptions.UserError',
      'Invalid "order" specified (name sideways). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)',
    ],
    [
      'name,',
      'odoo.exceptions.UserError',
      'Invalid "order" specified (name,). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)',
    ],
    ['category_id', 'ValueError', 'Cannot convert res.partner.category_id to SQL because it is not stored'],
    ['display_name', 'ValueError', 'Cannot convert res.partner.display_name to SQL because it is not stored'],
    ['name.foo', 'ValueError', "Invalid field property 'foo' on res.partner.name"],
  ])('rejects %j', (order, pyType, message) => {
    expect(() => compileOrder(env, 'res.partner', order)).toThrow(
      expect.objectContaining({ pyType, message }),
    );
  });
});

describe('default orders', () => {
  it.each([
    ['17.0', 'res.partner', 'complete_name ASC, id DESC'],
    ['19.0', 'sale.order', 'date_order desc, id desc'],
    ['17.0', 'product.template', 'priority desc, name'],
    ['18.0', 'product.template', 'is_favorite desc, name'],
    ['19.0', 'res.country', 'name'],
    ['19.0', 'x.unknown', 'id'],
  ] as const)('%s %s', (version, model, order) => {
    expect(defaultOrder(fakeEnv(version), model)).toBe(order);
  });
});
