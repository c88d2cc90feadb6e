// Grouping: read_group (15-19, lazy, 'field:agg' specs, date granularities, __domain, __fold for
// group_expand fields) and formatted_read_group (19: aggregates named by their spec, __extra_domain).
import { checkModelAccess } from '../access.js';
import { OdooException } from '../api.js';
import type { Env } from '../env.js';
import { fieldsOf, invalidField } from '../env.js';
import { pyRepr } from '../python.js';
import { type FieldDef, majorOf, type Row } from '../types.js';
import { compareText } from '../values.js';
import { engineView } from '../view.js';
import { andDomains, comparator, searchRecords } from './read.js';

const GRANULARITIES = ['day', 'week', 'month', 'quarter', 'year'] as const;
type Granularity = (typeof GRANULARITIES)[number];
const AGGREGATES = new Set([
  'sum',
  'avg',
  'max',
  'min',
  'count',
  'count_distinct',
  'bool_and',
  'bool_or',
  'array_agg',
]);

interface GroupSpec {
  /** The spec as given ('date_order:week'), the key of the value in read_group's result. */
  key: string;
  field: string;
  def: FieldDef;
  granularity?: Granularity;
}

interface AggSpec {
  key: string;
  field?: string;
  func: string;
}

interface Bucket {
  /** Raw group values per groupby spec: id, selection key, date bucket start... or false. */
  values: unknown[];
  rows: Row[];
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function parseGroupSpec(env: Env, model: string, spec: unknown): GroupSpec {
  if (typeof spec !== 'string')
    throw new OdooException('builtins.ValueError', `Invalid groupby specification ${pyRepr(spec)}`);
  const [field = '', gran] = spec.split(':');
  // Inherited fields (a variant's categ_id...) group as the stored parent column.
  const fields = engineView(env.store).fields(model) ?? fieldsOf(env, model);
  const def = Object.hasOwn(fields, field) ? fields[field] : undefined;
  if (!def) throw invalidField(model, field);
  if (def.type === 'date' || def.type === 'datetime') {
    const granularity = (gran ?? 'month') as Granularity;
    if (!GRANULARITIES.includes(granularity)) {
      throw new OdooException(
        'builtins.ValueError',
        `Invalid granularity ${pyRepr(gran)} on field ${pyRepr(field)}`,
      );
    }
    return { key: spec, field, def, granularity };
  }
  if (gran !== undefined)
    throw new OdooException('builtins.ValueError', `Invalid groupby specification ${pyRepr(spec)}`);
  if (def.store === false || def.type === 'one2many' || def.type === 'binary') {
    throw new OdooException(
      'builtins.ValueError',
      `Field ${pyRepr(field)} of model ${pyRepr(model)} is not groupable`,
    );
  }
  return { key: spec, field, def };
}

function parseAggregate(env: Env, model: string, key: string, field: string, func: string): AggSpec {
  if (!AGGREGATES.has(func))
    throw new OdooException('builtins.ValueError', `Invalid aggregation function ${pyRepr(func)}.`);
  const fields = fieldsOf(env, model);
  if (field !== 'id' && !Object.hasOwn(fields, field)) throw invalidField(model, field);
  return { key, field, func };
}

// -- dates ----------------------------------------------------------------------------------------

interface Civil {
  y: number;
  m: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

function parseCivil(value: string): Civil {
  const [date = '', time = '00:00:00'] = value.split(' ');
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const [h = 0, mi = 0, s = 0] = time.split(':').map(Number);
  return { y, m, d, h, mi, s };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function fmtDate(c: Civil): string {
  return `${pad(c.y, 4)}-${pad(c.m)}-${pad(c.d)}`;
}

function fmtDatetime(c: Civil): string {
  return `${fmtDate(c)} ${pad(c.h)}:${pad(c.mi)}:${pad(c.s)}`;
}

function toUtcMs(c: Civil): number {
  return Date.UTC(c.y, c.m - 1, c.d, c.h, c.mi, c.s);
}

function fromUtcMs(ms: number): Civil {
  const d = new Date(ms);
  return {
    y: d.getUTCFullYear(),
    m: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
  };
}

/** Offset of `tz` from UTC at an instant, in ms (local = utc + offset). */
function tzOffsetMs(tz: string, utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return local - Math.floor(utcMs / 1000) * 1000;
}

function validTz(tz: unknown): tz is string {
  if (typeof tz !== 'string' || !tz) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** date_trunc(granularity, value) on a civil date-time. */
function truncate(c: Civil, g: Granularity): Civil {
  switch (g) {
    case 'day':
      return { ...c, h: 0, mi: 0, s: 0 };
    case 'week': {
      const ms = Date.UTC(c.y, c.m - 1, c.d);
      const dow = (new Date(ms).getUTCDay() + 6) % 7; // Monday = 0, as PostgreSQL's ISO weeks
      return { ...fromUtcMs(ms - dow * 86_400_000), h: 0, mi: 0, s: 0 };
    }
    case 'month':
      return { y: c.y, m: c.m, d: 1, h: 0, mi: 0, s: 0 };
    case 'quarter':
      return { y: c.y, m: Math.floor((c.m - 1) / 3) * 3 + 1, d: 1, h: 0, mi: 0, s: 0 };
    case 'year':
      return { y: c.y, m: 1, d: 1, h: 0, mi: 0, s: 0 };
  }
}

function addInterval(c: Civil, g: Granularity): Civil {
  switch (g) {
    case 'day':
      return fromUtcMs(toUtcMs(c) + 86_400_000);
    case 'week':
      return fromUtcMs(toUtcMs(c) + 7 * 86_400_000);
    case 'month':
      return fromUtcMs(Date.UTC(c.y, c.m, 1));
    case 'quarter':
      return fromUtcMs(Date.UTC(c.y, c.m + 2, 1));
    case 'year':
      return fromUtcMs(Date.UTC(c.y + 1, 0, 1));
  }
}

/** babel's en_US week-of-year ('w', weeks from Sunday, first week holds Jan 1) and its year ('YYYY'). */
function enUsWeek(c: Civil): [number, number] {
  const ms = Date.UTC(c.y, c.m - 1, c.d);
  const sunday = ms - new Date(ms).getUTCDay() * 86_400_000;
  const saturdayYear = new Date(sunday + 6 * 86_400_000).getUTCFullYear();
  const year = saturdayYear;
  const jan1 = Date.UTC(year, 0, 1);
  const firstSunday = jan1 - new Date(jan1).getUTCDay() * 86_400_000;
  return [Math.floor((sunday - firstSunday) / (7 * 86_400_000)) + 1, year];
}

/** The label babel formats with Odoo's DISPLAY_DATE_FORMATS (en_US). */
function dateLabel(c: Civil, g: Granularity): string {
  switch (g) {
    case 'day':
      return `${pad(c.d)} ${MONTHS[c.m - 1]?.slice(0, 3)} ${c.y}`;
    case 'week': {
      const [week, year] = enUsWeek(c);
      return `W${week} ${year}`;
    }
    case 'month':
      return `${MONTHS[c.m - 1]} ${c.y}`;
    case 'quarter':
      return `Q${Math.floor((c.m - 1) / 3) + 1} ${c.y}`;
    case 'year':
      return String(c.y);
  }
}

/** The bucket a date/datetime value falls in: its truncated local start, as a sortable key. */
function bucketOf(env: Env, spec: GroupSpec, value: unknown): unknown {
  if (typeof value !== 'string' || !value || !spec.granularity) return false;
  const tz = env.context.tz;
  let civil = parseCivil(value);
  if (spec.def.type === 'datetime' && validTz(tz)) {
    const utc = toUtcMs(civil);
    civil = fromUtcMs(utc + tzOffsetMs(tz, utc));
  }
  const start = truncate(civil, spec.granularity);
  return spec.def.type === 'date' ? fmtDate(start) : fmtDatetime(start);
}

interface DateRange {
  from: string;
  to: string;
  label: string;
}

function bucketRange(env: Env, spec: GroupSpec, bucket: string): DateRange {
  const g = spec.granularity ?? 'month';
  const start = parseCivil(bucket);
  const end = addInterval(start, g);
  if (spec.def.type === 'date') return { from: fmtDate(start), to: fmtDate(end), label: dateLabel(start, g) };
  const tz = env.context.tz;
  const toUtc = (c: Civil) => {
    if (!validTz(tz)) return c;
    const guess = toUtcMs(c);
    const first = guess - tzOffsetMs(tz, guess);
    return fromUtcMs(guess - tzOffsetMs(tz, first));
  };
  return { from: fmtDatetime(toUtc(start)), to: fmtDatetime(toUtc(end)), label: dateLabel(start, g) };
}

// -- grouping -------------------------------------------------------------------------------------

function groupRows(env: Env, specs: GroupSpec[], rows: Row[]): Bucket[] {
  const buckets = new Map<string, Bucket>();
  for (const row of rows) {
    let combos: unknown[][] = [[]];
    for (const spec of specs) {
      const raw = row[spec.field];
      let values: unknown[];
      if (spec.def.type === 'many2many') {
        const ids = Array.isArray(raw) ? raw.filter((v) => typeof v === 'number') : [];
        values = ids.length ? ids : [false];
      } else if (spec.granularity) {
        values = [bucketOf(env, spec, raw)];
      } else if (spec.def.type === 'boolean') {
        values = [raw === true];
      } else {
        values = [raw === undefined || raw === null || raw === '' ? false : raw];
      }
      combos = combos.flatMap((combo) => values.map((v) => [...combo, v]));
    }
    for (const combo of combos) {
      const key = JSON.stringify(combo);
      let bucket = buckets.get(key);
      if (!bucket) {
        bucket = { values: combo, rows: [] };
        buckets.set(key, bucket);
      }
      bucket.rows.push(row);
    }
  }
  return [...buckets.values()];
}

function round(value: number): number {
  return Number.parseFloat(value.toFixed(10));
}

function aggregate(env: Env, model: string, agg: AggSpec, rows: Row[]): unknown {
  if (agg.func === 'count' && (!agg.field || agg.field === 'id')) return rows.length;
  const fields = fieldsOf(env, model);
  const def = agg.field ? fields[agg.field] : undefined;
  const values = rows
    .map((row) => (agg.field === 'id' ? row.id : agg.field ? row[agg.field] : undefined))
    .filter((v) => v !== undefined && v !== null && (v !== false || def?.type === 'boolean'));
  switch (agg.func) {
    case 'count':
      return values.length;
    case 'count_distinct':
      return new Set(values.map((v) => JSON.stringify(v))).size;
    case 'sum': {
      if (!values.length) return def && ['integer', 'float', 'monetary'].includes(def.type) ? 0 : false;
      const total = values.reduce<number>((s, v) => s + (typeof v === 'number' ? v : 0), 0);
      return def?.type === 'integer' ? total : round(total);
    }
    case 'avg': {
      if (!values.length) return false;
      return round(values.reduce<number>((s, v) => s + (typeof v === 'number' ? v : 0), 0) / values.length);
    }
    case 'max':
    case 'min': {
      if (!values.length) return false;
      const sorted = [...values].sort((a, b) =>
        typeof a === 'number' && typeof b === 'number' ? a - b : compareText(String(a), String(b)),
      );
      return agg.func === 'max' ? sorted[sorted.length - 1] : sorted[0];
    }
    case 'bool_and':
      return values.every((v) => v === true);
    case 'bool_or':
      return values.some((v) => v === true);
    case 'array_agg':
      return rows.map((row) => (agg.field ? (row[agg.field] ?? null) : null));
    default:
      return false;
  }
}

/** Order groups by the groupby values (many2one by the comodel's order, NULLs last) or `order`. */
function sortBuckets(
  env: Env,
  specs: GroupSpec[],
  buckets: Bucket[],
  order: unknown,
  aggregateOf: (bucket: Bucket, key: string) => unknown,
): Bucket[] {
  type Term = { index?: number; agg?: string; desc: boolean };
  const terms: Term[] = [];
  if (typeof order === 'string' && order.trim()) {
    for (const part of order.split(',')) {
      const [name = '', dir = ''] = part.trim().split(/\s+/);
      const desc = dir.toLowerCase() === 'desc';
      const index = specs.findIndex((s) => s.key === name || s.field === name);
      if (index >= 0) terms.push({ index, desc });
      else terms.push({ agg: name, desc });
    }
  } else {
    specs.forEach((_, index) => {
      terms.push({ index, desc: false });
    });
  }
  const positions = specs.map((spec) => {
    if (spec.def.type !== 'many2one' || !spec.def.relation) return undefined;
    const ids = new Set(
      buckets.map((b) => b.values[specs.indexOf(spec)]).filter((v): v is number => typeof v === 'number'),
    );
    const rows = [...ids]
      .map((id) => env.store.row(spec.def.relation as string, id))
      .filter((r): r is Row => !!r);
    rows.sort(comparator(env, spec.def.relation, null));
    return new Map(rows.map((row, i) => [row.id, i]));
  });
  const cmpValues = (a: unknown, b: unknown, pos?: Map<number, number>): number => {
    const nullA = a === false || a === null || a === undefined;
    const nullB = b === false || b === null || b === undefined;
    if (nullA || nullB) return nullA === nullB ? 0 : nullA ? 1 : -1;
    if (pos && typeof a === 'number' && typeof b === 'number') return (pos.get(a) ?? a) - (pos.get(b) ?? b);
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
    return compareText(String(a), String(b));
  };
  return [...buckets].sort((x, y) => {
    for (const term of terms) {
      let c: number;
      if (term.index !== undefined) {
        c = cmpValues(x.values[term.index], y.values[term.index], positions[term.index]);
        // PostgreSQL puts NULLs last ascending and first descending.
        if (term.desc) c = -c;
      } else {
        const key = term.agg ?? '';
        c = cmpValues(aggregateOf(x, key), aggregateOf(y, key));
        if (term.desc) c = -c;
      }
      if (c !== 0) return c;
    }
    return 0;
  });
}

function displayValue(env: Env, spec: GroupSpec, value: unknown): unknown {
  if (value === false) return false;
  if (
    (spec.def.type === 'many2one' || spec.def.type === 'many2many') &&
    spec.def.relation &&
    typeof value === 'number'
  ) {
    return [value, env.store.displayName(spec.def.relation, value)];
  }
  return value;
}

/** The domain selecting one group's value (and its date range). */
function groupDomain(
  env: Env,
  spec: GroupSpec,
  value: unknown,
): { domain: unknown[]; range?: DateRange | false } {
  if (spec.granularity) {
    if (typeof value !== 'string') return { domain: [[spec.field, '=', false]], range: false };
    const range = bucketRange(env, spec, value);
    return {
      domain: ['&', [spec.field, '>=', range.from], [spec.field, '<', range.to]],
      range,
    };
  }
  return { domain: [[spec.field, '=', value]] };
}

function toList(value: unknown): unknown[] {
  if (value === null || value === undefined || value === false) return [];
  return Array.isArray(value) ? value : [value];
}

function emptyValue(env: Env, model: string, agg: AggSpec): unknown {
  if (agg.func === 'count' || agg.func === 'count_distinct') return 0;
  if (agg.func === 'array_agg') return [];
  const def = agg.field ? fieldsOf(env, model)[agg.field] : undefined;
  if (agg.func === 'sum' && def && ['integer', 'float', 'monetary'].includes(def.type)) return 0;
  return false;
}

/** read_group(domain, fields, groupby, offset, limit, orderby, lazy). */
export function readGroup(env: Env, model: string, a: Record<string, unknown>): Record<string, unknown>[] {
  checkModelAccess(env.store, env.user, model, 'read');
  const groupby = typeof a.groupby === 'string' ? [a.groupby] : toList(a.groupby);
  const lazy = a.lazy !== false && a.lazy !== null && a.lazy !== 0;
  const lazyGroupby = lazy ? groupby.slice(0, 1) : groupby;
  const specs = lazyGroupby.map((g) => parseGroupSpec(env, model, g));
  const countKey = lazy && specs.length === 1 ? `${specs[0]?.field}_count` : '__count';
  const aggs: AggSpec[] = [{ key: countKey, func: 'count' }];
  const fields = fieldsOf(env, model);
  for (const raw of toList(a.fields)) {
    if (raw === '__count') continue;
    const m = typeof raw === 'string' ? /^(\w+)(?::(\w+)(?:\((\w+)\))?)?$/.exec(raw) : null;
    if (!m) throw new OdooException('builtins.ValueError', `Invalid field specification ${pyRepr(raw)}.`);
    const [, name = '', func, fname] = m;
    if (fname && func) aggs.push(parseAggregate(env, model, name, fname, func));
    else if (func) aggs.push(parseAggregate(env, model, name, name, func));
    else {
      const def = Object.hasOwn(fields, name) ? fields[name] : undefined;
      if (!def) throw invalidField(model, name);
      const func = (def.aggregator ?? def.group_operator) as string | undefined;
      if (def.store !== false && func && !specs.some((s) => s.key === name))
        aggs.push({ key: name, field: name, func });
    }
  }

  const rows = searchRecords(env, model, a.domain);
  let buckets = groupRows(env, specs, rows);
  if (!specs.length) buckets = [{ values: [], rows }];
  const aggOf = (bucket: Bucket, key: string) => {
    const agg = aggs.find((x) => x.key === key);
    if (key === '__count' || key === countKey) return bucket.rows.length;
    return agg ? aggregate(env, model, agg, bucket.rows) : undefined;
  };
  buckets = sortBuckets(env, specs, buckets, a.orderby, aggOf);
  const offset = typeof a.offset === 'number' ? a.offset : 0;
  const limit = typeof a.limit === 'number' && a.limit > 0 ? a.limit : undefined;
  buckets = buckets.slice(offset, limit === undefined ? undefined : offset + limit);

  const domain = toList(a.domain);
  let result: Record<string, unknown>[] = buckets.map((bucket) => {
    const out: Record<string, unknown> = {};
    specs.forEach((spec, i) => {
      out[spec.key] = bucket.values[i];
    });
    for (const agg of aggs) out[agg.key] = aggregate(env, model, agg, bucket.rows);
    return out;
  });

  const first = specs[0];
  if (lazy && first) result = fillGroups(env, model, first, aggs, result, domain);

  for (const row of result) {
    row.__domain = domain;
    if (lazyGroupby.length < groupby.length) row.__context = { group_by: groupby.slice(lazyGroupby.length) };
  }
  for (const row of result) {
    const extra: unknown[][] = [];
    for (const spec of specs) {
      const value = row[spec.key];
      const { domain: d, range } = groupDomain(env, spec, value);
      extra.push(d);
      if (range !== undefined) {
        const ranges = (row.__range ?? {}) as Record<string, unknown>;
        ranges[spec.key] = range ? { from: range.from, to: range.to } : false;
        row.__range = ranges;
        row[spec.key] = range ? range.label : false;
      } else {
        row[spec.key] = displayValue(env, spec, value);
      }
    }
    row.__domain = andDomains([domain, ...extra]);
  }
  if (majorOf(env.version) <= 16) return result.map((row) => legacyKeyOrder(row, aggs, specs));
  return result;
}

/**
 * Up to 16.0 read_group built each group from the SQL row (count and aggregates first), then
 * added the group-by values and __domain, and __fold last. Clients reading the dict in order see it.
 */
function legacyKeyOrder(
  row: Record<string, unknown>,
  aggs: readonly AggSpec[],
  specs: readonly GroupSpec[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const agg of aggs) if (agg.key in row) out[agg.key] = row[agg.key];
  for (const spec of specs) if (spec.key in row) out[spec.key] = row[spec.key];
  for (const [key, value] of Object.entries(row)) if (!(key in out) && key !== '__fold') out[key] = value;
  if ('__fold' in row) out.__fold = row.__fold;
  return out;
}

/** Empty groups of group_expand fields (crm.lead stage_id: every stage) and __fold. */
function fillGroups(
  env: Env,
  model: string,
  spec: GroupSpec,
  aggs: AggSpec[],
  result: Record<string, unknown>[],
  domain: unknown[],
): Record<string, unknown>[] {
  if (!(model === 'crm.lead' && spec.field === 'stage_id') || !spec.def.relation) return result;
  const comodel = spec.def.relation;
  const present = result.map((r) => r[spec.key]).filter((v): v is number => typeof v === 'number');
  const stages = env.store
    .rows(comodel)
    .filter((row) => present.includes(row.id) || !row.team_id)
    .sort(comparator(env, comodel, null));
  const lines = new Map<unknown, Record<string, unknown>>();
  for (const stage of stages) lines.set(stage.id, {});
  for (const line of result) {
    const key = line[spec.key];
    if (!lines.get(key) || !Object.keys(lines.get(key) ?? {}).length) lines.set(key, line);
  }
  for (const stage of stages) {
    const line = lines.get(stage.id);
    if (line && Object.keys(line).length) continue;
    const empty: Record<string, unknown> = {};
    for (const agg of aggs) empty[agg.key] = emptyValue(env, model, agg);
    empty[spec.key] = stage.id;
    empty.__domain = [[spec.field, '=', stage.id], ...domain];
    lines.set(stage.id, empty);
  }
  const foldable = env.store.fields(comodel)?.fold !== undefined;
  const out = [...lines.values()];
  if (foldable) {
    for (const line of out) {
      const key = line[spec.key];
      line.__fold = typeof key === 'number' ? env.store.row(comodel, key)?.fold === true : false;
    }
  }
  return out;
}

/** formatted_read_group(domain, groupby, aggregates, having, offset, limit, order) (19.0). */
export function formattedReadGroup(
  env: Env,
  model: string,
  a: Record<string, unknown>,
): Record<string, unknown>[] {
  checkModelAccess(env.store, env.user, model, 'read');
  const specs = toList(a.groupby).map((g) => parseGroupSpec(env, model, g));
  const aggs: AggSpec[] = toList(a.aggregates).map((raw) => {
    if (raw === '__count') return { key: '__count', func: 'count' };
    const m = typeof raw === 'string' ? /^(\w+):(\w+)$/.exec(raw) : null;
    if (!m) throw new OdooException('builtins.ValueError', `Invalid aggregate specification ${pyRepr(raw)}`);
    return parseAggregate(env, model, raw as string, m[1] ?? '', m[2] ?? '');
  });
  const rows = searchRecords(env, model, a.domain);
  let buckets = specs.length ? groupRows(env, specs, rows) : [{ values: [], rows }];
  const aggOf = (bucket: Bucket, key: string) => {
    if (key === '__count') return bucket.rows.length;
    const agg =
      aggs.find((x) => x.key === key) ??
      (/^(\w+):(\w+)$/.test(key)
        ? parseAggregate(env, model, key, key.split(':')[0] ?? '', key.split(':')[1] ?? '')
        : undefined);
    return agg ? aggregate(env, model, agg, bucket.rows) : undefined;
  };
  const having = toList(a.having);
  if (having.length) buckets = buckets.filter((bucket) => evalHaving(having, (key) => aggOf(bucket, key)));
  buckets = sortBuckets(env, specs, buckets, a.order, aggOf);
  const offset = typeof a.offset === 'number' ? a.offset : 0;
  const limit = typeof a.limit === 'number' && a.limit > 0 ? a.limit : undefined;
  buckets = buckets.slice(offset, limit === undefined ? undefined : offset + limit);
  return buckets.map((bucket) => {
    const out: Record<string, unknown> = {};
    const extra: unknown[][] = [];
    specs.forEach((spec, i) => {
      const value = bucket.values[i];
      const { domain, range } = groupDomain(env, spec, value);
      extra.push(domain);
      out[spec.key] = range
        ? [range.from, range.label]
        : range === false
          ? false
          : displayValue(env, spec, value);
    });
    if (specs.length) out.__extra_domain = andDomains(extra);
    for (const agg of aggs) out[agg.key] = aggregate(env, model, agg, bucket.rows);
    return out;
  });
}

/** `having`: a domain over aggregate values ('&'/'|' prefixes and leaves). */
function evalHaving(domain: unknown[], aggregateValue: (key: string) => unknown): boolean {
  let i = 0;
  const next = (): boolean => {
    const token = domain[i++];
    if (token === '&') return next() && next();
    if (token === '|') return next() || next();
    if (token === '!') return !next();
    if (!Array.isArray(token) || token.length !== 3) {
      throw new OdooException('builtins.ValueError', `Invalid having clause ${pyRepr(domain)}`);
    }
    const [key, op, right] = token as [string, string, unknown];
    const left = aggregateValue(key);
    switch (op) {
      case '=':
        return left === right;
      case '!=':
        return left !== right;
      case '<':
        return (left as number) < (right as number);
      case '<=':
        return (left as number) <= (right as number);
      case '>':
        return (left as number) > (right as number);
      case '>=':
        return (left as number) >= (right as number);
      case 'in':
        return Array.isArray(right) && right.includes(left);
      case 'not in':
        return Array.isArray(right) && !right.includes(left);
      default:
        throw new OdooException('builtins.ValueError', `Invalid operator ${pyRepr(op)} in having clause`);
    }
  };
  let ok = true;
  while (i < domain.length) ok = next() && ok;
  return ok;
}
