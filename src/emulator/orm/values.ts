// Value semantics shared by the domain engine and the ordering code: what counts as SQL NULL in
// a read()-encoded row, how PostgreSQL compares and casts values, and LIKE patterns.
import type { FieldDef } from './types.js';

export const NUMERIC_TYPES = new Set(['integer', 'float', 'monetary']);
export const X2MANY_TYPES = new Set(['one2many', 'many2many']);
export const RELATIONAL_TYPES = new Set(['many2one', 'one2many', 'many2many']);

/**
 * PostgreSQL databases created by Odoo use the en_US.UTF-8 collation: case and punctuation
 * matter less than letters. Intl's en-US collator is the closest match; code points break ties
 * as glibc does.
 */
const collator = new Intl.Collator('en-US');

export function compareText(a: string, b: string): number {
  const c = collator.compare(a, b);
  if (c !== 0) return c;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether a row value is SQL NULL. read() gives false for NULL; booleans are never NULL here. */
export function isNull(def: FieldDef, value: unknown): boolean {
  if (def.type === 'boolean') return false;
  if (X2MANY_TYPES.has(def.type)) return false;
  return value === false || value === null || value === undefined;
}

/** A row value reduced to what SQL compares: many2one [id, name] pairs become the id. */
export function storedValue(def: FieldDef, value: unknown): unknown {
  if (def.type === 'many2one' && Array.isArray(value)) return value[0] ?? false;
  if (def.type === 'boolean') return value === true;
  return value;
}

/** The ids of an x2many row value. */
export function linkedIds(value: unknown): number[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is number => typeof v === 'number');
}

/** Compare two non-NULL column values of the same field, as PostgreSQL orders them. */
export function compareValues(type: string, a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'string') {
    // dates and datetimes are ISO strings: code point order is chronological order
    if (type === 'date' || type === 'datetime') return a < b ? -1 : a > b ? 1 : 0;
    return compareText(a, b);
  }
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** `value::text` in PostgreSQL, for LIKE on non-text columns. */
export function sqlText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/**
 * A SQL LIKE pattern as a RegExp: `%` any run, `_` one character, backslash escapes (the
 * PostgreSQL default escape character). ILIKE lower-cases both sides.
 */
export function likeRegExp(pattern: string, insensitive: boolean): RegExp {
  let source = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i += 1) {
    const ch = chars[i] as string;
    if (ch === '\\' && i + 1 < chars.length) {
      i += 1;
      source += escapeRegExp(chars[i] as string);
    } else if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += escapeRegExp(ch);
  }
  return new RegExp(`^${source}$`, insensitive ? 'isu' : 'su');
}

function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}
