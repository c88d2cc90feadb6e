// Reading: search, search_count, search_read, read, fields_get, name_search, default_get,
// web_read and web_search_read, with Odoo's access checks and read() value encoding.
import { checkModelAccess, fieldAccessError, fieldVisible, ruleError, ruleFilter } from '../access.js';
import { OdooException } from '../api.js';
import { searchRows } from '../domain.js';
import {
  activeTest,
  asOdooException,
  type Env,
  fieldOf,
  fieldsOf,
  invalidField,
  withContext,
} from '../env.js';
import { recNameFields } from '../known-models.js';
import { fieldDefault } from '../models.js';
import { compileOrder, type RowComparator } from '../order.js';
import { partnerComputed } from '../partner.js';
import { pyInt, pyTypeName } from '../python.js';
import type { FieldDef, Row } from '../types.js';
import { engineView, relatedChain, relatedTarget } from '../view.js';

export interface SearchOptions {
  offset?: unknown;
  limit?: unknown;
  order?: unknown;
}

/** Run a domain-engine call, turning its OrmError into the exception Odoo raises. */
export function engine<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw asOdooException(error);
  }
}

export function comparator(env: Env, model: string, order: unknown): RowComparator {
  const key = `order:${model}:${typeof order === 'string' ? order : ''}`;
  if (typeof order === 'string' || !order) {
    const hit = env.memo.get(key) as RowComparator | undefined;
    if (hit) return hit;
  }
  const view = engineView(env.store);
  let cmp: RowComparator;
  if (order) {
    cmp = engine(() => compileOrder(view, model, order as string));
  } else {
    try {
      cmp = compileOrder(view, model, null);
    } catch {
      // A stand-in model lacks the fields its _order names (res.currency's 'active'): id order.
      cmp = compileOrder(view, model, 'id');
    }
  }
  if (typeof order === 'string' || !order) env.memo.set(key, cmp);
  return cmp;
}

function limitOf(limit: unknown): number | undefined {
  if (limit === null || limit === undefined || limit === false) return undefined;
  const n = pyInt(limit);
  return n > 0 ? n : undefined;
}

/** _search: ACL, domain, active_test, record rules, order, offset, limit. */
export function searchRecords(env: Env, model: string, domain: unknown, opts: SearchOptions = {}): Row[] {
  checkModelAccess(env.store, env.user, model, 'read');
  const effective = domain === null || domain === undefined || domain === false ? [] : domain;
  let rows = engine(() =>
    searchRows(engineView(env.store), model, effective, { activeTest: activeTest(env) }),
  );
  const rule = ruleFilter(env.store, env.user, model, 'read');
  if (rule) rows = rows.filter(rule);
  rows = [...rows].sort(comparator(env, model, opts.order));
  const offset =
    opts.offset === undefined || opts.offset === null || opts.offset === false ? 0 : pyInt(opts.offset);
  const limit = limitOf(opts.limit);
  return rows.slice(offset, limit === undefined ? undefined : offset + limit);
}

export function searchCount(env: Env, model: string, domain: unknown, limit: unknown): number {
  const count = searchRecords(env, model, domain).length;
  const max = limitOf(limit);
  return max === undefined ? count : Math.min(count, max);
}

/** The fields read() returns when none are asked for: every field the user may read. */
export function readableFields(env: Env, model: string): string[] {
  const fields = fieldsOf(env, model);
  const names = Object.keys(fields).filter((name) => fieldVisible(env.user, fields[name]?.groups));
  return names.includes('id') ? names : ['id', ...names];
}

/** check_field_access_rights + field existence, as read() validates its `fields`. */
export function resolveFields(env: Env, model: string, requested: unknown): string[] {
  if (requested === null || requested === undefined || requested === false) return readableFields(env, model);
  let names: unknown[];
  if (typeof requested === 'string') names = [...requested];
  else if (Array.isArray(requested)) names = requested;
  else throw new OdooException('builtins.TypeError', `'${pyTypeName(requested)}' object is not iterable`);
  if (!names.length) return readableFields(env, model);
  const fields = fieldsOf(env, model);
  const hidden = names.filter(
    (name): name is string =>
      typeof name === 'string' &&
      Object.hasOwn(fields, name) &&
      !fieldVisible(env.user, fields[name]?.groups),
  );
  if (hidden.length) throw fieldAccessError(env.store, env.user, model, 'read', hidden);
  for (const name of names) {
    if (typeof name !== 'string' || (name !== 'id' && !Object.hasOwn(fields, name)))
      throw invalidField(model, String(name));
  }
  return names as string[];
}

/**
 * x2many ids as read() gives them: existing, readable, in comodel order; one2many also drops
 * inactive lines under active_test (Many2many reads with active_test=False).
 */
function x2manyIds(env: Env, def: FieldDef, value: unknown): number[] {
  const comodel = def.relation;
  const ids = Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];
  const table = comodel ? env.store.table(comodel) : undefined;
  if (!comodel || !table?.complete) return ids;
  const seen = new Set<number>();
  const view = engineView(env.store);
  let rows: Row[] = [];
  for (const id of ids) {
    const row = view.row(comodel, id);
    if (row && !seen.has(id)) {
      seen.add(id);
      rows.push(row);
    }
  }
  if (def.type === 'one2many' && activeTest(env) && table.fields.active?.type === 'boolean') {
    rows = rows.filter((row) => row.active !== false);
  }
  const rule = ruleFilter(env.store, env.user, comodel, 'read');
  if (rule) rows = rows.filter(rule);
  return rows.sort(comparator(env, comodel, null)).map((row) => row.id);
}

function tzOffset(tz: unknown): string {
  if (typeof tz !== 'string' || !tz) return '+0000';
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      timeZoneName: 'longOffset',
    }).formatToParts(new Date());
    const name = parts.find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    return m ? `${m[1]}${m[2]}${m[3]}` : '+0000';
  } catch {
    return '+0000';
  }
}

/** Values of non-stored computed fields the emulator does compute. */
function computedValue(env: Env, model: string, row: Row, name: string, load: unknown): unknown {
  const store = env.store;
  if (name === 'display_name') return store.displayName(model, row.id);
  // Up to 16.0: COALESCE(write_date, create_date, now()), what clients sent back to detect
  // concurrent writes.
  if (name === '__last_update') {
    const stamp = row.write_date ?? row.create_date;
    return typeof stamp === 'string' && stamp ? stamp : store.now();
  }
  if (name === 'has_message') return Array.isArray(row.message_ids) && row.message_ids.length > 0;
  if (model === 'product.product' && name === 'lst_price') {
    // list price of the template; variant price extras are not in the seed
    const template =
      typeof row.product_tmpl_id === 'number'
        ? store.row('product.template', row.product_tmpl_id)
        : undefined;
    return typeof template?.list_price === 'number' ? template.list_price : 0;
  }
  if (model === 'res.partner') {
    if (name === 'tz_offset') return tzOffset(row.tz);
    return partnerComputed(env, row, name, load);
  }
  return undefined;
}

/** One field of one row in read()'s encoding (`load` '_classic_read': many2one as [id, name]). */
export function fieldValue(
  env: Env,
  model: string,
  row: Row,
  name: string,
  def: FieldDef | undefined,
  load: unknown,
): unknown {
  if (name === 'id') return row.id;
  const computed = computedValue(env, model, row, name, load);
  if (computed !== undefined) return computed;
  const hops = relatedChain(env.store, model, def);
  if (hops) {
    const target = relatedTarget(env.store, model, row, hops);
    if (target) return fieldValue(env, target.model, target.row, target.name, target.def, load);
    return def?.type === 'one2many' || def?.type === 'many2many'
      ? []
      : fieldValue(env, model, { id: row.id }, name, { ...def, related: undefined } as FieldDef, load);
  }
  const value = row[name];
  switch (def?.type) {
    case 'many2one':
      if (typeof value !== 'number') return false;
      return load === '_classic_read' && def.relation
        ? [value, env.store.displayName(def.relation, value)]
        : value;
    case 'one2many':
    case 'many2many':
      return x2manyIds(env, def, value);
    case 'boolean':
      return value === true;
    case 'integer':
    case 'float':
    case 'monetary':
      return typeof value === 'number' ? value : 0;
    default:
      if (value === undefined || value === null) return false;
      // json/properties values are objects: hand out copies, never the stored ones.
      return typeof value === 'object' ? structuredClone(value) : value;
  }
}

/** read(): existing records only (missing ids are dropped), record rules enforced. */
export function readRecords(
  env: Env,
  model: string,
  ids: readonly number[],
  requested: unknown,
  load: unknown,
): Record<string, unknown>[] {
  if (!ids.length) return [];
  checkModelAccess(env.store, env.user, model, 'read');
  const names = resolveFields(env, model, requested);
  const table = env.store.table(model);
  const rows: Row[] = [];
  for (const id of ids) {
    const row = table?.rows.get(id);
    if (row) rows.push(row);
  }
  const rule = ruleFilter(env.store, env.user, model, 'read');
  if (rule && rows.some((row) => !rule(row))) throw ruleError(env.store, env.user, model, 'read');
  const fields = fieldsOf(env, model);
  return rows.map((row) => {
    const out: Record<string, unknown> = { id: row.id };
    for (const name of names) out[name] = fieldValue(env, model, row, name, fields[name], load);
    return out;
  });
}

export function searchRead(
  env: Env,
  model: string,
  args: Record<string, unknown>,
  readKwargs: Record<string, unknown>,
): Record<string, unknown>[] {
  const names = resolveFields(env, model, args.fields);
  const rows = searchRecords(env, model, args.domain, args);
  const unexpected = Object.keys(readKwargs).find((key) => key !== 'load');
  if (unexpected) {
    throw new OdooException(
      'builtins.TypeError',
      `BaseModel._read_format() got an unexpected keyword argument '${unexpected}'`,
    );
  }
  const load = Object.hasOwn(readKwargs, 'load') ? readKwargs.load : '_classic_read';
  // search_read reads with active_test=False: inactive x2many lines stay in the values.
  return readRecords(
    withContext(env, { active_test: false }),
    model,
    rows.map((row) => row.id),
    names,
    load,
  );
}

export function fieldsGet(
  env: Env,
  model: string,
  allfields: unknown,
  attributes: unknown,
): Record<string, unknown> {
  const fields = fieldsOf(env, model);
  const only = Array.isArray(allfields) && allfields.length ? new Set(allfields) : undefined;
  const attrs = Array.isArray(attributes) && attributes.length ? new Set(attributes) : undefined;
  const out: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(fields)) {
    if (only && !only.has(name)) continue;
    if (!fieldVisible(env.user, def.groups)) continue;
    // Copies: the seed's field definitions are shared by every ORM of the version.
    out[name] = structuredClone(
      attrs ? Object.fromEntries(Object.entries(def).filter(([key]) => attrs.has(key))) : def,
    );
  }
  return out;
}

const NEGATIVE_OPERATORS = new Set(['!=', 'not like', 'not ilike', 'not in', '<>']);

export function nameSearch(
  env: Env,
  model: string,
  name: unknown,
  domain: unknown,
  operator: unknown,
  limit: unknown,
): unknown[] {
  const base = Array.isArray(domain) ? [...domain] : domain ? domain : [];
  const op = typeof operator === 'string' ? operator : 'ilike';
  const text = name ?? '';
  let full: unknown = base;
  if (!(text === '' && (op === 'like' || op === 'ilike'))) {
    const names = recNameFields(env.version, model, fieldsOf(env, model));
    const leaves = (names.length ? names : ['display_name']).map((f) => [f, op, text]);
    const joiner = NEGATIVE_OPERATORS.has(op) ? '&' : '|';
    const combined = [...Array(Math.max(0, leaves.length - 1)).fill(joiner), ...leaves];
    full = Array.isArray(base) && base.length ? ['&', ...normalizeDomain(base), ...combined] : combined;
  }
  const rows = searchRecords(env, model, full, { limit: limit ?? null });
  return rows.map((row) => [row.id, env.store.displayName(model, row.id)]);
}

/** expression.normalize_domain: make implicit '&' between top-level terms explicit. */
export function normalizeDomain(domain: readonly unknown[]): unknown[] {
  if (!domain.length) return [];
  const arity = (t: unknown) => (t === '!' ? 1 : t === '&' || t === '|' ? 2 : 0);
  const result: unknown[] = [];
  let expected = 1;
  for (const token of domain) {
    if (expected === 0) {
      result.unshift('&');
      expected = 1;
    }
    const a = arity(token);
    expected += a > 0 ? a - 1 : -1;
    result.push(token);
  }
  return result;
}

/** expression.AND of domains (normalised, '&' prefixed), the unit [] dropped. */
export function andDomains(domains: readonly unknown[][]): unknown[] {
  const parts = domains.filter((d) => d.length).map(normalizeDomain);
  if (!parts.length) return [];
  return [...Array(parts.length - 1).fill('&'), ...parts.flat()];
}

export function defaultGet(env: Env, model: string, requested: unknown): Record<string, unknown> {
  const fields = fieldsOf(env, model);
  const out: Record<string, unknown> = {};
  const names = Array.isArray(requested) ? requested : typeof requested === 'string' ? [...requested] : [];
  const partner = env.store.row('res.partner', env.user.partnerId);
  const ctx = {
    uid: env.user.uid,
    lang:
      typeof env.context.lang === 'string'
        ? env.context.lang
        : typeof partner?.lang === 'string'
          ? partner.lang
          : 'en_US',
    tz: typeof env.context.tz === 'string' ? env.context.tz : (false as const),
    now: env.store.now(),
    today: env.store.today(),
  };
  for (const name of names) {
    if (typeof name !== 'string' || !Object.hasOwn(fields, name)) continue;
    const key = `default_${name}`;
    if (Object.hasOwn(env.context, key)) {
      out[name] = env.context[key];
      continue;
    }
    const value =
      fieldDefault(model, env.version, name, fields.active?.type === 'boolean', ctx) ??
      // company-wide ir.property values (17.0): default_get gives them for company-dependent fields
      (fields[name]?.company_dependent ? env.store.seedDefault(model, name) : undefined);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

type Spec = Record<string, unknown>;

function asSpec(value: unknown): Spec {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Spec) : {};
}

/** web_read(specification): read() with load=None, then relational fields per sub-specification. */
export function webRead(
  env: Env,
  model: string,
  ids: readonly number[],
  specification: unknown,
): Record<string, unknown>[] {
  if (specification === null || typeof specification !== 'object' || Array.isArray(specification)) {
    throw new OdooException(
      'builtins.AttributeError',
      `'${pyTypeName(specification)}' object has no attribute 'items'`,
    );
  }
  const spec = specification as Spec;
  const names = Object.keys(spec);
  const values: Record<string, unknown>[] =
    !names.length || (names.length === 1 && names[0] === 'id')
      ? ids.map((id) => ({ id }))
      : readRecords(env, model, ids, names, null);
  if (!values.length) return values;

  for (const [name, rawSpec] of Object.entries(spec)) {
    const def = fieldOf(env, model, name);
    const fieldSpec = asSpec(rawSpec);
    if (!def?.relation) continue;
    const coEnv = fieldSpec.context ? withContext(env, asSpec(fieldSpec.context)) : env;
    if (def.type === 'many2one') {
      if (!('fields' in fieldSpec)) continue;
      const subFields = { ...asSpec(fieldSpec.fields) };
      const wantsName = 'display_name' in subFields;
      delete subFields.display_name;
      const coIds = [
        ...new Set(values.map((v) => v[name]).filter((v): v is number => typeof v === 'number')),
      ];
      const data = new Map(webRead(coEnv, def.relation, coIds, subFields).map((v) => [v.id as number, v]));
      if (wantsName) {
        for (const id of coIds) {
          const entry = data.get(id);
          if (entry) entry.display_name = env.store.displayName(def.relation, id);
        }
      }
      for (const v of values) {
        const id = v[name];
        if (typeof id === 'number') v[name] = data.get(id) ?? { id };
      }
    } else if (def.type === 'one2many' || def.type === 'many2many') {
      if (!Object.keys(fieldSpec).length) continue;
      if (typeof fieldSpec.order === 'string' && fieldSpec.order) {
        const all = [
          ...new Set(values.flatMap((v) => (Array.isArray(v[name]) ? (v[name] as number[]) : []))),
        ];
        const ordered = searchRecords(
          withContext(coEnv, { active_test: false }),
          def.relation,
          [['id', 'in', all]],
          {
            order: fieldSpec.order,
          },
        );
        const position = new Map(ordered.map((row, i) => [row.id, i]));
        for (const v of values) {
          const list = (v[name] as number[]).filter((id) => position.has(id));
          v[name] = list.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
        }
      }
      if (!('fields' in fieldSpec)) continue;
      const limit =
        fieldSpec.limit === undefined || fieldSpec.limit === null ? undefined : pyInt(fieldSpec.limit);
      const toRead = [
        ...new Set(
          values.flatMap((v) => (v[name] as number[]).slice(0, limit === undefined ? undefined : limit)),
        ),
      ];
      const data = new Map(
        webRead(coEnv, def.relation, toRead, asSpec(fieldSpec.fields)).map((v) => [v.id as number, v]),
      );
      for (const v of values) v[name] = (v[name] as number[]).map((id) => data.get(id) ?? { id });
    }
  }
  return values;
}

export function webSearchRead(
  env: Env,
  model: string,
  args: Record<string, unknown>,
): Record<string, unknown> {
  const spec = args.specification;
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new OdooException(
      'builtins.AttributeError',
      `'${pyTypeName(spec)}' object has no attribute 'keys'`,
    );
  }
  resolveFields(env, model, Object.keys(spec));
  const rows = searchRecords(env, model, args.domain, args);
  const records = webRead(
    env,
    model,
    rows.map((row) => row.id),
    spec,
  );
  return page(env, model, args, records);
}

/** web_search_read's answer: the total is counted only when the page is full (or forced). */
function page(
  env: Env,
  model: string,
  args: Record<string, unknown>,
  records: unknown[],
): Record<string, unknown> {
  if (!records.length) return { length: 0, records: [] };
  const offset = args.offset ? pyInt(args.offset) : 0;
  const limit = limitOf(args.limit);
  const countLimit = limitOf(args.count_limit);
  const current = records.length + offset;
  const limitReached = records.length === limit;
  const countLimitReached = countLimit !== undefined && countLimit <= current;
  const length =
    limit !== undefined && ((limitReached && !countLimitReached) || env.context.force_search_count)
      ? searchCount(env, model, args.domain, countLimit ?? null)
      : current;
  return { length, records };
}

/**
 * web_search_read before 17.0: search_read() of a list of field names, values in read()'s
 * encoding. A 17-style specification dict is iterated like any Python mapping: its keys are
 * the fields, the sub-specifications are ignored.
 */
export function legacyWebSearchRead(
  env: Env,
  model: string,
  args: Record<string, unknown>,
): Record<string, unknown> {
  const fields = args.fields;
  const names =
    fields !== null && typeof fields === 'object' && !Array.isArray(fields) ? Object.keys(fields) : fields;
  const records = searchRead(env, model, { ...args, fields: names }, {});
  return page(env, model, args, records);
}
