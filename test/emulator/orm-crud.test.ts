// create/write/unlink/copy on the emulator's ORM: defaults, magic fields, computed names, value
// validation, constraints, x2many commands, rollback of failed calls and reset().
import { beforeEach, describe, expect, it } from 'vitest';
import type { EmulatedOrm } from '../../src/emulator/orm/index.js';
import { call, makeOrm, raised } from './orm-helpers.js';

const NOT_NULL_17 =
  'The operation cannot be completed:\n' +
  '- Create/update: a mandatory field is not set.\n' +
  '- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n';

describe('create', () => {
  let orm: EmulatedOrm;
  beforeEach(() => {
    orm = makeOrm('17.0');
  });

  it('fills defaults, magic fields and the computed display name', () => {
    const id = call(orm, 'res.partner', 'create', [{ name: 'Ann', parent_id: 9 }]) as number;
    expect(id).toBe(103);
    const [row] = call(orm, 'res.partner', 'read', [
      [id],
      [
        'display_name',
        'active',
        'type',
        'lang',
        'color',
        'create_uid',
        'create_date',
        'write_date',
        'commercial_partner_id',
      ],
    ]) as Record<string, unknown>[];
    expect(row).toEqual({
      id,
      display_name: 'Wood Corner, Ann',
      active: true,
      type: 'contact',
      lang: 'en_US',
      color: 0,
      create_uid: [2, 'Mitchell Admin'],
      create_date: '2026-01-15 10:20:30',
      write_date: '2026-01-15 10:20:30',
      commercial_partner_id: [9, 'Wood Corner'],
    });
    // the parent's one2many follows, in res.partner's order
    const [parent] = call(orm, 'res.partner', 'read', [[9], ['child_ids']]) as { child_ids: number[] }[];
    expect(parent?.child_ids).toContain(id);
  });

  it('answers an id for one dict and ids for a list (positional), ids always over JSON-2', () => {
    expect(call(orm, 'res.partner', 'create', [{ name: 'A' }])).toBe(103);
    expect(call(orm, 'res.partner', 'create', [[{ name: 'B' }, { name: 'C' }]])).toEqual([104, 105]);
    const orm19 = makeOrm('19.0');
    expect(
      orm19.call({
        uid: 2,
        model: 'res.partner',
        method: 'create',
        style: 'named',
        params: { vals_list: { name: 'D' } },
      }),
    ).toEqual([115]);
  });

  it('rejects unknown fields, bad selections, bad numbers and dates as Odoo does', () => {
    expect(raised(() => call(orm, 'res.partner', 'create', [{ name: 'x', bogus: 1 }]))).toEqual([
      'builtins.ValueError',
      "Invalid field 'bogus' on model 'res.partner'",
    ]);
    expect(raised(() => call(orm, 'res.partner', 'create', [{ name: 'x', type: 'bogus' }]))).toEqual([
      'builtins.ValueError',
      "Wrong value for res.partner.type: 'bogus'",
    ]);
    expect(raised(() => call(orm, 'res.partner', 'create', [{ name: 'x', color: 'abc' }]))).toEqual([
      'builtins.ValueError',
      "invalid literal for int() with base 10: 'abc'",
    ]);
    expect(raised(() => call(orm, 'res.partner', 'create', [{ name: 'x', credit_limit: 'lots' }]))).toEqual([
      'builtins.ValueError',
      "could not convert string to float: 'lots'",
    ]);
    expect(raised(() => call(orm, 'res.partner', 'create', [{ name: 'x', date: '2024-13-01' }]))).toEqual([
      'builtins.ValueError',
      "time data '2024-13-01' does not match format '%Y-%m-%d'",
    ]);
    const [type, message] = raised(() =>
      call(orm, 'res.partner', 'create', [{ name: 'x', parent_id: 'abc' }]),
    );
    expect(type).toBe('psycopg2.errors.InvalidTextRepresentation');
    expect(message.split('\n')[0]).toBe('invalid input syntax for type integer: "abc"');
  });

  it('converts values the way the fields do', () => {
    const id = call(orm, 'res.partner', 'create', [
      {
        name: 42,
        color: '7',
        credit_limit: '12.5',
        is_company: 1,
        date: '2024-02-03 10:11:12',
        comment: '<p>x</p>',
      },
    ]) as number;
    const [row] = call(orm, 'res.partner', 'read', [
      [id],
      ['name', 'color', 'credit_limit', 'is_company', 'date', 'comment'],
    ]) as Record<string, unknown>[];
    expect(row).toEqual({
      id,
      name: '42',
      color: 7,
      credit_limit: 12.5,
      is_company: true,
      date: '2024-02-03',
      comment: '<p>x</p>',
    });
  });

  it('raises the NOT NULL ValidationError for a missing required field (17/18) and the 19.0 wording', () => {
    expect(raised(() => call(orm, 'sale.order', 'create', [{}]))).toEqual([
      'odoo.exceptions.ValidationError',
      `${NOT_NULL_17}Model: Sales Order (sale.order)\nField: Customer (partner_id)\n`,
    ]);
    const orm19 = makeOrm('19.0');
    expect(raised(() => call(orm19, 'crm.lead', 'create', [{}]))).toEqual([
      'odoo.exceptions.ValidationError',
      "Missing required value for the field 'Opportunity' (name)",
    ]);
    expect(raised(() => call(orm, 'res.partner', 'create', [{ email: 'a@b.c' }]))).toEqual([
      'odoo.exceptions.ValidationError',
      'The operation cannot be completed: Contacts require a name',
    ]);
  });

  it('refuses a many2one to a record that does not exist (foreign key)', () => {
    expect(raised(() => call(orm, 'res.partner', 'create', [{ name: 'x', parent_id: 999999 }]))).toEqual([
      'odoo.exceptions.ValidationError',
      'The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\n' +
        'Model: Contact (res.partner)\nConstraint: res_partner_parent_id_fkey\n',
    ]);
  });

  it('numbers sale orders, takes product prices and taxes, and sums the lines', () => {
    const id = call(orm, 'sale.order', 'create', [
      { partner_id: 10, order_line: [[0, 0, { product_id: 6, product_uom_qty: 2 }]] },
    ]) as number;
    const [order] = call(orm, 'sale.order', 'read', [
      [id],
      ['name', 'state', 'amount_untaxed', 'amount_tax', 'amount_total', 'partner_invoice_id', 'user_id'],
    ]) as Record<string, unknown>[];
    expect(order).toMatchObject({
      name: 'S00021',
      state: 'draft',
      amount_untaxed: 80,
      amount_tax: 12,
      amount_total: 92,
      partner_invoice_id: [10, 'Deco Addict'],
      user_id: [2, 'Mitchell Admin'],
    });
  });
});

describe('write, unlink, copy, archive', () => {
  let orm: EmulatedOrm;
  beforeEach(() => {
    orm = makeOrm('17.0');
  });

  it('updates write_date and recomputes names down the tree', () => {
    expect(call(orm, 'res.partner', 'write', [[11], { name: 'Gemini Tables' }])).toBe(true);
    const [contact] = call(orm, 'res.partner', 'read', [[22], ['display_name']]) as {
      display_name: string;
    }[];
    expect(contact?.display_name).toBe('Gemini Tables, Jesse Brown');
    const [company] = call(orm, 'res.partner', 'read', [[11], ['write_date', 'write_uid']]) as Record<
      string,
      unknown
    >[];
    expect(company).toMatchObject({ write_date: '2026-01-15 10:20:30', write_uid: [2, 'Mitchell Admin'] });
  });

  it('raises MissingError with the record and user for missing ids', () => {
    const expected = [
      'odoo.exceptions.MissingError',
      'Record does not exist or has been deleted.\n(Record: res.partner(999999,), User: 2)',
    ];
    expect(raised(() => call(orm, 'res.partner', 'write', [[999999], { name: 'x' }]))).toEqual(expected);
    expect(raised(() => call(orm, 'res.partner', 'unlink', [[999999]]))).toEqual(expected);
    expect(call(orm, 'res.partner', 'read', [[999999], ['name']])).toEqual([]);
  });

  it('refuses recursive partner hierarchies', () => {
    const child = call(orm, 'res.partner', 'create', [{ name: 'Kid', parent_id: 9 }]) as number;
    for (const parent of [9, child]) {
      expect(raised(() => call(orm, 'res.partner', 'write', [[9], { parent_id: parent }]))).toEqual([
        'odoo.exceptions.ValidationError',
        'You cannot create recursive Partner hierarchies.',
      ]);
    }
  });

  it('refuses to delete a partner a required many2one points at', () => {
    expect(raised(() => call(orm, 'res.partner', 'unlink', [[10]]))).toEqual([
      'odoo.exceptions.ValidationError',
      'The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\n' +
        'Model: Sales Order (sale.order)\nConstraint: sale_order_partner_id_fkey\n',
    ]);
  });

  it('keeps confirmed orders and linked partners from being deleted', () => {
    expect(call(orm, 'sale.order', 'action_confirm', [[1]])).toBe(true);
    expect(raised(() => call(orm, 'sale.order', 'unlink', [[1]]))).toEqual([
      'odoo.exceptions.UserError',
      'You can not delete a sent quotation or a confirmed sales order. You must first cancel it.',
    ]);
    expect(raised(() => call(orm, 'sale.order', 'action_confirm', [[1]]))[0]).toBe(
      'odoo.exceptions.UserError',
    );
    expect(raised(() => call(orm, 'res.partner', 'unlink', [[3]]))[0]).toBe(
      'odoo.exceptions.ValidationError',
    );
  });

  it('deletes a draft order with its lines (ondelete cascade)', () => {
    const lines = call(orm, 'sale.order.line', 'search', [[['order_id', '=', 3]]]) as number[];
    expect(lines.length).toBeGreaterThan(0);
    expect(call(orm, 'sale.order', 'unlink', [[3]])).toBe(true);
    expect(call(orm, 'sale.order.line', 'search', [[['id', 'in', lines]]])).toEqual([]);
  });

  it('copies with " (copy)", answering an id on 17.0 and ids on 18.0+', () => {
    const copy = call(orm, 'res.partner', 'copy', [[9]]) as number;
    expect(call(orm, 'res.partner', 'read', [[copy], ['name', 'is_company']])).toEqual([
      { id: copy, name: 'Wood Corner (copy)', is_company: true },
    ]);
    expect(raised(() => call(orm, 'res.partner', 'copy', [[9, 10]]))).toEqual([
      'builtins.ValueError',
      'Expected singleton: res.partner(9, 10)',
    ]);
    const orm18 = makeOrm('18.0');
    expect(call(orm18, 'res.partner', 'copy', [[9]], { default: { name: 'Other' } })).toEqual([104]);
  });

  it('archives (returning None) and honours active_test', () => {
    expect(call(orm, 'res.partner', 'action_archive', [[10]])).toBeUndefined();
    expect(call(orm, 'res.partner', 'search', [[['id', '=', 10]]])).toEqual([]);
    expect(
      call(orm, 'res.partner', 'search', [[['id', '=', 10]]], { context: { active_test: false } }),
    ).toEqual([10]);
    expect(call(orm, 'res.partner', 'read', [[10], ['active']])).toEqual([{ id: 10, active: false }]);
    expect(call(orm, 'res.partner', 'action_unarchive', [[10]])).toBeUndefined();
    expect(call(orm, 'res.partner', 'search', [[['id', '=', 10]]])).toEqual([10]);
    expect(raised(() => call(orm, 'res.country', 'action_archive', [[233]]))[0]).toBe(
      'builtins.AssertionError',
    );
  });

  it('sets a won stage and probability 100 on action_set_won', () => {
    expect(call(orm, 'crm.lead', 'action_set_won', [[13]])).toBe(true);
    expect(call(orm, 'crm.lead', 'read', [[13], ['stage_id', 'probability']])).toEqual([
      { id: 13, stage_id: [4, 'Won'], probability: 100 },
    ]);
  });

  it('posts messages: an id on 17/18, [id] on 19', () => {
    const id = call(orm, 'res.partner', 'message_post', [[9]], {
      body: 'hi',
      message_type: 'comment',
    }) as number;
    expect(typeof id).toBe('number');
    const [partner] = call(orm, 'res.partner', 'read', [[9], ['message_ids']]) as { message_ids: number[] }[];
    expect(partner?.message_ids[0]).toBe(id);
    const orm19 = makeOrm('19.0');
    expect(call(orm19, 'res.partner', 'message_post', [[8]], { body: 'hi' })).toEqual([expect.any(Number)]);
  });

  it('rolls back every change of a call that fails', () => {
    const before = call(orm, 'res.partner', 'search_count', [[]]);
    expect(
      raised(() => call(orm, 'res.partner', 'create', [[{ name: 'ok' }, { name: 'bad', type: 'bogus' }]]))[0],
    ).toBe('builtins.ValueError');
    expect(call(orm, 'res.partner', 'search_count', [[]])).toBe(before);
    expect(
      raised(() =>
        call(orm, 'res.partner', 'write', [
          [9],
          { name: 'Renamed', child_ids: [[0, 0, { name: 'x', type: 'bad' }]] },
        ]),
      )[0],
    ).toBe('builtins.ValueError');
    expect(call(orm, 'res.partner', 'read', [[9], ['name']])).toEqual([{ id: 9, name: 'Wood Corner' }]);
  });
});

describe('x2many commands', () => {
  let orm: EmulatedOrm;
  let id: number;
  const categories = () =>
    (call(orm, 'res.partner', 'read', [[id], ['category_id']]) as { category_id: number[] }[])[0]?.category_id
      .slice()
      .sort();
  const children = () =>
    (
      call(orm, 'res.partner', 'read', [[id], ['child_ids']], { context: { active_test: false } }) as {
        child_ids: number[];
      }[]
    )[0]?.child_ids
      .slice()
      .sort((a, b) => a - b);

  beforeEach(() => {
    orm = makeOrm('17.0');
    id = call(orm, 'res.partner', 'create', [{ name: 'Acme', is_company: true }]) as number;
  });

  it('many2many: LINK, UNLINK, SET, CLEAR, plain id lists and False', () => {
    call(orm, 'res.partner', 'write', [
      [id],
      {
        category_id: [
          [4, 5, 0],
          [4, 6, 0],
        ],
      },
    ]);
    expect(categories()).toEqual([5, 6]);
    call(orm, 'res.partner', 'write', [[id], { category_id: [[3, 5, 0]] }]);
    expect(categories()).toEqual([6]);
    call(orm, 'res.partner', 'write', [[id], { category_id: [[6, 0, [1, 2]]] }]);
    expect(categories()).toEqual([1, 2]);
    call(orm, 'res.partner', 'write', [[id], { category_id: [[5, 0, 0]] }]);
    expect(categories()).toEqual([]);
    call(orm, 'res.partner', 'write', [[id], { category_id: [3, 4] }]);
    expect(categories()).toEqual([3, 4]);
    call(orm, 'res.partner', 'write', [[id], { category_id: false }]);
    expect(categories()).toEqual([]);
  });

  it('many2many: CREATE, UPDATE and DELETE act on the related records', () => {
    call(orm, 'res.partner', 'write', [[id], { category_id: [[0, 0, { name: 'VIP' }]] }]);
    const [tag] = categories() ?? [];
    expect(call(orm, 'res.partner.category', 'read', [[tag], ['name']])).toEqual([{ id: tag, name: 'VIP' }]);
    call(orm, 'res.partner', 'write', [[id], { category_id: [[1, tag, { name: 'VVIP' }]] }]);
    expect(call(orm, 'res.partner.category', 'read', [[tag], ['name']])).toEqual([{ id: tag, name: 'VVIP' }]);
    call(orm, 'res.partner', 'write', [[id], { category_id: [[2, tag, 0]] }]);
    expect(categories()).toEqual([]);
    expect(call(orm, 'res.partner.category', 'read', [[tag], ['name']])).toEqual([]);
  });

  it('one2many: CREATE, UPDATE, DELETE, UNLINK, LINK, CLEAR and SET through the inverse many2one', () => {
    call(orm, 'res.partner', 'write', [
      [id],
      {
        child_ids: [
          [0, 0, { name: 'Bob' }],
          [0, 0, { name: 'Eve' }],
        ],
      },
    ]);
    const [bob, eve] = children() ?? [];
    expect(call(orm, 'res.partner', 'read', [[bob], ['parent_id', 'display_name']])).toEqual([
      { id: bob, parent_id: [id, 'Acme'], display_name: 'Acme, Bob' },
    ]);
    call(orm, 'res.partner', 'write', [[id], { child_ids: [[1, bob, { function: 'CEO' }]] }]);
    expect(call(orm, 'res.partner', 'read', [[bob], ['function']])).toEqual([{ id: bob, function: 'CEO' }]);
    call(orm, 'res.partner', 'write', [[id], { child_ids: [[3, bob, 0]] }]);
    expect(children()).toEqual([eve]);
    expect(call(orm, 'res.partner', 'read', [[bob], ['parent_id']])).toEqual([{ id: bob, parent_id: false }]);
    call(orm, 'res.partner', 'write', [[id], { child_ids: [[4, bob, 0]] }]);
    expect(children()).toEqual([bob, eve]);
    call(orm, 'res.partner', 'write', [[id], { child_ids: [[6, 0, [eve]]] }]);
    expect(children()).toEqual([eve]);
    call(orm, 'res.partner', 'write', [[id], { child_ids: [[2, eve, 0]] }]);
    expect(children()).toEqual([]);
    expect(call(orm, 'res.partner', 'read', [[eve], ['name']])).toEqual([]);
    call(orm, 'res.partner', 'write', [[id], { child_ids: [[4, bob, 0]] }]);
    call(orm, 'res.partner', 'write', [[id], { child_ids: [[5, 0, 0]] }]);
    expect(children()).toEqual([]);
  });

  it('rejects a value that is no command list', () => {
    expect(raised(() => call(orm, 'res.partner', 'write', [[id], { category_id: 'abc' }]))).toEqual([
      'builtins.ValueError',
      "Wrong value for res.partner.category_id: 'abc'",
    ]);
  });
});

describe('reset', () => {
  it('restores the seed quickly, keeping nothing of earlier calls', () => {
    const orm = makeOrm('19.0');
    call(orm, 'res.partner', 'write', [[8], { name: 'Changed' }]);
    const created = call(orm, 'res.partner', 'create', [{ name: 'New' }]) as number;
    call(orm, 'res.partner', 'unlink', [[created]], {});
    call(orm, 'res.partner', 'write', [[10], { active: false }]);
    const started = performance.now();
    orm.reset();
    expect(performance.now() - started).toBeLessThan(500);
    expect(call(orm, 'res.partner', 'read', [[8, 10], ['name']])).toEqual([
      { id: 8, name: 'Wood Corner' },
      { id: 10, name: 'Gemini Furniture' },
    ]);
    expect(call(orm, 'res.partner', 'search', [[['name', '=', 'New']]])).toEqual([]);
    expect(call(orm, 'res.partner', 'create', [{ name: 'Again' }])).toBe(115);
  });
});

describe('related and inherited fields', () => {
  it("reads, searches and orders a variant's template fields, and writes through to the template", () => {
    const orm = makeOrm('17.0');
    expect(
      call(orm, 'product.product', 'read', [[6], ['name', 'list_price', 'lst_price', 'categ_id']]),
    ).toEqual([
      {
        id: 6,
        name: 'Office Lamp',
        list_price: 40,
        lst_price: 40,
        categ_id: [8, 'All / Saleable / Office Furniture'],
      },
    ]);
    expect(call(orm, 'product.product', 'search', [[['name', '=', 'Office Lamp']]])).toEqual([6]);
    expect(call(orm, 'product.product', 'name_search', ['Lamp'])).toEqual([[6, '[FURN_8888] Office Lamp']]);
    expect(call(orm, 'product.product', 'write', [[6], { name: 'Desk Lamp' }])).toBe(true);
    const [variant] = call(orm, 'product.product', 'read', [[6], ['product_tmpl_id']]) as {
      product_tmpl_id: [number, string];
    }[];
    const template = variant?.product_tmpl_id[0];
    expect(call(orm, 'product.template', 'read', [[template], ['name']])).toEqual([
      { id: template, name: 'Desk Lamp' },
    ]);
  });

  it('creates the _inherits parent of a new user from its related values', () => {
    const orm = makeOrm('18.0');
    const uid = call(orm, 'res.users', 'create', [
      { name: 'Zoe', login: 'zoe', email: 'zoe@example.com' },
    ]) as number;
    const [user] = call(orm, 'res.users', 'read', [[uid], ['name', 'email', 'partner_id']]) as Record<
      string,
      unknown
    >[];
    expect(user).toMatchObject({
      name: 'Zoe',
      email: 'zoe@example.com',
      partner_id: [expect.any(Number), 'Zoe'],
    });
    expect(orm.authenticate('odoo', 'zoe', 'zoe')).toBe(uid);
    expect(call(orm, 'res.users', 'read', [[uid], ['display_name']])).toEqual([
      { id: uid, display_name: 'Zoe' },
    ]);
    expect(call(orm, 'res.users', 'search', [[['name', '=', 'Zoe']]])).toEqual([uid]);
  });

  it('orders models the seed only references by id when their _order needs fields they lack', () => {
    const orm = makeOrm('17.0');
    expect(call(orm, 'res.currency', 'name_search', ['US'])).toEqual([[1, 'USD']]);
  });
});
