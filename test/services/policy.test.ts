// The models policy through relations, on hand-made fields_get answers: path walking, domains with
// sub-domains, orders, group-bys, specifications, written values, and call_method's arguments.
import { describe, expect, it } from 'vitest';
import { type ConfigInput, configSchema } from '../../src/config/schema.js';
import type { FieldsMeta } from '../../src/odoo/values.js';
import { AccessPolicy, methodPattern, PolicyError } from '../../src/services/policy.js';
import { checkMethodCall } from '../../src/services/policy-methods.js';
import { HiddenPathError, RelationGuard } from '../../src/services/policy-paths.js';

const META: Record<string, FieldsMeta> = {
  'res.partner': {
    name: { type: 'char' },
    parent_id: { type: 'many2one', relation: 'res.partner' },
    child_ids: { type: 'one2many', relation: 'res.partner' },
    country_id: { type: 'many2one', relation: 'res.country' },
    user_ids: { type: 'one2many', relation: 'res.users' },
    user_id: { type: 'many2one', relation: 'res.users' },
    create_date: { type: 'datetime' },
    ref_record: { type: 'reference' },
  },
  'res.country': { name: { type: 'char' }, code: { type: 'char' } },
  'res.users': { login: { type: 'char' }, partner_id: { type: 'many2one', relation: 'res.partner' } },
};

function setup(models: ConfigInput['models'] = { allow: ['res.partner', 'res.country'] }) {
  const asked: string[] = [];
  const policy = new AccessPolicy(configSchema.parse({ models }));
  const guard = new RelationGuard(policy, async (model) => {
    asked.push(model);
    const meta = META[model];
    if (!meta) throw new Error(`unexpected fields_get on ${model}`);
    return meta;
  });
  return { policy, guard, asked };
}

async function refusal(run: Promise<unknown>): Promise<HiddenPathError> {
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HiddenPathError);
  return err as HiddenPathError;
}

describe('RelationGuard', () => {
  it('refuses a specification reaching a hidden model, naming the path and the model, without asking its fields', async () => {
    const { guard, asked } = setup();
    const err = await refusal(
      guard.specification('res.partner', { name: {}, user_ids: { fields: { login: {} } } }),
    );
    expect(err.message).toContain('"user_ids"');
    expect(err.message).toContain('reaches res.users through res.partner.user_ids');
    expect(err.message).toContain('ask the operator');
    const deep = await refusal(
      guard.specification('res.partner', { child_ids: { fields: { user_id: { fields: {} } } } }),
    );
    expect(deep.path).toBe('child_ids.user_id');
    expect(asked).not.toContain('res.users');
    // Allowed relations, nested fields, orders and domains still pass.
    await guard.specification('res.partner', {
      parent_id: { fields: { display_name: {}, country_id: { fields: { code: {} } } } },
      child_ids: { fields: { name: {} }, order: 'country_id.name desc', limit: 5 },
    });
    await expect(
      guard.specification('res.partner', { ref_record: { fields: { name: {} } } }),
    ).rejects.toThrow(/reference/);
  });

  it('walks every domain leaf, any / not any sub-domains and domain-shaped values', async () => {
    const { guard } = setup();
    expect((await refusal(guard.domain('res.partner', [['user_ids.login', '=', 'admin']]))).path).toBe(
      'user_ids.login',
    );
    await refusal(guard.domain('res.partner', ['|', ['name', '=', 'x'], ['user_id', '!=', false]]));
    const sub = await refusal(
      guard.domain('res.partner', [['child_ids', 'any', [['user_ids.login', '=', 'admin']]]]),
    );
    expect(sub.path).toBe('child_ids.user_ids.login');
    await refusal(guard.domain('res.partner', [['parent_id', 'not any', ['!', ['user_id', '=', 2]]]]));
    await refusal(guard.domain('res.partner', [['child_ids', 'in', [['user_id', '=', 2]]]]));
    await guard.domain('res.partner', [
      [1, '=', 1],
      ['parent_id.country_id.code', '=', 'BE'],
      ['child_ids', 'any', [['name', 'ilike', 'a']]],
      ['create_date.month_number', '=', 3],
      ['unknown_field', '=', 1],
    ]);
    await expect(guard.domain('res.partner', [['name', '=']])).rejects.toThrow(PolicyError);
    await expect(guard.domain('res.partner', "[('user_ids.login','=','x')]")).rejects.toThrow(
      /cannot be checked/,
    );
  });

  it('checks orders, group-bys, aggregates and written values', async () => {
    const { guard } = setup();
    await refusal(guard.order('res.partner', 'name, user_id desc'));
    await refusal(guard.order('res.partner', 'parent_id.user_id.login desc nulls last'));
    await guard.order('res.partner', 'country_id.name desc, "name", create_date:month');
    await refusal(guard.groupBy('res.partner', ['country_id', 'user_id']));
    await refusal(guard.groupBy('res.partner', 'user_ids.login'));
    await guard.groupBy('res.partner', ['create_date:day', 'parent_id.country_id']);
    await refusal(guard.aggregates('res.partner', ['users:count_distinct(user_id)'], 'fields'));
    await guard.aggregates('res.partner', ['__count', 'name:count', 'parent_id:count_distinct']);
    await refusal(guard.values('res.partner', { name: 'x', user_id: 2 }));
    const line = await refusal(
      guard.values('res.partner', { child_ids: [{ create: { name: 'c', user_id: 2 } }] }),
    );
    expect(line.path).toBe('child_ids.user_id');
    await refusal(guard.values('res.partner', [{ child_ids: [[0, 0, { user_ids: [[6, 0, [1]]] }]] }]));
    await guard.values('res.partner', { child_ids: [[0, 0, { name: 'c' }], [4, 7, 0], { link: 3 }] });
  });

  it('leaves hidden relations out of default field sets, and does nothing when no model is hidden', async () => {
    const { guard } = setup();
    const meta = META['res.partner'] as FieldsMeta;
    expect(guard.visibleFields(['name', 'user_id', 'country_id', 'user_ids'], meta)).toEqual([
      'name',
      'country_id',
    ]);
    const open = setup({ allow: [], deny: [] });
    await open.guard.specification('res.partner', { user_ids: { fields: { login: {} } } });
    expect(open.asked).toEqual([]);
  });
});

describe('call_method and the models policy', () => {
  const call = (q: Parameters<typeof checkMethodCall>[2], models?: ConfigInput['models']) => {
    const { guard, policy } = setup(models);
    return checkMethodCall(guard, policy, q);
  };

  it('checks read methods by position and by name, across versions', async () => {
    const m = 'res.partner';
    await refusal(call({ model: m, method: 'search_count', args: [[['user_ids.login', '=', 'a']]] }));
    await refusal(call({ model: m, method: 'search', kwargs: { args: [['user_id', '=', 2]] } }));
    await refusal(call({ model: m, method: 'search', args: [[], 0, 5, 'user_id'] }));
    await refusal(call({ model: m, method: 'web_search_read', kwargs: { specification: { user_ids: {} } } }));
    await refusal(call({ model: m, method: 'web_search_read', args: [[], ['name', 'user_id']] }));
    await refusal(call({ model: m, method: 'web_read', ids: [1], args: [{ user_id: {} }] }));
    await refusal(call({ model: m, method: 'read', ids: [1], kwargs: { fields: ['user_ids'] } }));
    await refusal(call({ model: m, method: 'read_group', args: [[], ['name'], ['user_id']] }));
    await refusal(
      call({ model: m, method: 'read_group', kwargs: { domain: [], fields: [], groupby: 'user_id' } }),
    );
    await refusal(
      call({
        model: m,
        method: 'formatted_read_group',
        kwargs: { groupby: ['name'], order: 'user_id desc' },
      }),
    );
    await refusal(call({ model: m, method: 'name_search', args: ['a', [['user_id.login', '=', 'x']]] }));
    await refusal(call({ model: m, method: 'write', ids: [1], args: [{ user_id: 2 }] }));
    await call({ model: m, method: 'read', ids: [1], args: [['name', 'country_id']] });
    await call({
      model: m,
      method: 'search_read',
      kwargs: { domain: [['parent_id.name', '=', 'x']], load: '' },
    });
    await call({ model: m, method: 'action_archive', ids: [1], args: [{ whatever: 1 }] });
  });

  it('refuses what it cannot check: shifted ids, unknown arguments, and unchecked read methods under a policy', async () => {
    const m = 'res.partner';
    await expect(call({ model: m, method: 'read', args: [[1], ['user_ids']] })).rejects.toThrow(/"ids"/);
    await expect(call({ model: m, method: 'search_count', ids: [1], args: [[]] })).rejects.toThrow(
      /no "ids"/,
    );
    await expect(call({ model: m, method: 'search_read', kwargs: { extra_domain: [] } })).rejects.toThrow(
      /no argument "extra_domain"/,
    );
    await expect(call({ model: m, method: 'mapped', ids: [1], args: ['user_ids.login'] })).rejects.toThrow(
      /search_records, read_records/,
    );
    // The default deny list alone does not restrict models: only checkable arguments are checked.
    await call({ model: m, method: 'web_read_group', args: [[], ['user_id']] }, {});
  });
});

describe('call_method.allow patterns', () => {
  it('split at the last dot: the method glob never spans a dot, the model glob does', () => {
    const orders = methodPattern('sale.order.*');
    expect(orders('sale.order', 'action_confirm')).toBe(true);
    expect(orders('sale.order.line', 'search_count')).toBe(false);
    const confirm = methodPattern('sale.*.action_confirm');
    expect(confirm('sale.order', 'action_confirm')).toBe(true);
    expect(confirm('sale.order.line', 'action_confirm')).toBe(true);
    expect(confirm('sale.order', 'write')).toBe(false);
    expect(methodPattern('*.action_archive')('res.partner', 'action_archive')).toBe(true);
    const policy = new AccessPolicy(configSchema.parse({ call_method: { allow: ['sale.order.*'] } }));
    expect(() => policy.assertMethod('sale.order.line', 'search_count')).toThrow(/call_method.allow/);
    expect(() => policy.assertMethod('sale.order', 'search_count')).not.toThrow();
  });

  it('tells a restricted models policy from the default one', () => {
    const flags = (models: ConfigInput['models']) => {
      const p = new AccessPolicy(configSchema.parse({ models }));
      return [p.hidesModels, p.restrictsModels];
    };
    expect(flags({})).toEqual([true, false]);
    expect(flags({ allow: ['res.*'] })).toEqual([true, true]);
    expect(flags({ deny: ['res.users'] })).toEqual([true, true]);
    expect(flags({ deny: [] })).toEqual([false, true]);
  });
});
