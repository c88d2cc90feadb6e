// What to do when a write was sent and its answer lost. Sending it again could apply it twice, so
// the server never does, and it looks instead: for a create, the records this Odoo user created
// since the call left, matched against the values; for a delete, whether the ids still exist; for
// a method call, what changed or appeared since. What it finds (or that it could not look) becomes
// a WriteOutcomeError the tools turn into words, or, when the records are found, a normal result.
import type { Context, OdooClient } from '../odoo/client.js';
import type { OutcomeUnknownError } from '../odoo/errors.js';
import type { FieldMeta, FieldsMeta, OdooRecord } from '../odoo/values.js';

export type WriteOperation = 'create' | 'write' | 'unlink' | 'call';

export interface NamedRecord {
  id: number;
  name: string;
}

export interface OutcomeCheck {
  /** Odoo's time (UTC, 'YYYY-MM-DD HH:MM:SS') from which a record made by the call would date. */
  since: string;
  /** Records this Odoo user created since then. */
  window: unknown[];
  /** `window` narrowed to what this call would have created: the domain the model is told to run. */
  domain: unknown[];
}

/** A write whose outcome is not known, with what was found while looking. */
export class WriteOutcomeError extends Error {
  constructor(
    readonly operation: WriteOperation,
    readonly model: string,
    readonly method: string,
    readonly failure: OutcomeUnknownError,
    readonly check: OutcomeCheck,
    readonly finding: {
      /** Whether the server could look at all (Odoo answered the checks). */
      looked: boolean;
      /** Repeating the same call cannot apply anything twice. */
      idempotent: boolean;
      /** The ids the call was given (write, unlink, call). */
      ids?: number[];
      /** Records that may be what the call created: several match the values, or none can be compared. */
      candidates?: NamedRecord[];
      /** Of the given ids, those changed since the call left (call) or still there (unlink). */
      touched?: number[];
    },
  ) {
    super(`${model}.${method}: ${failure.message}`);
    this.name = 'WriteOutcomeError';
  }
}

// Odoo's create_date is the transaction's start, so never before the request left; the margin
// covers the Date header's whole seconds, or, without one, clocks that may differ.
const MARGIN_KNOWN_CLOCK_MS = 2_000;
const MARGIN_UNKNOWN_CLOCK_MS = 10 * 60_000;
/** How many recent records of this user are compared with the values. */
const CANDIDATE_LIMIT = 50;

function odooTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** `narrow` adds leaves that make the domain find only what this call would have made. */
export function outcomeCheck(failure: OutcomeUnknownError, narrow: unknown[] = []): OutcomeCheck {
  const base =
    failure.sentAt.odoo === undefined
      ? failure.sentAt.local - MARGIN_UNKNOWN_CLOCK_MS
      : failure.sentAt.odoo - MARGIN_KNOWN_CLOCK_MS;
  const since = odooTimestamp(Math.floor(base / 1000) * 1000);
  const window = [
    ['create_uid', '=', failure.uid],
    ['create_date', '>=', since],
  ];
  return { since, window, domain: [...window, ...narrow] };
}

/**
 * A leaf on the record name the create sent, so the domain the model is told to run finds that
 * record and not others this user made in the same seconds. Names are stored as sent.
 */
export function nameLeaf(values: Record<string, unknown>[], fields: FieldsMeta): unknown[] {
  if (fields.name?.type !== 'char') return [];
  const names = values.map((v) => v.name);
  if (!names.every((n): n is string => typeof n === 'string' && n.length > 0)) return [];
  const unique = [...new Set(names)];
  return [unique.length === 1 ? ['name', '=', unique[0]] : ['name', 'in', unique]];
}

function named(rows: OdooRecord[]): NamedRecord[] {
  return rows.map((r) => ({
    id: r.id as number,
    name: typeof r.display_name === 'string' ? r.display_name : '',
  }));
}

/** Field types whose value Odoo stores as given, so a record can be recognised by them. */
const COMPARABLE = new Set([
  'char',
  'text',
  'selection',
  'integer',
  'boolean',
  'many2one',
  'date',
  'float',
  'monetary',
]);

function comparableFields(values: Record<string, unknown>, fields: FieldsMeta): string[] {
  return Object.keys(values).filter((name) => {
    const meta: FieldMeta | undefined = fields[name];
    const v = values[name];
    return !!meta && COMPARABLE.has(meta.type) && meta.store !== false && v !== null && typeof v !== 'object';
  });
}

// Odoo or its modules may reformat what they store (phone numbers, stripped spaces, case of a
// code), so text compares on letters and digits only.
function same(type: string, sent: unknown, stored: unknown): boolean {
  if (type === 'many2one') return (Array.isArray(stored) ? stored[0] : stored) === sent;
  if (type === 'boolean') return (stored === true) === (sent === true);
  if (type === 'float' || type === 'monetary' || type === 'integer') {
    return (
      typeof stored === 'number' &&
      typeof sent === 'number' &&
      Math.abs(stored - sent) < 1e-6 * Math.max(1, Math.abs(sent))
    );
  }
  if (typeof sent === 'string' && typeof stored === 'string') {
    const norm = (s: string) =>
      s
        .normalize('NFKC')
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, '');
    return norm(sent) === norm(stored);
  }
  return false;
}

/**
 * After a create's answer was lost: the records it made, in the order of `values`, when each set
 * of values matches exactly one record this user created since. No match for any of them means
 * the create did not run; otherwise the candidates are for the model to look at.
 */
export async function findCreated(
  client: OdooClient,
  model: string,
  values: Record<string, unknown>[],
  fields: FieldsMeta,
  since: OutcomeCheck,
  context: Context | undefined,
  signal?: AbortSignal,
): Promise<{ ids?: number[]; candidates: NamedRecord[] }> {
  const compared = [...new Set(values.flatMap((v) => comparableFields(v, fields)))];
  const rows = (await client.execute(
    model,
    'search_read',
    {
      // Without the name leaf: a loose comparison still recognises a name Odoo reformatted.
      kwargs: {
        domain: since.window,
        fields: ['display_name', ...compared],
        order: 'id',
        limit: CANDIDATE_LIMIT,
      },
      context: { ...context, active_test: false },
    },
    { signal },
  )) as OdooRecord[];
  if (compared.length === 0) {
    // Nothing to recognise a record by: found only when exactly as many records appeared.
    return rows.length === values.length
      ? { ids: rows.map((r) => r.id as number), candidates: [] }
      : { candidates: named(rows) };
  }
  const taken = new Set<number>();
  const ids: number[] = [];
  const ambiguous: OdooRecord[] = [];
  let unmatched = 0;
  for (const v of values) {
    const names = comparableFields(v, fields);
    const matches = rows.filter(
      (r) => !taken.has(r.id as number) && names.every((n) => same(fields[n]?.type ?? '', v[n], r[n])),
    );
    if (matches.length === 0) unmatched++;
    else if (matches.length > 1) ambiguous.push(...matches);
    else {
      const id = matches[0]?.id as number;
      taken.add(id);
      ids.push(id);
    }
  }
  if (unmatched === 0 && ambiguous.length === 0) return { ids, candidates: [] };
  // One create is one transaction: some found and some not means the matching is unsure.
  if (unmatched === values.length) return { candidates: [] };
  const seen = new Set([...ambiguous.map((r) => r.id as number), ...taken]);
  return { candidates: named(rows.filter((r) => seen.has(r.id as number))) };
}

/** Of `ids`, those that still exist (archived ones included). */
export async function stillThere(
  client: OdooClient,
  model: string,
  ids: number[],
  context: Context | undefined,
  signal?: AbortSignal,
): Promise<number[]> {
  return (await client.execute(
    model,
    'search',
    { args: [[['id', 'in', ids]]], context: { ...context, active_test: false } },
    { signal },
  )) as number[];
}

/** Of `ids`, those written since `since`; and records this user created since. */
export async function changedSince(
  client: OdooClient,
  model: string,
  ids: number[] | undefined,
  check: OutcomeCheck,
  context: Context | undefined,
  signal?: AbortSignal,
): Promise<{ touched: number[]; created: NamedRecord[] }> {
  const ctx = { ...context, active_test: false };
  const touched = ids?.length
    ? ((await client.execute(
        model,
        'search',
        {
          args: [
            [
              ['id', 'in', ids],
              ['write_date', '>=', check.since],
            ],
          ],
          context: ctx,
        },
        { signal },
      )) as number[])
    : [];
  const created = (await client.execute(
    model,
    'search_read',
    {
      kwargs: { domain: check.domain, fields: ['display_name'], limit: CANDIDATE_LIMIT, order: 'id desc' },
      context: ctx,
    },
    { signal },
  )) as OdooRecord[];
  return { touched, created: named(created) };
}

/** Whether writing these values twice leaves the same records as writing them once. */
export function idempotentWrite(values: Record<string, unknown>, fields: FieldsMeta): boolean {
  for (const [name, v] of Object.entries(values)) {
    const type = fields[name]?.type;
    if (type !== 'one2many' && type !== 'many2many') continue;
    if (!Array.isArray(v)) continue;
    // Links by id and replacing commands (4, 3, 5, 6) repeat harmlessly; new lines (0, or objects) do not.
    for (const item of v) {
      if (item !== null && typeof item === 'object' && !Array.isArray(item)) return false;
      if (Array.isArray(item) && item[0] === 0) return false;
    }
  }
  return true;
}
