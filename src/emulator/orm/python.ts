// Python-flavoured text: Odoo's error messages embed repr() of values and CPython's own wording for
// bad calls, so the emulator must spell them the same way to be a faithful test double.
import { OdooException } from './api.js';
import { pyRepr, pyTuple, pyTypeName } from './pyrepr.js';

export { pyRepr, pyTuple, pyTypeName };

/** A recordset's repr, as in MissingError texts: res.partner(999999,) or res.partner(1, 2). */
export function recordsetRepr(model: string, ids: readonly unknown[]): string {
  return `${model}${pyRepr(pyTuple(...ids))}`;
}

/** Python's "'a', 'b', and 'c'" list of names used by "missing N required ... arguments". */
export function pyNameList(names: readonly string[]): string {
  const quoted = names.map((n) => `'${n}'`);
  if (quoted.length <= 1) return quoted.join('');
  if (quoted.length === 2) return `${quoted[0]} and ${quoted[1]}`;
  return `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}`;
}

/** Python's int() of a value, raising the same TypeError/ValueError text. */
export function pyInt(value: unknown): number {
  if (value === true) return 1;
  if (value === false || value === null || value === undefined) return 0;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new OdooException('builtins.OverflowError', 'cannot convert float infinity to integer');
    return Math.trunc(value);
  }
  if (typeof value === 'string') {
    const t = value.trim().replace(/_/g, '');
    if (/^[+-]?\d+$/.test(t)) return Number.parseInt(t, 10);
    throw new OdooException(
      'builtins.ValueError',
      `invalid literal for int() with base 10: ${pyRepr(value)}`,
    );
  }
  throw new OdooException(
    'builtins.TypeError',
    `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(value)}'`,
  );
}

/** Python's float() of a value. */
export function pyFloat(value: unknown): number {
  if (value === true) return 1;
  if (value === false || value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const t = value.trim();
    if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number.parseFloat(t);
    throw new OdooException('builtins.ValueError', `could not convert string to float: ${pyRepr(value)}`);
  }
  throw new OdooException(
    'builtins.TypeError',
    `float() argument must be a string or a real number, not '${pyTypeName(value)}'`,
  );
}
