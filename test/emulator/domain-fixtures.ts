// A compact in-memory DomainEnv for the domain and order tests: partners in a parent hierarchy
// (with archived ones), tags with their own hierarchy (one archived), countries without an
// `active` field, sales orders with lines and products (one archived).
import { readFileSync } from 'node:fs';
import type { DomainEnv, FieldMap, OdooVersion, Row } from '../../src/emulator/orm/types.js';

interface Model {
  fields: FieldMap;
  rows: Row[];
}

const m2o = (relation: string) => ({ type: 'many2one', relation, store: true });
const o2m = (relation: string, inverse: string) => ({
  type: 'one2many',
  relation,
  relation_field: inverse,
  store: true,
});
const m2m = (relation: string) => ({ type: 'many2many', relation, store: true });
const scalar = (type: string) => ({ type, store: true });

export const PARTNERS: Row[] = [
  {
    id: 1,
    name: 'Acme',
    complete_name: 'Acme',
    active: true,
    is_company: true,
    parent_id: false,
    category_id: [1],
    country_id: 2,
    color: 3,
    credit_limit: 1000.5,
    email: 'info@acme.test',
    date: '2024-01-15',
    create_date: '2024-01-15 10:00:00',
    type: 'contact',
  },
  {
    id: 2,
    name: 'Alice',
    complete_name: 'Acme, Alice',
    active: true,
    is_company: false,
    parent_id: 1,
    category_id: [2],
    country_id: 2,
    color: 0,
    credit_limit: 0,
    email: 'alice@acme.test',
    date: '2024-02-01',
    create_date: '2024-02-01 00:00:00',
    type: 'invoice',
  },
  {
    id: 3,
    name: 'Bob',
    complete_name: 'Acme, Bob',
    active: true,
    is_company: false,
    parent_id: 1,
    category_id: [],
    country_id: false,
    color: 5,
    credit_limit: 0,
    email: false,
    date: false,
    create_date: '2024-02-01 23:59:59',
    type: 'contact',
  },
  {
    id: 4,
    name: 'Bob Jr',
    complete_name: 'Acme, Bob, Bob Jr',
    active: true,
    is_company: false,
    parent_id: 3,
    category_id: [2, 4],
    country_id: 3,
    color: 0,
    credit_limit: 0,
    email: 'bobjr@acme.test',
    date: '2024-03-10',
    create_date: '2024-03-10 12:00:00',
    type: 'delivery',
  },
  {
    id: 5,
    name: 'Globex',
    complete_name: 'Globex',
    active: true,
    is_company: true,
    parent_id: false,
    category_id: [1, 4],
    country_id: 1,
    color: 0,
    credit_limit: 250,
    email: 'sales@globex.test',
    date: '2023-12-31',
    create_date: '2023-12-31 18:00:00',
    type: 'contact',
  },
  {
    id: 6,
    name: 'Old Corp',
    complete_name: 'Old Corp',
    active: false,
    is_company: true,
    parent_id: false,
    category_id: [3],
    country_id: 3,
    color: 7,
    credit_limit: 0,
    email: 'old@corp.test',
    date: '2020-05-05',
    create_date: '2020-05-05 05:05:05',
    type: 'contact',
  },
  {
    id: 7,
    name: 'Zed',
    complete_name: 'Zed',
    active: true,
    is_company: false,
    parent_id: false,
    category_id: [3],
    country_id: 3,
    color: 0,
    credit_limit: 0,
    email: 'zed@x.org',
    date: false,
    create_date: '2024-01-15 23:00:00',
    type: false,
  },
  {
    id: 8,
    name: '100% Cotton_Co',
    complete_name: '100% Cotton_Co',
    active: true,
    is_company: true,
    parent_id: false,
    category_id: [],
    country_id: false,
    color: 1,
    credit_limit: 0,
    email: false,
    date: false,
    create_date: '2022-01-01 00:00:00',
    type: 'contact',
  },
  {
    id: 9,
    name: 'Archived Kid',
    complete_name: 'Acme, Archived Kid',
    active: false,
    is_company: false,
    parent_id: 1,
    category_id: [],
    country_id: 2,
    color: 0,
    credit_limit: 0,
    email: 'kid@acme.test',
    date: false,
    create_date: '2024-01-01 00:00:00',
    type: 'contact',
  },
].map((p) => ({ ...p, ref: false, vat: false }));

function withInverse(rows: Row[], field: string, inverse: string): Row[] {
  return rows.map((row) => ({ ...row, [inverse]: rows.filter((r) => r[field] === row.id).map((r) => r.id) }));
}

function buildModels(): Record<string, Model> {
  const partners = withInverse(PARTNERS, 'parent_id', 'child_ids').map((p) => ({
    ...p,
    sale_order_ids: ORDERS.filter((o) => o.partner_id === p.id).map((o) => o.id),
  }));
  return {
    'res.partner': {
      fields: {
        id: scalar('integer'),
        name: scalar('char'),
        complete_name: scalar('char'),
        display_name: { type: 'char', store: false },
        active: scalar('boolean'),
        is_company: scalar('boolean'),
        parent_id: m2o('res.partner'),
        child_ids: o2m('res.partner', 'parent_id'),
        category_id: m2m('res.partner.category'),
        country_id: m2o('res.country'),
        color: scalar('integer'),
        credit_limit: scalar('float'),
        email: scalar('char'),
        ref: scalar('char'),
        vat: scalar('char'),
        date: scalar('date'),
        create_date: scalar('datetime'),
        type: {
          type: 'selection',
          store: true,
          selection: [
            ['contact', 'Contact'],
            ['invoice', 'Invoice'],
            ['delivery', 'Delivery'],
          ],
        },
        sale_order_ids: o2m('sale.order', 'partner_id'),
      },
      rows: partners,
    },
    'res.partner.category': {
      fields: {
        id: scalar('integer'),
        name: scalar('char'),
        active: scalar('boolean'),
        parent_id: m2o('res.partner.category'),
        child_ids: o2m('res.partner.category', 'parent_id'),
      },
      rows: withInverse(
        [
          { id: 1, name: 'Customer', active: true, parent_id: false },
          { id: 2, name: 'VIP', active: true, parent_id: 1 },
          { id: 3, name: 'Legacy', active: false, parent_id: false },
          { id: 4, name: 'Supplier', active: true, parent_id: false },
          { id: 5, name: 'Gold', active: true, parent_id: 2 },
        ],
        'parent_id',
        'child_ids',
      ),
    },
    'res.country': {
      fields: { id: scalar('integer'), name: scalar('char'), code: scalar('char') },
      rows: [
        { id: 1, name: 'United States', code: 'US' },
        { id: 2, name: 'Belgium', code: 'BE' },
        { id: 3, name: 'France', code: 'FR' },
      ],
    },
    'sale.order': {
      fields: {
        id: scalar('integer'),
        name: scalar('char'),
        partner_id: m2o('res.partner'),
        date_order: scalar('datetime'),
        state: scalar('selection'),
        order_line: o2m('sale.order.line', 'order_id'),
        amount_total: scalar('monetary'),
      },
      rows: ORDERS.map((o) => ({
        ...o,
        order_line: LINES.filter((l) => l.order_id === o.id).map((l) => l.id),
      })),
    },
    'sale.order.line': {
      fields: {
        id: scalar('integer'),
        name: scalar('char'),
        order_id: m2o('sale.order'),
        product_id: m2o('product.product'),
        product_uom_qty: scalar('float'),
        sequence: scalar('integer'),
      },
      rows: LINES,
    },
    'product.product': {
      fields: {
        id: scalar('integer'),
        name: scalar('char'),
        default_code: scalar('char'),
        active: scalar('boolean'),
      },
      rows: [
        { id: 1, name: 'Desk', default_code: 'FURN_1', active: true },
        { id: 2, name: 'Chair', default_code: 'FURN_2', active: true },
        { id: 3, name: 'Lamp', default_code: 'FURN_3', active: false },
      ],
    },
  };
}

const ORDERS: Row[] = [
  {
    id: 1,
    name: 'S001',
    partner_id: 1,
    date_order: '2024-03-01 09:00:00',
    state: 'draft',
    amount_total: 500,
  },
  { id: 2, name: 'S002', partner_id: 5, date_order: '2024-03-02 15:30:00', state: 'sale', amount_total: 120 },
  { id: 3, name: 'S003', partner_id: 2, date_order: '2024-02-28 08:00:00', state: 'cancel', amount_total: 0 },
  { id: 4, name: 'S004', partner_id: 6, date_order: '2024-03-01 09:00:00', state: 'draft', amount_total: 80 },
];

const LINES: Row[] = [
  { id: 1, name: 'Desk', order_id: 1, product_id: 1, product_uom_qty: 2, sequence: 10 },
  { id: 2, name: 'Chair', order_id: 1, product_id: 2, product_uom_qty: 5, sequence: 5 },
  { id: 3, name: 'Lamp', order_id: 2, product_id: 3, product_uom_qty: 1, sequence: 10 },
  { id: 4, name: 'Chair', order_id: 4, product_id: 2, product_uom_qty: 1, sequence: 10 },
];

function envOver(version: OdooVersion, models: Record<string, Model>): DomainEnv {
  const byId = new Map(
    Object.entries(models).map(([name, m]) => [name, new Map(m.rows.map((r) => [r.id, r]))]),
  );
  return {
    version,
    fields: (model) => models[model]?.fields,
    row: (model, id) => byId.get(model)?.get(id),
    rows: (model) => models[model]?.rows ?? [],
    displayName: (model, id) => {
      const row = byId.get(model)?.get(id);
      return String(row?.display_name ?? row?.complete_name ?? row?.name ?? '');
    },
  };
}

export function fakeEnv(version: OdooVersion): DomainEnv {
  return envOver(version, buildModels());
}

/** The recorded seed of one version (res.partner and res.country), many2one pairs reduced to ids. */
export function seedEnv(version: OdooVersion): DomainEnv {
  const load = (model: string): Model => {
    const dir = new URL(`../../data/emulator/${version}/`, import.meta.url);
    const fields = JSON.parse(readFileSync(new URL(`${model}.fields.json`, dir), 'utf8')) as FieldMap;
    const records = JSON.parse(readFileSync(new URL(`${model}.records.json`, dir), 'utf8')) as Row[];
    const rows = records.map((record) => {
      const row: Row = { ...record };
      for (const [name, def] of Object.entries(fields)) {
        const value = row[name];
        if (def.type === 'many2one' && Array.isArray(value)) row[name] = value[0];
      }
      return row;
    });
    return { fields, rows };
  };
  return envOver(version, { 'res.partner': load('res.partner'), 'res.country': load('res.country') });
}

/** The JSON-RPC exchange of a recorded contract case. */
export function contractCase(
  version: OdooVersion,
  name: string,
): { args: unknown[]; kwargs: Record<string, unknown>; result: unknown } {
  const file = new URL(`../fixtures/odoo-contract/${version}/cases/${name}.jsonrpc.json`, import.meta.url);
  const recorded = JSON.parse(readFileSync(file, 'utf8')) as {
    request: { body: string };
    response: { body: string };
  };
  const request = JSON.parse(recorded.request.body) as { params: { args: unknown[] } };
  const response = JSON.parse(recorded.response.body) as { result: unknown };
  const [, , , , , args, kwargs] = request.params.args as [
    unknown,
    unknown,
    unknown,
    unknown,
    unknown,
    unknown[],
    Record<string, unknown>,
  ];
  return { args, kwargs, result: response.result };
}
