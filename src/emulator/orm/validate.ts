// Value conversion for create/write, the x2many command forms Odoo accepts on the wire, record ids
// as clients send them, and the database errors Odoo lets through when a value does not fit.
import { OdooException } from './api.js';
import { pyFloat, pyInt, pyRepr } from './python.js';
import { type FieldDef, majorOf, type OdooVersion } from './types.js';

/** Odoo's x2many command codes (odoo.fields.Command). */
export const Command = { CREATE: 0, UPDATE: 1, DELETE: 2, UNLINK: 3, LINK: 4, CLEAR: 5, SET: 6 } as const;

export type X2manyCommand =
  | { op: 0; values: Record<string, unknown> }
  | { op: 1; id: number; values: Record<string, unknown> }
  | { op: 2 | 3 | 4; id: number }
  | { op: 5 }
  | { op: 6; ids: number[] };

export function tableName(model: string): string {
  return model.replace(/\./g, '_');
}

/**
 * libpq's LINE/caret context of an error position: the line cut to 60 columns around the cursor,
 * keeping 10 columns right of it, as psycopg2 puts it in the message Odoo forwards.
 */
function positionContext(query: string, loc: number): string {
  const DISPLAY = 60;
  const RIGHT = 10;
  let begin = 0;
  let end = query.length;
  let cutLeft = false;
  let cutRight = false;
  if (end - begin > DISPLAY) {
    if (begin + DISPLAY >= loc + RIGHT) {
      end = begin + DISPLAY;
      cutRight = true;
    } else {
      if (loc + RIGHT < end) {
        end = loc + RIGHT;
        cutRight = true;
      }
      if (end - begin > DISPLAY) {
        begin = end - DISPLAY;
        cutLeft = true;
      }
    }
  }
  const prefix = `LINE 1: ${cutLeft ? '...' : ''}`;
  const line = `${prefix}${query.slice(begin, end)}${cutRight ? '...' : ''}`;
  return `${line}\n${' '.repeat(prefix.length + loc - begin)}^\n`;
}

function sqlLiteral(value: unknown): string {
  return typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`;
}

/**
 * res.partner's record rules for internal users up to 16.0 (private addresses: hidden from
 * employees, shown to base.group_private_addresses, which the administrator has), as the
 * read query put them before its id condition. Only their last characters reach the message.
 */
function legacyPartnerRule(t: string): string {
  return `(((("${t}"."type" != 'private') OR "${t}"."type" IS NULL) OR ("${t}"."type" = 'private'))) AND `;
}

/** psycopg2's InvalidTextRepresentation for ids that are not integers, with the SELECT Odoo ran. */
export function invalidIdsError(
  version: OdooVersion,
  model: string,
  ids: readonly unknown[],
  bad: number,
): OdooException {
  const t = tableName(model);
  const literals = ids.map(sqlLiteral);
  const major = majorOf(version);
  let before: string;
  let after: string;
  if (major <= 16) {
    // _read's query: the record rules first, then the ids (unqualified "id", no parentheses).
    const rule = model === 'res.partner' ? legacyPartnerRule(t) : '';
    before = `SELECT "${t}".id FROM "${t}" WHERE ${rule}"${t}".id IN (`;
    after = ')';
  } else if (major <= 18) {
    before = `SELECT "${t}"."id" FROM "${t}" WHERE ("${t}"."id" IN (`;
    after = '))';
  } else {
    before = `SELECT "${t}"."id" FROM "${t}" WHERE "${t}"."id" IN (`;
    after = ')';
  }
  const loc = before.length + literals.slice(0, bad).reduce((n, lit) => n + lit.length + 2, 0);
  const query = `${before}${literals.join(', ')}${after}`;
  const message = `invalid input syntax for type integer: "${String(ids[bad])}"\n${positionContext(query, loc)}`;
  return new OdooException('psycopg2.errors.InvalidTextRepresentation', message);
}

/**
 * Record ids as a client sent them: an int, a list, or anything Python's browse() would iterate
 * (a string becomes its characters, which then fail in SQL exactly as on a real server).
 */
export function normalizeIds(version: OdooVersion, model: string, value: unknown): number[] {
  if (value === false || value === null || value === undefined) return [];
  if (typeof value === 'number') return [Math.trunc(value)];
  let items: unknown[];
  // 15.0's browse() took a str as one id (it failed in SQL whole); 16.0 iterates it.
  if (typeof value === 'string') items = majorOf(version) <= 15 ? [value] : [...value];
  else if (Array.isArray(value)) items = value;
  else
    throw new OdooException(
      'builtins.TypeError',
      `'${typeof value === 'object' ? 'dict' : typeof value}' object is not iterable`,
    );
  const ids: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item === 'number' && Number.isFinite(item)) ids.push(Math.round(item));
    else if (typeof item === 'string' && /^\s*[+-]?\d+\s*$/.test(item)) ids.push(Number.parseInt(item, 10));
    else if (item === false || item === null) continue;
    else throw invalidIdsError(version, model, items, i);
  }
  return ids;
}

const DATETIME_FORMAT = '%Y-%m-%d %H:%M:%S';

function strptimeError(value: string, format: string): OdooException {
  return new OdooException(
    'builtins.ValueError',
    `time data ${pyRepr(value)} does not match format '${format}'`,
  );
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

export function toDate(value: unknown): string | false {
  if (value === false || value === null || value === undefined || value === '') return false;
  if (typeof value !== 'string') throw strptimeError(String(value), '%Y-%m-%d');
  const head = value.slice(0, 10);
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(head);
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw strptimeError(head, '%Y-%m-%d');
  return `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}`;
}

export function toDatetime(value: unknown): string | false {
  if (value === false || value === null || value === undefined || value === '') return false;
  if (typeof value !== 'string') throw strptimeError(String(value), DATETIME_FORMAT);
  // Odoo parses with DATETIME_FORMAT cut to the value's length, so dates and minutes also pass.
  const format = DATETIME_FORMAT.slice(0, Math.max(0, value.length - 2));
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?: (\d{1,2})(?::(\d{1,2})(?::(\d{1,2}))?)?)?$/.exec(value);
  if (!m) throw strptimeError(value, format);
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  const needed = format.split('%').length - 1;
  const given = m.slice(1).filter((part) => part !== undefined).length;
  if (
    needed !== given ||
    !validDate(Number(y), Number(mo), Number(d)) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    throw strptimeError(value, format);
  }
  const p = (x: string) => x.padStart(2, '0');
  return `${y}-${p(mo ?? '')}-${p(d ?? '')} ${p(h)}:${p(mi)}:${p(s)}`;
}

function pyStrOf(value: unknown): string {
  if (value === true) return 'True';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === 'string') return value;
  return pyRepr(value);
}

/**
 * Convert a scalar (non-x2many) value for storage as Odoo's convert_to_cache/convert_to_column
 * would, raising the same errors for values that do not fit.
 */
export function convertScalar(
  version: OdooVersion,
  model: string,
  name: string,
  def: FieldDef,
  value: unknown,
): unknown {
  switch (def.type) {
    case 'boolean':
      return pyTruthy(value);
    case 'integer':
      return pyInt(value);
    case 'float':
    case 'monetary':
      return pyFloat(value);
    case 'char':
    case 'text':
    case 'html':
      if (value === false || value === null || value === undefined) return false;
      return pyStrOf(value);
    case 'selection': {
      if (value === false || value === null || value === undefined || value === '') return false;
      const keys = (def.selection ?? []).map(([key]) => key);
      // Dynamic selections (callable in Python) come without a static list: accept any key.
      if (keys.length && !keys.includes(value as string)) {
        throw new OdooException('builtins.ValueError', `Wrong value for ${model}.${name}: ${pyRepr(value)}`);
      }
      return value;
    }
    case 'date':
      return toDate(value);
    case 'datetime':
      return toDatetime(value);
    case 'many2one':
    case 'many2one_reference':
      return toMany2one(version, model, name, value);
    case 'reference':
      if (value === false || value === null || value === undefined) return false;
      return String(value);
    default:
      return value === undefined || value === null ? false : value;
  }
}

function pyTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

function toMany2one(version: OdooVersion, model: string, name: string, value: unknown): number | false {
  if (value === false || value === null || value === undefined || value === 0) return false;
  if (typeof value === 'number') return Math.round(value);
  const t = tableName(model);
  if (typeof value === 'string') {
    if (/^\s*[+-]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
    const query = `UPDATE "${t}" SET "${name}" = ${sqlLiteral(value)}`;
    return fail(
      'psycopg2.errors.InvalidTextRepresentation',
      `invalid input syntax for type integer: "${value}"\n${positionContext(query, query.length - sqlLiteral(value).length)}`,
    );
  }
  const kind = Array.isArray(value) ? 'integer[]' : typeof value === 'boolean' ? 'boolean' : 'jsonb';
  void version;
  return fail(
    'psycopg2.errors.DatatypeMismatch',
    `column "${name}" is of type integer but expression is of type ${kind}\n` +
      'HINT:  You will need to rewrite or cast the expression.\n',
  );
}

function fail(pyType: string, message: string): never {
  throw new OdooException(pyType, message);
}

/**
 * Normalise an x2many value into commands the way Odoo's write_batch does: False/None clears, a
 * list of plain ids sets, a list of command triples is taken as is.
 */
export function normalizeX2many(model: string, name: string, value: unknown): X2manyCommand[] {
  if (value === false || value === null || value === undefined) return [{ op: 5 }];
  if (!Array.isArray(value)) {
    throw new OdooException('builtins.ValueError', `Wrong value for ${model}.${name}: ${pyRepr(value)}`);
  }
  if (value.length && !Array.isArray(value[0])) {
    return [{ op: 6, ids: value.map((id) => pyInt(id)) }];
  }
  const commands: X2manyCommand[] = [];
  for (const raw of value) {
    if (!Array.isArray(raw)) {
      throw new OdooException(
        'builtins.TypeError',
        `'${typeof raw === 'number' ? 'int' : typeof raw}' object is not subscriptable`,
      );
    }
    const [op, a, b] = raw as [unknown, unknown, unknown];
    switch (op) {
      case Command.CREATE:
        commands.push({ op: 0, values: asVals(b) });
        break;
      case Command.UPDATE:
        commands.push({ op: 1, id: pyInt(a), values: asVals(b) });
        break;
      case Command.DELETE:
      case Command.UNLINK:
      case Command.LINK:
        commands.push({ op, id: pyInt(a) });
        break;
      case Command.CLEAR:
        commands.push({ op: 5 });
        break;
      case Command.SET:
        commands.push({ op: 6, ids: Array.isArray(b) ? b.map((id) => pyInt(id)) : b ? [pyInt(b)] : [] });
        break;
      default:
        // Odoo ignores unknown command codes.
        break;
    }
  }
  return commands;
}

function asVals(value: unknown): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return value as Record<string, unknown>;
  if (value === false || value === null || value === undefined) return {};
  throw new OdooException(
    'builtins.AttributeError',
    `'${Array.isArray(value) ? 'list' : typeof value}' object has no attribute 'items'`,
  );
}

/** The ValidationError Odoo makes of a NOT NULL violation (15 to 18) or its own required check (19). */
export function requiredError(
  version: OdooVersion,
  model: string,
  description: string,
  name: string,
  def: FieldDef,
): OdooException {
  const label = def.string ?? name;
  if (version === '19.0') {
    return new OdooException(
      'odoo.exceptions.ValidationError',
      `Missing required value for the field '${label}' (${name})`,
    );
  }
  return new OdooException(
    'odoo.exceptions.ValidationError',
    'The operation cannot be completed:\n' +
      '- Create/update: a mandatory field is not set.\n' +
      '- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n' +
      `Model: ${description} (${model})\n` +
      `Field: ${label} (${name})\n`,
  );
}

/** The ValidationError Odoo makes of a foreign key violation. */
export function foreignKeyError(model: string, description: string, constraint: string): OdooException {
  return new OdooException(
    'odoo.exceptions.ValidationError',
    'The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\n' +
      `Model: ${description} (${model})\n` +
      `Constraint: ${constraint}\n`,
  );
}
