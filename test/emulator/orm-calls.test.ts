// How calls reach methods: execute_kw's positional binding (CPython TypeError texts), JSON-2's
// named binding (UnprocessableEntity texts), model and method lookup per version, ids as sent.
import { describe, expect, it } from 'vitest';
import { call, makeOrm, named, raised } from './orm-helpers.js';

describe('positional binding (execute_kw)', () => {
  const orm = makeOrm('17.0');

  it('reports missing, surplus, unexpected and duplicated arguments as CPython does', () => {
    expect(raised(() => call(orm, 'res.partner', 'search', []))).toEqual([
      'builtins.TypeError',
      "BaseModel.search() missing 1 required positional argument: 'domain'",
    ]);
    expect(raised(() => call(orm, 'res.partner', 'search_count', [[], 10, 'extra', 'more']))).toEqual([
      'builtins.TypeError',
      'BaseModel.search_count() takes from 2 to 3 positional arguments but 5 were given',
    ]);
    expect(raised(() => call(orm, 'res.partner', 'search', [[]], { bogus: 1 }))).toEqual([
      'builtins.TypeError',
      "BaseModel.search() got an unexpected keyword argument 'bogus'",
    ]);
    expect(raised(() => call(orm, 'res.partner', 'search', [[]], { domain: [] }))).toEqual([
      'builtins.TypeError',
      "BaseModel.search() got multiple values for argument 'domain'",
    ]);
    expect(raised(() => call(orm, 'res.partner', 'read_group', [[]]))).toEqual([
      'builtins.TypeError',
      "BaseModel.read_group() missing 2 required positional arguments: 'fields' and 'groupby'",
    ]);
    expect(raised(() => call(orm, 'res.partner', 'message_post', [[9], 'body']))).toEqual([
      'builtins.TypeError',
      'MailThread.message_post() takes 1 positional argument but 2 were given',
    ]);
    expect(raised(() => call(orm, 'res.partner', 'unlink', [[9], 1]))).toEqual([
      'builtins.TypeError',
      'BaseModel.unlink() takes 1 positional argument but 2 were given',
    ]);
  });

  it('takes ids from args[0] of record methods (IndexError without)', () => {
    expect(raised(() => call(orm, 'res.partner', 'read', []))).toEqual([
      'builtins.IndexError',
      'list index out of range',
    ]);
    expect(call(orm, 'res.partner', 'read', [9, ['name']])).toEqual([{ id: 9, name: 'Wood Corner' }]);
  });

  it('fails ids that are not integers in SQL, as psycopg2 reports it', () => {
    const [type, message] = raised(() => call(orm, 'res.partner', 'read', ['abc'], { fields: ['name'] }));
    expect(type).toBe('psycopg2.errors.InvalidTextRepresentation');
    expect(message).toBe(
      'invalid input syntax for type integer: "a"\n' +
        'LINE 1: ... FROM "res_partner" WHERE ("res_partner"."id" IN (\'a\', \'b\', ...\n' +
        `${' '.repeat(61)}^\n`,
    );
    expect(call(orm, 'res.partner', 'read', ['9'], { fields: ['name'] })).toEqual([
      { id: 9, name: 'Wood Corner' },
    ]);
  });

  it("rejects search_read's unknown keywords where _read_format receives them", () => {
    expect(
      raised(() => call(orm, 'res.partner', 'search_read', [[]], { fields: ['name'], bogus_kw: 1 })),
    ).toEqual([
      'builtins.TypeError',
      "BaseModel._read_format() got an unexpected keyword argument 'bogus_kw'",
    ]);
    expect(
      call(orm, 'res.partner', 'search_read', [[['id', '=', 9]]], { fields: ['country_id'], load: null }),
    ).toEqual([{ id: 9, country_id: 233 }]);
  });
});

describe('named binding (JSON-2)', () => {
  const orm = makeOrm('19.0');

  it('reports binding errors as UnprocessableEntity with inspect.bind texts', () => {
    const unprocessable = (fn: () => unknown) => raised(fn);
    expect(unprocessable(() => named(orm, 'res.partner', 'search', {}))).toEqual([
      'werkzeug.exceptions.UnprocessableEntity',
      "missing a required argument: 'domain'",
    ]);
    expect(
      unprocessable(() => named(orm, 'res.partner', 'search_count', { domain: [], bogus_kw: 1 })),
    ).toEqual(['werkzeug.exceptions.UnprocessableEntity', "got an unexpected keyword argument 'bogus_kw'"]);
    expect(unprocessable(() => named(orm, 'res.partner', 'search_count', { domain: [] }, [1]))).toEqual([
      'werkzeug.exceptions.UnprocessableEntity',
      'cannot call res.partner.search_count with ids',
    ]);
  });

  it('binds parameters by name, with 19.0 names', () => {
    expect(
      named(orm, 'res.partner', 'search', { domain: [['is_company', '=', true]], limit: 2, order: 'id' }),
    ).toEqual([1, 8]);
    expect(
      named(orm, 'res.partner', 'name_search', { name: 'Deco', domain: [['is_company', '=', true]] }),
    ).toEqual([[9, 'Deco Addict']]);
    expect(named(orm, 'res.partner', 'default_get', { fields: ['type', 'active'] })).toEqual({
      type: 'contact',
      active: true,
    });
    expect(named(orm, 'res.partner', 'read', { fields: ['name'] }, [8])).toEqual([
      { id: 8, name: 'Wood Corner' },
    ]);
  });
});

describe('model and method lookup', () => {
  it('raises the per-version texts for unknown models, unknown and private methods', () => {
    const o17 = makeOrm('17.0');
    const o19 = makeOrm('19.0');
    for (const orm of [o17, o19]) {
      expect(raised(() => call(orm, 'no.such.model', 'search_read', [[]]))).toEqual([
        'odoo.exceptions.UserError',
        "Object no.such.model doesn't exist",
      ]);
    }
    expect(raised(() => call(o17, 'res.partner', 'no_such_method', [[1]]))).toEqual([
      'builtins.AttributeError',
      "The method 'no_such_method' does not exist on the model 'res.partner'",
    ]);
    expect(raised(() => call(o19, 'res.partner', 'no_such_method', [[1]]))).toEqual([
      'builtins.AttributeError',
      "The method 'res.partner.no_such_method' does not exist",
    ]);
    expect(raised(() => call(o17, 'res.partner', '_compute_display_name', [[1]]))).toEqual([
      'odoo.exceptions.AccessError',
      'Private methods (such as _compute_display_name) cannot be called remotely.',
    ]);
    expect(raised(() => call(o19, 'res.partner', '_compute_display_name', [[1]]))).toEqual([
      'odoo.exceptions.AccessError',
      "Private methods (such as 'res.partner._compute_display_name') cannot be called remotely.",
    ]);
    // 17.0 checks the method name before the model, 18.0+ the model first
    expect(raised(() => call(o17, 'no.such.model', '_private'))[0]).toBe('odoo.exceptions.AccessError');
    expect(raised(() => call(o19, 'no.such.model', '_private'))[0]).toBe('odoo.exceptions.UserError');
  });

  it('offers methods per version and model', () => {
    const o17 = makeOrm('17.0');
    const o18 = makeOrm('18.0');
    const o19 = makeOrm('19.0');
    expect(o17.hasMethod('res.partner', 'has_access')).toBe(false);
    expect(o18.hasMethod('res.partner', 'has_access')).toBe(true);
    expect(o18.hasMethod('sale.order', 'formatted_read_group')).toBe(false);
    expect(o19.hasMethod('sale.order', 'formatted_read_group')).toBe(true);
    expect(o19.hasMethod('res.partner', 'action_confirm')).toBe(false);
    expect(o19.hasMethod('sale.order', 'action_confirm')).toBe(true);
    expect(o19.hasMethod('res.country', 'message_post')).toBe(false);
    expect(o19.hasModel('res.partner')).toBe(true);
    expect(o19.hasModel('no.such.model')).toBe(false);
    // name_search's second parameter is 'args' on 17.0, 'domain' later
    expect(raised(() => call(o17, 'res.partner', 'name_search', ['Deco'], { domain: [] }))).toEqual([
      'builtins.TypeError',
      "BaseModel.name_search() got an unexpected keyword argument 'domain'",
    ]);
    expect(call(o17, 'res.partner', 'name_search', ['Deco'], { args: [['is_company', '=', true]] })).toEqual([
      [10, 'Deco Addict'],
    ]);
  });

  it('serves models the seed only references, with their recorded names', () => {
    const orm = makeOrm('17.0');
    expect(call(orm, 'res.currency', 'read', [[1], ['name', 'display_name']])).toEqual([
      { id: 1, name: 'USD', display_name: 'USD' },
    ]);
    expect(
      call(orm, 'ir.model', 'search_read', [[['model', '=', 'res.partner']]], { fields: ['name'] }),
    ).toEqual([{ id: 85, name: 'Contact' }]);
  });
});

describe('search', () => {
  const orm = makeOrm('17.0');

  it('applies domain, order, offset and limit, and counts with a limit', () => {
    expect(
      call(orm, 'res.partner', 'search', [[['is_company', '=', true]]], {
        limit: 5,
        offset: 1,
        order: 'id desc',
      }),
    ).toEqual([14, 13, 12, 11, 10]);
    expect(call(orm, 'res.partner', 'search_count', [[['is_company', '=', true]]])).toBe(8);
    expect(call(orm, 'res.partner', 'search_count', [[['is_company', '=', true]], 3])).toBe(3);
    expect(
      call(orm, 'res.partner', 'search', [[['is_company', '=', true]]], { order: 'name desc, id', limit: 2 }),
    ).toEqual([1, 9]);
  });

  it('raises the domain engine errors as Odoo does', () => {
    expect(raised(() => call(orm, 'res.partner', 'search', [[['bogus_field', '=', 1]]]))).toEqual([
      'builtins.ValueError',
      "Invalid field res.partner.bogus_field in leaf ('bogus_field', '=', 1)",
    ]);
  });
});
