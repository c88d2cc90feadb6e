// The emulator's domain engine: validates an Odoo domain the way the real server does and turns
// it into a row predicate. Two dialects, because Odoo rewrote the engine in 19.0:
// - 15.0 to 18.0 follow odoo/osv/expression.py (normalize_domain, is_false, _anyfy_leaves,
//   distribute_not, __leaf_to_sql) and models.py `_where_calc` for active_test. Leaves keep
//   SQL's three-valued logic, because `!` is only pushed into invertible operators there.
// - 19.0 follows odoo/orm/domains.py (Domain() construction, condition optimizations) and
//   fields' `condition_to_sql`; negation is a plain complement (`(...) IS NOT TRUE`).
// Errors are OrmError: `pyType` is the bare Python name for builtins ('ValueError') and the full
// path for Odoo's own exceptions ('odoo.exceptions.UserError').
import { activeFieldName, parentFieldName, recNameFields } from './known-models.js';
import { pyEquals, pyRepr, pyStr, pyTruthy, pyTuple, pyTypeName } from './pyrepr.js';
import { type DomainEnv, type FieldDef, type FieldMap, majorOf, OrmError, type Row } from './types.js';
import {
  compareValues,
  isNull,
  likeRegExp,
  linkedIds,
  NUMERIC_TYPES,
  RELATIONAL_TYPES,
  sqlText,
  storedValue,
  X2MANY_TYPES,
} from './values.js';

export interface DomainOptions {
  /** Odoo's `active_test` context key (default true). */
  activeTest?: boolean;
}

export type RowPredicate = (row: Row) => boolean;

/** SQL truth value: null is UNKNOWN (a comparison with NULL). */
type Tri = boolean | null;
type Pred = (row: Row) => Tri;

type Node =
  | { t: 'const'; value: boolean }
  | { t: 'not'; child: Node }
  | { t: 'and' | 'or'; children: Node[] }
  | { t: 'leaf'; field: string; op: string; value: unknown };

/** A sub-domain already parsed (19.0 dotted paths become `any` on a single condition). */
class SubDomain {
  constructor(
    readonly node: Node,
    readonly display: unknown,
  ) {}
}

interface Ctx {
  env: DomainEnv;
  legacy: boolean;
}

const TRUE_NODE: Node = { t: 'const', value: true };
const FALSE_NODE: Node = { t: 'const', value: false };
const constant =
  (value: Tri): Pred =>
  () =>
    value;
/** Own-key lookup: operators come from the wire and may be 'constructor' or '__proto__'. */
const lookup = (map: Record<string, string>, key: string): string | undefined =>
  Object.hasOwn(map, key) ? map[key] : undefined;
const HIERARCHY_OPERATORS = new Set(['child_of', 'parent_of']);

/**
 * Validate and compile `domain` for `model`. The predicate reads related rows when it runs;
 * hierarchies (child_of/parent_of) are resolved now, as Odoo resolves them before its query:
 * compile once per search.
 */
export function compileDomain(
  env: DomainEnv,
  model: string,
  domain: unknown,
  opts: DomainOptions = {},
): RowPredicate {
  const ctx: Ctx = { env, legacy: env.version !== '19.0' };
  const pred = compileSearch(ctx, model, domain, opts.activeTest ?? true);
  return (row) => pred(row) === true;
}

/** The rows of `model` matching `domain`, in id order (inactive ones only when asked for). */
export function searchRows(env: DomainEnv, model: string, domain: unknown, opts: DomainOptions = {}): Row[] {
  const pred = compileDomain(env, model, domain, opts);
  return env.rows(model).filter(pred);
}

function compileSearch(ctx: Ctx, model: string, domain: unknown, activeTest: boolean): Pred {
  if (ctx.legacy) return compileLegacySearch(ctx, model, domain, activeTest);
  return compileSearch19(ctx, model, parse19(domain), activeTest);
}

function fieldsOf(ctx: Ctx, model: string): FieldMap {
  const fields = ctx.env.fields(model);
  if (!fields) throw new OrmError('KeyError', pyRepr(model));
  return fields;
}

/** `id` and `display_name` exist on every model even when a field list leaves them out. */
function fieldDef(fields: FieldMap, name: string): FieldDef | undefined {
  if (Object.hasOwn(fields, name)) return fields[name];
  if (name === 'id') return { type: 'integer', store: true };
  if (name === 'display_name') return { type: 'char', store: false };
  return undefined;
}

/**
 * A field Odoo cannot search: neither stored nor given a search method (fields_get's
 * `searchable: false`: tz_offset everywhere, display_name up to 17.0 except on 15/16's
 * res.partner where it is stored). Odoo logs "Non-stored field ... cannot be searched" and puts
 * TRUE in place of the condition, so the condition filters nothing.
 */
function unsearchable(def: FieldDef): boolean {
  return def.store === false && def.searchable === false;
}

/** Operators 19.0's condition inversion turns into another condition (no NOT around it). */
const INVERTIBLE_19 = new Set([
  '=',
  '!=',
  '<>',
  'in',
  'not in',
  'like',
  'not like',
  'ilike',
  'not ilike',
  '=like',
  'not =like',
  '=ilike',
  'not =ilike',
]);

function droppedNegation(fields: FieldMap, child: Node): boolean {
  if (child.t !== 'leaf' || child.field.includes('.') || !INVERTIBLE_19.has(child.op)) return false;
  const def = fieldDef(fields, child.field);
  return def !== undefined && unsearchable(def);
}

// ---------------------------------------------------------------------------------------------
// Shared evaluation
// ---------------------------------------------------------------------------------------------

function compileNode(ctx: Ctx, model: string, fields: FieldMap, node: Node): Pred {
  switch (node.t) {
    case 'const':
      return constant(node.value);
    case 'not': {
      // 19.0 inverts a condition by its operator when it has an inverse, so the negation of a
      // condition on a field that cannot be searched is dropped too (17/18 push `!` into the
      // leaf before parsing, which has the same effect).
      if (!ctx.legacy && droppedNegation(fields, node.child)) return constant(true);
      const child = compileNode(ctx, model, fields, node.child);
      // 17/18 emit SQL NOT (UNKNOWN stays UNKNOWN); 19 emits `(...) IS NOT TRUE`
      if (ctx.legacy) {
        return (row) => {
          const r = child(row);
          return r === null ? null : !r;
        };
      }
      return (row) => child(row) !== true;
    }
    case 'and':
    case 'or': {
      const children = node.children.map((c) => compileNode(ctx, model, fields, c));
      const stop = node.t === 'or';
      return (row) => {
        let unknown = false;
        for (const child of children) {
          const r = child(row);
          if (r === stop) return stop;
          if (r === null) unknown = true;
        }
        return unknown ? null : !stop;
      };
    }
    case 'leaf':
      return ctx.legacy
        ? compileLeafLegacy(ctx, model, fields, node.field, node.op, node.value)
        : compileCond19(ctx, model, fields, node.field, node.op, node.value);
  }
}

function and(...children: Node[]): Node {
  return children.length === 1 ? (children[0] as Node) : { t: 'and', children };
}

/** The row a many2one or x2many id points to. */
function related(ctx: Ctx, model: string, id: unknown): Row | undefined {
  return typeof id === 'number' ? ctx.env.row(model, id) : undefined;
}

/** `any` / `not any` on an x2many: whether some linked record matches the sub-domain (same in every dialect). */
function x2manyAny(ctx: Ctx, comodel: string, fname: string, op: string, match: Pred): Pred {
  return (row) => {
    const hit = linkedIds(row[fname]).some((id) => {
      const rel = related(ctx, comodel, id);
      return rel !== undefined && match(rel) === true;
    });
    return op === 'any' ? hit : !hit;
  };
}

const PY_INT = /^\s*[+-]?\d+(_\d+)*\s*$/;
const PY_FLOAT = /^\s*[+-]?((\d+(_\d+)*)?\.?\d*([eE][+-]?\d+)?|inf(inity)?|nan)\s*$/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?$/;

/** Odoo's `convert_to_column(value, validate=False)` for comparisons, with Python's errors. */
function toColumn(def: FieldDef, value: unknown): unknown {
  switch (def.type) {
    case 'integer': {
      const v = pyTruthy(value) ? value : 0;
      if (typeof v === 'number') return Math.trunc(v);
      if (typeof v === 'boolean') return Number(v);
      if (typeof v === 'string' && PY_INT.test(v)) return Number(v.replaceAll('_', ''));
      if (typeof v === 'string') {
        throw new OrmError('ValueError', `invalid literal for int() with base 10: ${pyRepr(v)}`);
      }
      throw new OrmError(
        'TypeError',
        `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(v)}'`,
      );
    }
    case 'float':
    case 'monetary': {
      const v = pyTruthy(value) ? value : 0;
      if (typeof v === 'number') return v;
      if (typeof v === 'boolean') return Number(v);
      if (typeof v === 'string' && PY_FLOAT.test(v) && /\d|inf|nan/i.test(v)) {
        const t = v.trim().toLowerCase().replaceAll('_', '');
        if (t.endsWith('inf') || t.endsWith('infinity')) return t.startsWith('-') ? -Infinity : Infinity;
        return t === 'nan' ? Number.NaN : Number(t);
      }
      if (typeof v === 'string') {
        throw new OrmError('ValueError', `could not convert string to float: ${pyRepr(v)}`);
      }
      throw new OrmError(
        'TypeError',
        `float() argument must be a string or a real number, not '${pyTypeName(v)}'`,
      );
    }
    case 'boolean':
      return pyTruthy(value);
    case 'date':
      return pyTruthy(value) ? toDateString(value) : null;
    case 'datetime':
      return pyTruthy(value) ? toDatetimeString(value) : null;
    case 'char':
    case 'text':
    case 'html':
    case 'selection':
      return value === false || value === null || value === undefined ? null : pyStr(value);
    default:
      return value === false || value === undefined ? null : value;
  }
}

/** fields.Date.to_date: the first 10 characters must be a YYYY-MM-DD date. */
function toDateString(value: unknown): string {
  const s = pyStr(value).slice(0, 10);
  if (!ISO_DATE.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`))) {
    throw new OrmError('ValueError', `time data ${pyRepr(s)} does not match format '%Y-%m-%d'`);
  }
  return s;
}

/** fields.Datetime.to_datetime: a date means midnight, seconds are kept, fractions dropped. */
function toDatetimeString(value: unknown): string {
  const s = pyStr(value);
  if (s.length === 10) return `${toDateString(s)} 00:00:00`;
  const cut = s.slice(0, 19);
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(cut)) {
    throw new OrmError('ValueError', `time data ${pyRepr(cut)} does not match format '%Y-%m-%d %H:%M:%S'`);
  }
  return cut;
}

/** SQL `=` between a column value and a converted parameter (a type mismatch never matches). */
function sqlEquals(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return a === b;
}

function sqlCompare(type: string, op: string, a: unknown, b: unknown): boolean {
  if (op === '=') return sqlEquals(a, b);
  if (op === '!=') return !sqlEquals(a, b);
  if (typeof a !== typeof b) return false;
  const c = compareValues(type, a, b);
  if (op === '<') return c < 0;
  if (op === '<=') return c <= 0;
  if (op === '>') return c > 0;
  return c >= 0;
}

/** Fallback name match on display names, for models without a searchable name field. */
function displayNamePred(ctx: Ctx, model: string, op: string, value: unknown): Pred {
  const def: FieldDef = { type: 'char' };
  const inner = ctx.legacy
    ? legacySqlLeaf(def, 'display_name', op, value, pyTuple('display_name', op, value))
    : scalar19(def, 'display_name', op, value, () => new OrmError('ValueError', 'unsupported'));
  return (row) => inner({ id: row.id, display_name: ctx.env.displayName(model, row.id) });
}

/**
 * `_search_display_name`: the operator applied to each of the model's rec-name fields, OR-ed
 * (AND-ed for negative operators). Returns undefined when the model has no such field.
 */
function nameDomain(
  env: DomainEnv,
  model: string,
  fields: FieldMap,
  op: string,
  value: unknown,
  negative: boolean,
): unknown[] | undefined {
  const names = recNameFields(env.version, model, fields);
  if (names.length === 0) return undefined;
  if (op.endsWith('like') && !op.includes('=') && !pyTruthy(value)) {
    // like '' matches everything (and its negation nothing), NULL names included
    return negative ? [[0, '=', 1]] : [];
  }
  const glue = negative ? '&' : '|';
  return [...names.slice(1).map(() => glue), ...names.map((name) => [name, op, value])];
}

/**
 * A name search on `model` (what a string compared to a relational field means): a predicate
 * on rows of `model`, honouring `activeTest` like the `_search` it stands for.
 */
function compileNameMatch(
  ctx: Ctx,
  model: string,
  op: string,
  value: unknown,
  activeTest: boolean,
): (row: Row) => boolean {
  const fields = fieldsOf(ctx, model);
  const negative = ctx.legacy ? LEGACY_NEGATIVE.has(op) : Object.hasOwn(NEGATIVE_19, op);
  const domain = nameDomain(ctx.env, model, fields, op, value, negative);
  if (domain) {
    const pred = compileSearch(ctx, model, domain, activeTest);
    return (row) => pred(row) === true;
  }
  const byName = displayNamePred(ctx, model, op, value);
  const active = activeTest ? activeFieldName(fields) : undefined;
  return (row) => (active === undefined || row[active] === true) && byName(row) === true;
}

// ---------------------------------------------------------------------------------------------
// child_of / parent_of
// ---------------------------------------------------------------------------------------------

function compileHierarchy(
  ctx: Ctx,
  model: string,
  fname: string,
  def: FieldDef,
  op: string,
  value: unknown,
  raise: (message: string) => OrmError,
): Pred {
  const { env, legacy } = ctx;
  let comodel: string;
  let parent: string;
  let target: 'id' | 'many2one' | 'x2many';
  if (fname === 'id') {
    comodel = model;
    parent = parentFieldName(model);
    target = 'id';
  } else if (RELATIONAL_TYPES.has(def.type) && def.relation) {
    comodel = def.relation;
    parent = parentFieldName(comodel);
    target = def.type === 'many2one' ? 'many2one' : 'x2many';
    if (comodel === model) {
      // on the same model, the field itself is the parent relation to follow
      if (def.type === 'many2one' || (legacy && def.type === 'one2many') || !legacy) parent = fname;
      if (def.type === 'many2one' || legacy) target = 'id';
    }
  } else if (legacy) {
    throw new OrmError('KeyError', pyRepr(op));
  } else {
    throw raise(`Cannot execute ${op} for ${model}.${fname}, works only for relational fields`);
  }
  const cofields = fieldsOf(ctx, comodel);

  // the starting records: ids, or names searched like name_search does
  let start: number[] = [];
  if (legacy) {
    const names =
      typeof value === 'string'
        ? [value]
        : Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')
          ? (value as string[])
          : [];
    if (names.length > 0) {
      for (const name of names) {
        const match = compileNameMatch(ctx, comodel, 'ilike', name, true);
        for (const row of env.rows(comodel)) if (match(row)) start.push(row.id);
      }
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      start = pyTruthy(value) ? [Number(value)] : [];
    } else if (Array.isArray(value)) {
      start = value.filter((v): v is number => typeof v === 'number');
    }
    if (op === 'parent_of') start = start.filter((id) => id !== 0);
  } else {
    if (value === false) return constant(false);
    let items: unknown[];
    if (typeof value === 'number' || typeof value === 'string') items = [value];
    else if (Array.isArray(value)) items = value;
    else throw raise(`Value of type <class '${pyTypeName(value)}'> is not supported`);
    // many2one comodels are searched with active_test=False
    const coActive = def.type !== 'many2one';
    const ids = items.filter((v): v is number => typeof v === 'number' && Number.isInteger(v));
    const others = items.filter((v) => !(typeof v === 'number' && Number.isInteger(v)));
    const searched = new Set<number>();
    const active = coActive ? activeFieldName(cofields) : undefined;
    if (def.type === 'many2many') {
      // many2many ids are searched too: missing and archived ones drop out
      for (const id of ids) {
        const row = env.row(comodel, id);
        if (row && (active === undefined || row[active] === true)) searched.add(id);
      }
    } else start.push(...ids);
    for (const name of others) {
      const match = compileNameMatch(ctx, comodel, 'ilike', name, coActive);
      for (const row of env.rows(comodel)) if (match(row)) searched.add(row.id);
    }
    start.push(...[...searched].sort((a, b) => a - b));
  }
  if (start.length === 0) return constant(false);

  const parentDef = cofields[parent];
  if (!parentDef) {
    if (legacy) throw new OrmError('KeyError', pyRepr(parent));
    throw new OrmError(
      'ValueError',
      `Invalid field ${comodel}.${parent} in condition (${pyRepr(parent)}, 'in', OrderedSet(${pyRepr(start)}))`,
    );
  }
  const parentsOf = (row: Row): number[] => {
    const v = storedValue(parentDef, row[parent]);
    return X2MANY_TYPES.has(parentDef.type) ? linkedIds(v) : typeof v === 'number' ? [v] : [];
  };

  // walk the hierarchy without active_test, as Odoo does with sudo()
  const found = new Set<number>(start);
  let frontier = new Set<number>(start);
  if (op === 'child_of') {
    const rows = env.rows(comodel);
    while (frontier.size > 0) {
      const next = new Set<number>();
      for (const row of rows) {
        if (!found.has(row.id) && parentsOf(row).some((p) => frontier.has(p))) next.add(row.id);
      }
      for (const id of next) found.add(id);
      frontier = next;
    }
  } else {
    while (frontier.size > 0) {
      const next = new Set<number>();
      for (const id of frontier) {
        const row = env.row(comodel, id);
        for (const p of row ? parentsOf(row) : []) if (!found.has(p)) next.add(p);
      }
      for (const id of next) found.add(id);
      frontier = next;
    }
  }
  if (legacy && def.type === 'many2many') {
    // 17/18 re-search the comodel (with active_test) before the EXISTS on the relation table
    const active = activeFieldName(cofields);
    if (active) {
      for (const id of [...found]) if (env.row(comodel, id)?.[active] !== true) found.delete(id);
    }
  }

  if (target === 'id') return (row) => found.has(row.id);
  if (target === 'many2one') {
    return (row) => {
      const v = storedValue(def, row[fname]);
      if (typeof v !== 'number') return legacy ? null : false;
      return found.has(v);
    };
  }
  return (row) => linkedIds(row[fname]).some((id) => found.has(id));
}

// ---------------------------------------------------------------------------------------------
// 17.0 / 18.0: odoo/osv/expression.py
// ---------------------------------------------------------------------------------------------

const LEGACY_OPERATORS = new Set([
  '=',
  '!=',
  '<=',
  '<',
  '>',
  '>=',
  '=?',
  '=like',
  '=ilike',
  'like',
  'not like',
  'ilike',
  'not ilike',
  'in',
  'not in',
  'child_of',
  'parent_of',
  'any',
  'not any',
  '<>',
]);
const LEGACY_NEGATIVE = new Set(['!=', 'not like', 'not ilike', 'not in']);
const LEGACY_NEGATION: Record<string, string> = {
  '<': '>=',
  '>': '<=',
  '<=': '>',
  '>=': '<',
  '=': '!=',
  '!=': '=',
  in: 'not in',
  like: 'not like',
  ilike: 'not ilike',
  'not in': 'in',
  'not like': 'like',
  'not ilike': 'ilike',
  any: 'not any',
  'not any': 'any',
};
const DOMAIN_OPERATOR_ARITY: Record<string, number> = { '!': 1, '&': 2, '|': 2 };
const isDomainOperator = (token: unknown): token is '!' | '&' | '|' =>
  token === '!' || token === '&' || token === '|';
const isTrueLeaf = (item: unknown): boolean => Array.isArray(item) && pyEquals(item, [1, '=', 1]);
const isFalseLeaf = (item: unknown): boolean => Array.isArray(item) && pyEquals(item, [0, '=', 1]);

function legacyRepr(left: unknown, op: unknown, right: unknown): string {
  return pyRepr(pyTuple(left, op, right));
}

function compileLegacySearch(ctx: Ctx, model: string, domain: unknown, activeTest: boolean): Pred {
  // _search: is_false() normalizes first, so syntax errors come before anything else
  const normalized = legacyNormalize(domain);
  if (legacyIsFalse(normalized)) return constant(false);
  const fields = fieldsOf(ctx, model);
  let items = domain as unknown[];
  // _where_calc: an item whose first element is the active field anywhere in the flat list
  // (not inside `any` sub-domains, not in dotted paths) switches the default filter off
  const activeName = activeFieldName(fields);
  if (activeName && activeTest && !items.some((item) => firstElement(item) === activeName)) {
    items = [[activeName, '=', 1], ...items];
  }
  const tokens = legacyAnyfy(ctx, model, fields, items);
  return compileNode(ctx, model, fields, legacyTree(tokens));
}

function firstElement(item: unknown): unknown {
  if (typeof item === 'string' || Array.isArray(item)) return item[0];
  return undefined;
}

/** normalize_domain(): explicit '&', validated arity, any/not any sub-domains normalized too. */
function legacyNormalize(domain: unknown): unknown[] {
  if (!Array.isArray(domain)) {
    throw new OrmError(
      'AssertionError',
      "Domains to normalize must have a 'domain' form: a list or tuple of domain components",
    );
  }
  if (domain.length === 0) return [[1, '=', 1]];
  const result: unknown[] = [];
  let expected = 1;
  for (let token of domain as unknown[]) {
    if (expected === 0) {
      result.unshift('&');
      expected = 1;
    }
    if (Array.isArray(token)) {
      expected -= 1;
      if (token.length === 3 && (token[1] === 'any' || token[1] === 'not any')) {
        token = [token[0], token[1], legacyNormalize(token[2])];
      }
    } else {
      if (token !== null && typeof token === 'object')
        throw new OrmError('TypeError', "unhashable type: 'dict'");
      const arity =
        typeof token === 'string' && Object.hasOwn(DOMAIN_OPERATOR_ARITY, token)
          ? DOMAIN_OPERATOR_ARITY[token]
          : 0;
      expected += (arity ?? 0) - 1;
    }
    result.push(token);
  }
  if (expected !== 0)
    throw new OrmError('ValueError', `Domain ${pyRepr(domain)} is syntactically not correct.`);
  return result;
}

/** Python's `token[i]` on a normalized token (a tuple, a string, or junk), with its errors. */
function pyIndex(token: unknown, i: number): unknown {
  if (typeof token === 'string' || Array.isArray(token)) {
    if (i < token.length) return token[i];
    throw new OrmError('IndexError', `${typeof token === 'string' ? 'string' : 'tuple'} index out of range`);
  }
  if (token !== null && typeof token === 'object') throw new OrmError('KeyError', pyRepr(i));
  throw new OrmError('TypeError', `'${pyTypeName(token)}' object is not subscriptable`);
}

/** expression.is_false(): three-valued shortcut that makes `[('x', 'in', [])]` match nothing. */
function legacyIsFalse(tokens: unknown[]): boolean {
  const stack: number[] = [];
  const pop = (): number => stack.pop() ?? 0;
  for (const token of [...tokens].reverse()) {
    if (token === '&') stack.push(Math.min(pop(), pop()));
    else if (token === '|') stack.push(Math.max(pop(), pop()));
    else if (token === '!') stack.push(-pop());
    else if (isTrueLeaf(token)) stack.push(1);
    else if (isFalseLeaf(token)) stack.push(-1);
    else {
      const op = pyIndex(token, 1);
      if ((op === 'in' || op === 'not in') && !pyTruthy(pyIndex(token, 2))) stack.push(op === 'in' ? -1 : 1);
      else stack.push(0);
    }
  }
  return stack.pop() === -1;
}

type LegacyToken = '!' | '&' | '|' | Node;

/**
 * _anyfy_leaves(): validates every field (recursively) and turns paths through relational
 * fields into `any` conditions. Sub-domains stay raw: they are searched again later.
 */
function legacyAnyfy(ctx: Ctx, model: string, fields: FieldMap, items: unknown[]): LegacyToken[] {
  const result: LegacyToken[] = [];
  for (const item of items) {
    if (isDomainOperator(item)) {
      result.push(item);
      continue;
    }
    const tuple = typeof item === 'string' ? [...item] : Array.isArray(item) ? item : [];
    if (tuple.length < 3) {
      throw new OrmError('ValueError', `not enough values to unpack (expected 3, got ${tuple.length})`);
    }
    if (tuple.length > 3) throw new OrmError('ValueError', 'too many values to unpack (expected 3)');
    const [left, op, right] = tuple as [unknown, unknown, unknown];
    if (isTrueLeaf(tuple) || isFalseLeaf(tuple)) {
      result.push(isTrueLeaf(tuple) ? TRUE_NODE : FALSE_NODE);
      continue;
    }
    if (typeof left !== 'string') {
      throw new OrmError('AttributeError', `'${pyTypeName(left)}' object has no attribute 'split'`);
    }
    const dot = left.indexOf('.');
    const fname = dot < 0 ? left : left.slice(0, dot);
    const def = fieldDef(fields, fname);
    if (!def)
      throw new OrmError(
        'ValueError',
        `Invalid field ${model}.${fname} in leaf ${legacyRepr(left, op, right)}`,
      );
    if (dot >= 0 && RELATIONAL_TYPES.has(def.type)) {
      const sub = [[left.slice(dot + 1), op, right]];
      const comodel = legacyComodel(ctx, def);
      legacyAnyfy(ctx, comodel, fieldsOf(ctx, comodel), sub);
      result.push({ t: 'leaf', field: fname, op: 'any', value: sub });
    } else if (op === 'any' || op === 'not any') {
      // The operators came with 17.0 (there, dotted paths already became `any` on the way).
      if (majorOf(ctx.env.version) <= 16)
        throw new OrmError('ValueError', `Invalid leaf ${legacyRepr(left, op, right)}`);
      const comodel = legacyComodel(ctx, def);
      legacyAnyfy(ctx, comodel, fieldsOf(ctx, comodel), right as unknown[]);
      result.push({ t: 'leaf', field: left, op, value: right });
    } else {
      result.push({ t: 'leaf', field: left, op: op as string, value: right });
    }
  }
  return result;
}

/** `model.env[field.comodel_name]`: a KeyError for non-relational fields (comodel None). */
function legacyComodel(ctx: Ctx, def: FieldDef): string {
  const relation = RELATIONAL_TYPES.has(def.type) ? def.relation : undefined;
  if (!relation) throw new OrmError('KeyError', 'None');
  if (!ctx.env.fields(relation)) throw new OrmError('KeyError', pyRepr(relation));
  return relation;
}

/** _tree_from_domain() + _tree_not(): prefix tokens to a tree, negation pushed into leaves. */
function legacyTree(tokens: LegacyToken[]): Node {
  const stack: Node[] = [];
  const pop = (): Node => stack.pop() ?? TRUE_NODE;
  for (const token of [...tokens].reverse()) {
    if (token === '!') stack.push(legacyNot(pop()));
    else if (token === '&' || token === '|') {
      const a = pop();
      const b = pop();
      stack.push({ t: token === '&' ? 'and' : 'or', children: [a, b] });
    } else stack.push(token);
  }
  return and(...stack.reverse());
}

function legacyNot(node: Node): Node {
  switch (node.t) {
    case 'const':
      return { t: 'const', value: !node.value };
    case 'not':
      return node.child;
    case 'and':
    case 'or':
      return { t: node.t === 'and' ? 'or' : 'and', children: node.children.map(legacyNot) };
    case 'leaf': {
      const inverse = typeof node.op === 'string' ? lookup(LEGACY_NEGATION, node.op) : undefined;
      return inverse ? { ...node, op: inverse } : { t: 'not', child: node };
    }
  }
}

function compileLeafLegacy(
  ctx: Ctx,
  model: string,
  fields: FieldMap,
  left: string,
  rawOp: string,
  right: unknown,
): Pred {
  // check_leaf() runs on the operator as given: case matters, '<>' is still accepted
  if (typeof rawOp !== 'string' || !LEGACY_OPERATORS.has(rawOp)) {
    throw new OrmError('ValueError', `Invalid leaf ${legacyRepr(left, rawOp, right)}`);
  }
  // normalize_leaf()
  let op = rawOp === '<>' ? '!=' : rawOp;
  if (typeof right === 'boolean' && (op === 'in' || op === 'not in')) op = op === 'in' ? '=' : '!=';
  if (Array.isArray(right) && (op === '=' || op === '!=')) op = op === '=' ? 'in' : 'not in';
  const leaf = pyTuple(left, op, right);

  const dot = left.indexOf('.');
  const fname = dot < 0 ? left : left.slice(0, dot);
  const def = fieldDef(fields, fname) as FieldDef;
  if (dot >= 0)
    throw new OrmError('AssertionError', `Invalid field ${pyRepr(left)} in domain term ${pyRepr(leaf)}`);

  // parse() meets the non-stored branch before any other: the value is not even looked at.
  if (unsearchable(def)) return constant(true);
  if (op === 'any' || op === 'not any') return compileAnyLegacy(ctx, fname, def, op, right);
  if (HIERARCHY_OPERATORS.has(op)) {
    // plain columns have no SQL for these: SQL_OPERATORS[operator] raises KeyError
    if (fname !== 'id' && !RELATIONAL_TYPES.has(def.type)) throw new OrmError('KeyError', pyRepr(op));
    return compileHierarchy(ctx, model, fname, def, op, right, () => new OrmError('ValueError', ''));
  }
  if (fname === 'display_name' && def.store === false) {
    const domain = nameDomain(ctx.env, model, fields, op, right, LEGACY_NEGATIVE.has(op));
    if (domain) return compileLegacySearch(ctx, model, domain, false);
    return displayNamePred(ctx, model, op, right);
  }
  if (X2MANY_TYPES.has(def.type)) return legacyX2many(ctx, fname, def, op, right);
  if (def.type === 'many2one') {
    const names =
      typeof right === 'string' ||
      (Array.isArray(right) && right.length > 0 && right.every((v) => typeof v === 'string'));
    if (names) return legacyMany2oneByName(ctx, fname, def, op, right);
  }
  if (def.type === 'datetime' && typeof right === 'string' && right.length === 10) {
    // a bare date on a datetime covers the whole day
    const bound = op === '>' || op === '<=' ? ' 23:59:59' : ' 00:00:00';
    return legacySqlLeaf(def, fname, op, right + bound, pyTuple(left, op, right + bound));
  }
  return legacySqlLeaf(def, fname, op, right, leaf);
}

/** __leaf_to_sql(): one column compared to a value, NULL handling included. */
function legacySqlLeaf(def: FieldDef, fname: string, op: string, right: unknown, leaf: unknown): Pred {
  const get = (row: Row): unknown => storedValue(def, row[fname]);
  const nul = (row: Row): boolean => isNull(def, get(row));
  const orNull =
    (base: Pred): Pred =>
    (row) =>
      nul(row) ? true : base(row);

  if (op === '=?') {
    if (right === false || right === null || right === undefined) return constant(true);
    op = '=';
  }
  if (op === 'in' || op === 'not in') {
    if (typeof right === 'boolean') {
      const wantSet = (op === 'in') === right;
      return (row) => nul(row) !== wantSet;
    }
    if (!Array.isArray(right)) throw new OrmError('ValueError', `Invalid domain term ${pyRepr(leaf)}`);
    let params: unknown[];
    let checkNull: boolean;
    if (def.type === 'boolean') {
      params = [true, false].filter((b) => right.some((r) => pyEquals(r, b)));
      checkNull = right.some((r) => pyEquals(r, false));
    } else {
      params = right.filter((it) => it !== false && it !== null && it !== undefined);
      checkNull = params.length < right.length;
    }
    const values = fname === 'id' ? params : params.map((p) => toColumn(def, p));
    const base: Pred =
      values.length === 0
        ? constant(op === 'not in')
        : (row) => {
            if (nul(row)) return null;
            const v = get(row);
            const member = values.some((p) => sqlEquals(v, p));
            return op === 'in' ? member : !member;
          };
    if ((op === 'in' && checkNull) || (op === 'not in' && !checkNull)) return orNull(base);
    if (op === 'not in' && checkNull) return (row) => (nul(row) ? false : base(row));
    return base;
  }
  if (def.type === 'boolean' && (op === '=' || op === '!=') && typeof right === 'boolean') {
    const want = op === '!=' ? !right : right;
    return (row) => (get(row) === true) === want;
  }
  if (op === '=' && (right === false || right === null || right === undefined)) return nul;
  if (op === '!=' && (right === false || right === null || right === undefined)) return (row) => !nul(row);

  let base: Pred;
  const wildcard = op === 'like' || op === 'ilike' || op === 'not like' || op === 'not ilike';
  if (op.endsWith('like')) {
    const pattern = wildcard ? `%${pyStr(right)}%` : toColumn(def, right);
    const regex = pattern === null ? undefined : likeRegExp(sqlText(pattern), op.endsWith('ilike'));
    const positive = !op.startsWith('not ');
    base = (row) => (nul(row) || !regex ? null : regex.test(sqlText(get(row))) === positive);
  } else {
    const param = fname === 'id' ? right : toColumn(def, right);
    base = (row) => (nul(row) || param === null ? null : sqlCompare(def.type, op, get(row), param));
  }
  if ((wildcard && !pyTruthy(right)) || (pyTruthy(right) && LEGACY_NEGATIVE.has(op))) return orNull(base);
  return base;
}

function compileAnyLegacy(ctx: Ctx, fname: string, def: FieldDef, op: string, sub: unknown): Pred {
  const comodel = legacyComodel(ctx, def);
  if (def.type === 'many2one') {
    // many2one sub-searches run with active_test=False
    const match = compileLegacySearch(ctx, comodel, sub, false);
    return (row) => {
      const id = storedValue(def, row[fname]);
      if (typeof id !== 'number') return op === 'any' ? null : true;
      const rel = related(ctx, comodel, id);
      const hit = rel !== undefined && match(rel) === true;
      return op === 'any' ? hit : !hit;
    };
  }
  return x2manyAny(ctx, comodel, fname, op, compileLegacySearch(ctx, comodel, sub, true));
}

function legacyMany2oneByName(ctx: Ctx, fname: string, def: FieldDef, rawOp: string, right: unknown): Pred {
  const comodel = legacyComodel(ctx, def);
  // the "special treatment to ill-formed domains" of expression.parse()
  let op = ['<', '>', '<=', '>='].includes(rawOp) ? 'in' : rawOp;
  if (!Array.isArray(right) && (op === 'in' || op === 'not in')) op = op === 'in' ? '=' : '!=';
  else if (Array.isArray(right) && (op === '=' || op === '!=')) op = op === '=' ? 'in' : 'not in';
  const match = compileNameMatch(ctx, comodel, op, right, false);
  const negative = LEGACY_NEGATIVE.has(op);
  return (row) => {
    const id = storedValue(def, row[fname]);
    if (typeof id !== 'number') return negative ? true : null;
    const rel = related(ctx, comodel, id);
    return rel !== undefined && match(rel);
  };
}

function legacyX2many(ctx: Ctx, fname: string, def: FieldDef, op: string, right: unknown): Pred {
  const negative = LEGACY_NEGATIVE.has(op);
  if (right === false) {
    // with or without linked records
    return (row) => linkedIds(row[fname]).length > 0 === negative;
  }
  const comodel = legacyComodel(ctx, def);
  let hit: (id: number) => boolean;
  if (typeof right === 'string') {
    const positive = negative ? (lookup(LEGACY_NEGATION, op) ?? op) : op;
    const match = compileNameMatch(ctx, comodel, positive, right, true);
    hit = (id) => {
      const rel = related(ctx, comodel, id);
      return rel !== undefined && match(rel);
    };
  } else {
    const ids = new Set((Array.isArray(right) ? right : [right]).filter((v) => pyTruthy(v)));
    hit = (id) => ids.has(id);
  }
  return (row) => linkedIds(row[fname]).some(hit) !== negative;
}

// ---------------------------------------------------------------------------------------------
// 19.0: odoo/orm/domains.py
// ---------------------------------------------------------------------------------------------

const OPERATORS_19 = new Set([
  'any',
  'not any',
  'any!',
  'not any!',
  'in',
  'not in',
  '<',
  '>',
  '<=',
  '>=',
  'like',
  'not like',
  'ilike',
  'not ilike',
  '=like',
  'not =like',
  '=ilike',
  'not =ilike',
  '=',
  '!=',
  '=?',
  '<>',
  '==',
  'child_of',
  'parent_of',
]);
const NEGATIVE_19: Record<string, string> = {
  'not any': 'any',
  'not in': 'in',
  'not like': 'like',
  'not ilike': 'ilike',
  'not =like': '=like',
  'not =ilike': '=ilike',
  '!=': '=',
  '<>': '=',
};
const INEQUALITIES = new Set(['<', '>', '<=', '>=']);

/** Domain(arg): the list is parsed from the end, conditions are checked as they are built. */
function parse19(arg: unknown): Node {
  if (arg === true || (Array.isArray(arg) && arg.length === 0)) return TRUE_NODE;
  if (arg === false) return FALSE_NODE;
  if (!Array.isArray(arg))
    throw new OrmError('TypeError', `Domain() invalid argument type for domain: ${pyRepr(arg)}`);
  const stack: Node[] = [];
  const malformed = () => new OrmError('ValueError', `Domain() malformed domain ${pyRepr(arg)}`);
  const pop = (): Node => {
    const node = stack.pop();
    if (!node) throw malformed();
    return node;
  };
  for (const item of [...(arg as unknown[])].reverse()) {
    if (Array.isArray(item) && item.length === 3) {
      if (item[1] === 'any!' || item[1] === 'not any!') {
        throw new OrmError('ValueError', `Domain() invalid item in domain: ${pyRepr(item)}`);
      }
      stack.push(condition19(item[0], item[1], item[2]));
    } else if (item === '&' || item === '|') {
      const a = pop();
      const b = pop();
      stack.push({ t: item === '&' ? 'and' : 'or', children: [a, b] });
    } else if (item === '!') {
      stack.push({ t: 'not', child: pop() });
    } else {
      throw new OrmError('ValueError', `Domain() invalid item in domain: ${pyRepr(item)}`);
    }
  }
  return and(...stack.reverse());
}

/** Domain(field, operator, value) and DomainCondition.checked(). */
function condition19(field: unknown, op: unknown, value: unknown): Node {
  if (typeof field !== 'string') {
    if (pyEquals([field, op, value], [1, '=', 1])) return TRUE_NODE;
    if (pyEquals([field, op, value], [0, '=', 1])) return FALSE_NODE;
    throw new OrmError('TypeError', `Domain() invalid arguments: ${pyRepr(pyTuple(field, op, value))}`);
  }
  if (field === '')
    throw new OrmError('TypeError', `Empty field name in condition ${pyRepr(pyTuple(field, op, value))}`);
  if (typeof op !== 'string')
    throw new OrmError('AttributeError', `'${pyTypeName(op)}' object has no attribute 'lower'`);
  const lower = op.toLowerCase();
  if (!OPERATORS_19.has(lower)) {
    throw new OrmError('ValueError', `Invalid operator in condition ${pyRepr(pyTuple(field, lower, value))}`);
  }
  return { t: 'leaf', field, op: lower, value: value ?? false };
}

/** Conditions of the domain outside any/not any sub-domains (Domain.iter_conditions). */
function* conditions19(node: Node): Generator<Extract<Node, { t: 'leaf' }>> {
  if (node.t === 'leaf') yield node;
  else if (node.t === 'not') yield* conditions19(node.child);
  else if (node.t === 'and' || node.t === 'or') for (const child of node.children) yield* conditions19(child);
}

function compileSearch19(ctx: Ctx, model: string, node: Node, activeTest: boolean): Pred {
  const fields = fieldsOf(ctx, model);
  const activeName = activeFieldName(fields);
  let root = node;
  if (activeName && activeTest && ![...conditions19(node)].some((c) => c.field === activeName)) {
    root = and(node, { t: 'leaf', field: activeName, op: '=', value: true });
  }
  return compileNode(ctx, model, fields, root);
}

function compileCond19(
  ctx: Ctx,
  model: string,
  fields: FieldMap,
  field: string,
  op: string,
  value: unknown,
): Pred {
  const raise = (message: string, pyType = 'ValueError'): OrmError => {
    const shown = value instanceof SubDomain ? value.display : value;
    return new OrmError(pyType, `${message} in condition ${pyRepr(pyTuple(field, op, shown))}`);
  };
  const again = (nextOp: string, nextValue: unknown): Pred =>
    compileCond19(ctx, model, fields, field, nextOp, nextValue);

  const dot = field.indexOf('.');
  const fname = dot < 0 ? field : field.slice(0, dot);
  const def = fieldDef(fields, fname);
  if (!def) throw raise(`Invalid field ${model}.${fname}`);
  if (dot >= 0) {
    const rest = field.slice(dot + 1);
    if (!RELATIONAL_TYPES.has(def.type)) {
      throw new OrmError('ValueError', `Invalid field property ${pyRepr(rest)} on ${model}.${fname}`);
    }
    const sub = new SubDomain({ t: 'leaf', field: rest, op, value }, [[rest, op, value]]);
    return compileAny19(ctx, model, fields, fname, def, 'any', sub, raise);
  }

  // operator rewrites (domains.py operator_optimization)
  switch (op) {
    case '=?':
      return pyTruthy(value) ? again('=', value) : constant(true);
    case '<>':
      return again('!=', value);
    case '==':
      return again('=', value);
    case '=':
    case '!=': {
      const list = Array.isArray(value) ? (value.length > 0 ? value : [false]) : [value];
      return again(op === '=' ? 'in' : 'not in', list);
    }
    case 'in':
    case 'not in':
      if (!pyTruthy(value)) return constant(op === 'not in');
      if (!Array.isArray(value)) return again(op, [value]);
      break;
    case 'any':
    case 'not any':
    case 'any!':
    case 'not any!':
      return compileAny19(ctx, model, fields, fname, def, op.replace('!', ''), value, raise);
    case 'child_of':
    case 'parent_of':
      return compileHierarchy(ctx, model, fname, def, op, value, raise);
  }
  // What the operator optimizations leave of a condition on such a field is dropped.
  if (unsearchable(def)) return constant(true);
  if (op.endsWith('like')) {
    if (!pyTruthy(value)) {
      // like '' matches everything; =like '' only empty values
      const result = Object.hasOwn(NEGATIVE_19, op) === op.includes('=');
      if (RELATIONAL_TYPES.has(def.type) || op.includes('=')) return again(result ? '!=' : '=', false);
      return constant(result);
    }
    if (typeof value !== 'string') {
      if (op.includes('=')) throw raise('The pattern to match must be a string', 'TypeError');
      return again(op, pyStr(value));
    }
  }

  // field type rewrites (domains.py field_type_optimization)
  const positive = lookup(NEGATIVE_19, op) ?? op;
  const anyOp = positive === op ? 'any' : 'not any';
  if (RELATIONAL_TYPES.has(def.type)) {
    if (op.endsWith('like')) {
      const sub = new SubDomain({ t: 'leaf', field: 'display_name', op: positive, value }, [
        ['display_name', positive, value],
      ]);
      return compileAny19(ctx, model, fields, fname, def, anyOp, sub, raise);
    }
    if (INEQUALITIES.has(op) && typeof value === 'string') {
      throw raise('Inequality not supported for relational field using a string', 'TypeError');
    }
    if (positive === 'in' && Array.isArray(value) && value.some((v) => typeof v === 'string')) {
      const names = value.filter((v) => typeof v === 'string');
      const others = value.filter((v) => typeof v !== 'string');
      const sub = new SubDomain({ t: 'leaf', field: 'display_name', op: positive, value: names }, [
        ['display_name', positive, names],
      ]);
      const byName = compileAny19(ctx, model, fields, fname, def, anyOp, sub, raise);
      if (others.length === 0) return byName;
      const rest = again(op, others);
      return positive === op
        ? (row) => byName(row) === true || rest(row) === true
        : (row) => byName(row) === true && rest(row) === true;
    }
  }
  if (fname === 'display_name' && def.store === false) {
    const domain = nameDomain(ctx.env, model, fields, positive, value, false);
    if (!domain) return displayNamePred(ctx, model, op, value);
    const match = compileSearch(ctx, model, domain, false);
    return positive === op ? (row) => match(row) === true : (row) => match(row) !== true;
  }
  if (def.type === 'boolean') return boolean19(fname, op, value, raise);
  if (def.type === 'date' && (op === 'in' || op === 'not in' || INEQUALITIES.has(op))) {
    if (value === false && INEQUALITIES.has(op)) return constant(false);
    const converted = Array.isArray(value) ? value.map((v) => toIsoDate(v)) : toIsoDate(value);
    return scalar19(def, fname, op, converted, raise);
  }
  if (def.type === 'datetime' && (op === 'in' || op === 'not in' || INEQUALITIES.has(op))) {
    return datetime19(fields, field, op, value);
  }
  if (X2MANY_TYPES.has(def.type)) return x2many19(fname, op, value, raise);
  return scalar19(def, fname, op, value, raise);
}

/** `any` / `not any`: many2one searches its comodel with active_test=False, x2many with it. */
function compileAny19(
  ctx: Ctx,
  model: string,
  fields: FieldMap,
  fname: string,
  def: FieldDef,
  op: string,
  value: unknown,
  raise: (message: string) => OrmError,
): Pred {
  const node = value instanceof SubDomain ? value.node : parse19(value);
  if (fname === 'id') {
    // id ANY domain <=> domain
    const match = compileNode(ctx, model, fields, node);
    return op === 'any' ? (row) => match(row) === true : (row) => match(row) !== true;
  }
  const comodel = RELATIONAL_TYPES.has(def.type) ? def.relation : undefined;
  if (!comodel || !ctx.env.fields(comodel)) throw raise('Cannot determine the comodel relation');
  if (def.type === 'many2one') {
    const match = compileSearch19(ctx, comodel, node, false);
    return (row) => {
      const rel = related(ctx, comodel, storedValue(def, row[fname]));
      const hit = rel !== undefined && match(rel) === true;
      return op === 'any' ? hit : !hit;
    };
  }
  return x2manyAny(ctx, comodel, fname, op, compileSearch19(ctx, comodel, node, true));
}

/** x2many `in`: any overlap; False in the values flips it to "every linked id is listed". */
function x2many19(
  fname: string,
  op: string,
  value: unknown,
  raise: (m: string, t?: string) => OrmError,
): Pred {
  if (op !== 'in' && op !== 'not in')
    throw raise("Relational field expects 'any' operator", 'AssertionError');
  const values = value as unknown[];
  const ids = new Set(values.filter((v) => v !== false && v !== null));
  const withFalse = ids.size < values.length;
  let exists = op === 'in';
  let hit: (id: number) => boolean = (id) => ids.has(id);
  if (withFalse) {
    // in (False, 1) => not any (id not in {1})
    exists = !exists;
    hit = (id) => !ids.has(id);
  }
  return (row) => linkedIds(row[fname]).some(hit) === exists;
}

function str2bool(s: string): boolean {
  return ['y', 'yes', '1', 'true', 't', 'on'].includes(s);
}

function boolean19(fname: string, op: string, value: unknown, raise: (m: string) => OrmError): Pred {
  if ((op !== 'in' && op !== 'not in') || !Array.isArray(value)) {
    throw raise(
      `Cannot compare ${pyRepr(fname)} to <class '${pyTypeName(value)}'> which is not a collection of length 1`,
    );
  }
  const wanted = new Set(value.map((v) => (typeof v === 'string' ? str2bool(v.toLowerCase()) : pyTruthy(v))));
  if (wanted.size === 2) return constant(op === 'in');
  const matchesTrue = wanted.has(true) === (op === 'in');
  return (row) => (row[fname] === true) === matchesTrue;
}

function toIsoDate(value: unknown): unknown {
  if (value === false || value === null) return false;
  const s = pyStr(value);
  const iso = s.length === 10 ? s : ISO_DATETIME.test(s) ? s.slice(0, 10) : '';
  if (!ISO_DATE.test(iso)) throw new OrmError('ValueError', `Invalid isoformat string: ${pyRepr(s)}`);
  return iso;
}

/** A datetime value as epoch milliseconds (naive UTC: the emulator has no user timezone). */
function parseDatetime19(value: unknown): { ms: number; isDay: boolean } {
  const s = pyStr(value);
  const m = ISO_DATE.exec(s) ?? ISO_DATETIME.exec(s);
  if (!m) throw new OrmError('ValueError', `Invalid isoformat string: ${pyRepr(s)}`);
  const [, y, mo, d, h = '0', mi = '0', sec = '0'] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  return { ms, isDay: s.length === 10 };
}

function formatDatetime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function datetime19(fields: FieldMap, field: string, op: string, value: unknown): Pred {
  const def = fields[field] as FieldDef;
  const cmp = (o: string, ms: number): Pred =>
    scalar19(def, field, o, formatDatetime(ms), () => new OrmError('ValueError', ''));
  if (INEQUALITIES.has(op)) {
    if (value === false) return constant(false);
    const { ms, isDay } = parseDatetime19(value);
    const delta = isDay ? 86_400_000 : 1000;
    // whole days and whole seconds: `> d` means `>= d + 1`, `<= d` means `< d + 1`
    if (op === '>') return cmp('>=', ms + delta);
    if (op === '<=') return cmp('<', ms + delta);
    return cmp(op, ms);
  }
  const values = value as unknown[];
  const parts: Pred[] = values.map((v) => {
    if (v === false || v === null) return (row: Row) => isNull(def, row[field]);
    const { ms } = parseDatetime19(v);
    const lower = cmp('>=', ms);
    const upper = cmp('<', ms + 1000);
    return (row) => lower(row) === true && upper(row) === true;
  });
  const anyPart: Pred = (row) => parts.some((p) => p(row) === true);
  return op === 'in' ? anyPart : (row) => !anyPart(row);
}

/** Field.condition_to_sql for plain columns (19.0): in/not in, inequalities, like. */
function scalar19(
  def: FieldDef,
  fname: string,
  op: string,
  value: unknown,
  raise: (m: string, t?: string) => OrmError,
): Pred {
  // numeric columns treat 0 and NULL alike (falsy_value)
  const numeric = NUMERIC_TYPES.has(def.type) && fname !== 'id';
  const get = (row: Row): unknown => {
    const v = storedValue(def, row[fname]);
    return numeric && (v === false || v === null || v === undefined) ? 0 : v;
  };
  const nul = (v: unknown): boolean => !numeric && isNull(def, v);

  if (op === 'in' || op === 'not in') {
    const values = value as unknown[];
    const params = values
      .filter((v) => v !== false && v !== null)
      .map((v) => (fname === 'id' ? v : toColumn(def, v)));
    let nullIn = params.length < values.length;
    if (numeric) {
      if (params.includes(0)) nullIn = true;
      else if (nullIn) params.push(0);
    }
    const member = (v: unknown): boolean => params.some((p) => sqlEquals(v, p));
    if (op === 'in') {
      return (row) => {
        const v = get(row);
        return nul(v) ? nullIn : member(v);
      };
    }
    return (row) => {
      const v = get(row);
      return nul(v) ? !nullIn : !member(v);
    };
  }
  if (INEQUALITIES.has(op)) {
    const param = fname === 'id' ? value : toColumn(def, value);
    return (row) => {
      const v = get(row);
      return !nul(v) && param !== null && sqlCompare(def.type, op, v, param);
    };
  }
  if (op.endsWith('like')) {
    const positive = lookup(NEGATIVE_19, op) ?? op;
    const wildcard = !positive.includes('=');
    const regex = likeRegExp(wildcard ? `%${pyStr(value)}%` : pyStr(value), positive.endsWith('ilike'));
    const negative = positive !== op;
    return (row) => {
      const v = get(row);
      if (nul(v)) return negative;
      return regex.test(sqlText(v)) !== negative;
    };
  }
  throw raise(`Invalid operator ${pyRepr(op)} for SQL`, 'NotImplementedError');
}
