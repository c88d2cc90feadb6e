// ORDER BY for the emulator, after models.py `_order_to_sql` / `_order_field_to_sql`: the same
// validation (regex_order, unknown fields), PostgreSQL's NULL placement, booleans as
// COALESCE(x, false), and many2one fields ordered by their comodel's `_order`.
import { knownOrder } from './known-models.js';
import { pyRepr, pyTypeName } from './pyrepr.js';
import { type DomainEnv, OrmError, type Row } from './types.js';
import { compareValues, isNull, storedValue, X2MANY_TYPES } from './values.js';

export type RowComparator = (a: Row, b: Row) => number;

/** One comma-separated term of models.regex_order (case-insensitive, single space in "nulls first"). */
const ORDER_TERM =
  /^\s*(?<field>[a-z0-9_]+|"[a-z0-9_]+")(?:\.(?<property>[a-z0-9_]+))?(?::(?<func>[a-z_]+))?(?:\s+(?<direction>desc|asc))?(?:\s+(?<nulls>nulls first|nulls last))?\s*$/i;

interface SortKey {
  get: (row: Row) => unknown;
  type: string;
  desc: boolean;
  nullsFirst: boolean;
}

/** The order Odoo uses when the caller gives none: the model's `_order`, else 'id'. */
export function defaultOrder(env: DomainEnv, model: string): string {
  return knownOrder(env.version, model) ?? 'id';
}

/**
 * Parse and validate an `order` clause for `model` and return a comparator. Ties compare equal:
 * with a stable sort over id-ordered rows they stay in id order, which is what PostgreSQL
 * usually returns for a sequential scan.
 */
export function compileOrder(env: DomainEnv, model: string, order: string | undefined | null): RowComparator {
  const keys: SortKey[] = [];
  const spec = order || defaultOrder(env, model);
  expandOrder(env, model, spec, false, new Set(), (row) => row, keys);
  return (a, b) => {
    for (const key of keys) {
      const va = key.get(a);
      const vb = key.get(b);
      if (va === null && vb === null) continue;
      if (va === null) return key.nullsFirst ? -1 : 1;
      if (vb === null) return key.nullsFirst ? 1 : -1;
      const c = compareValues(key.type, va, vb);
      if (c !== 0) return key.desc ? -c : c;
    }
    return 0;
  };
}

/** Rows sorted by `order` (a new array). */
export function sortRows(env: DomainEnv, model: string, rows: readonly Row[], order?: string | null): Row[] {
  return [...rows].sort(compileOrder(env, model, order));
}

function checkOrder(order: unknown): string[] {
  if (typeof order !== 'string') {
    throw new OrmError('TypeError', `expected string or bytes-like object, got '${pyTypeName(order)}'`);
  }
  const parts = order.split(',');
  if (!parts.every((part) => ORDER_TERM.test(part))) {
    throw new OrmError(
      'odoo.exceptions.UserError',
      `Invalid "order" specified (${order}). A valid "order" specification is a comma-separated list` +
        ' of valid field names (optionally followed by asc/desc for the direction)',
    );
  }
  return parts;
}

/**
 * Append the sort keys of `order` on `model`. `reach` maps a top-level row to the row of
 * `model` the keys read (many2one ordering joins the comodel); `reverse` is set when a DESC
 * many2one delegates to its comodel's order, which flips every direction and NULLS clause.
 */
function expandOrder(
  env: DomainEnv,
  model: string,
  order: string,
  reverse: boolean,
  seen: Set<string>,
  reach: (row: Row) => Row | undefined,
  keys: SortKey[],
): void {
  const fields = env.fields(model);
  if (!fields) throw new OrmError('KeyError', pyRepr(model));
  for (const part of checkOrder(order)) {
    const m = ORDER_TERM.exec(part)?.groups ?? {};
    const fname = m.field ?? '';
    const property = m.property;
    let direction = (m.direction ?? '').toUpperCase();
    let nulls = (m.nulls ?? '').toUpperCase();
    if (reverse) {
      direction = direction === 'DESC' ? 'ASC' : 'DESC';
      if (nulls) nulls = nulls === 'NULLS FIRST' ? 'NULLS LAST' : 'NULLS FIRST';
    }
    const desc = direction === 'DESC';
    const nullsFirst = nulls ? nulls === 'NULLS FIRST' : desc;

    const def = Object.hasOwn(fields, fname)
      ? fields[fname]
      : fname === 'id'
        ? { type: 'integer' }
        : undefined;
    if (!def) throw new OrmError('ValueError', `Invalid field ${pyRepr(fname)} on model ${pyRepr(model)}`);
    if (property && !(def.type === 'many2one' && property === 'id')) {
      throw new OrmError('ValueError', `Invalid field property ${pyRepr(property)} on ${model}.${fname}`);
    }
    if (def.store === false || X2MANY_TYPES.has(def.type)) {
      throw new OrmError('ValueError', `Cannot convert ${model}.${fname} to SQL because it is not stored`);
    }

    if (def.type === 'many2one' && def.relation) {
      const comodel = def.relation;
      const key = `${model}.${fname}`;
      if (seen.has(key)) continue; // a cycle through many2one orders: Odoo drops the term
      const idOf = (row: Row): number | null => {
        const target = reach(row);
        const v = target ? storedValue(def, target[fname]) : false;
        return typeof v === 'number' ? v : null;
      };
      const coorder = property === 'id' ? 'id' : knownOrder(env.version, comodel);
      if (coorder === 'id' || !env.fields(comodel)) {
        keys.push({ get: idOf, type: 'integer', desc, nullsFirst });
        continue;
      }
      if (coorder === undefined) {
        // the comodel's _order is unknown here: approximate it with the display name
        keys.push({
          get: (row) => {
            const id = idOf(row);
            return id === null ? null : env.displayName(comodel, id);
          },
          type: 'char',
          desc,
          nullsFirst,
        });
        continue;
      }
      // explicit NULLS on a many2one become a leading "IS [NOT] NULL" term
      if (nulls === 'NULLS FIRST')
        keys.push({ get: (row) => idOf(row) !== null, type: 'boolean', desc: false, nullsFirst: false });
      if (nulls === 'NULLS LAST')
        keys.push({ get: (row) => idOf(row) === null, type: 'boolean', desc: false, nullsFirst: false });
      const joined = (row: Row): Row | undefined => {
        const id = idOf(row);
        return id === null ? undefined : env.row(comodel, id);
      };
      expandOrder(env, comodel, coorder, desc, new Set([...seen, key]), joined, keys);
      continue;
    }

    const get =
      def.type === 'boolean'
        ? (row: Row) => reach(row)?.[fname] === true
        : (row: Row) => {
            const target = reach(row);
            if (!target) return null;
            const v = storedValue(def, target[fname]);
            return isNull(def, v) ? null : v;
          };
    keys.push({ get, type: def.type, desc, nullsFirst });
  }
}
