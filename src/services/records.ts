// Record operations as the tools need them: validated input, one Odoo request per read once the
// field metadata is cached, and plain JSON values out.
import type { Context, Domain, OdooClient } from '../odoo/client.js';
import { OutcomeUnknownError } from '../odoo/errors.js';
import type { FieldMeta, FieldsMeta, OdooRecord } from '../odoo/values.js';
import { decodeValue } from '../odoo/values.js';
import type { ModelCatalog } from './metadata.js';
import type { AccessPolicy } from './policy.js';
import { checkMethodCall } from './policy-methods.js';
import { RelationGuard } from './policy-paths.js';
import {
  changedSince,
  findCreated,
  idempotentWrite,
  nameLeaf,
  outcomeCheck,
  stillThere,
  WriteOutcomeError,
} from './write-outcome.js';

/** Bad input from the caller, with the fix in the message. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export interface Limits {
  default_limit: number;
  max_limit: number;
  max_text_length: number;
  /** Input bounds the tools check before any Odoo call (see config `limits`). */
  max_ids: number;
  max_create_records: number;
  max_value_fields: number;
  max_domain_terms: number;
  max_fields: number;
  max_depth: number;
}

export interface SearchQuery {
  model: string;
  domain?: Domain;
  fields?: string[];
  limit?: number;
  offset?: number;
  order?: string;
  query?: string;
  context?: Context;
}

export interface SearchResult {
  records: OdooRecord[];
  total: number;
  has_more: boolean;
  next_offset: number | null;
  fields: string[];
  /** Set when the answer is known to be partial, with what to do about it. */
  warning?: string;
}

/** What a write did. `recovered` is set when Odoo's answer was lost and the server found the result. */
export interface WriteResult {
  ids: number[];
  recovered?: string;
}

/** The check's answer, or undefined when Odoo could not be asked either. */
async function attempt<T>(check: () => Promise<T>): Promise<T | undefined> {
  try {
    return await check();
  } catch {
    return undefined;
  }
}

/** name_search matches fetched for a text query where display_name cannot be searched. */
export const QUERY_MATCH_CAP = 2000;

const DOMAIN_OPERATORS = new Set(['&', '|', '!']);

/** Checks a domain's shape and returns the field names its leaves use (first path segment). */
export function domainFields(domain: unknown): string[] {
  if (!Array.isArray(domain)) {
    throw new InputError(
      'domain must be a JSON array of conditions, e.g. [["name", "ilike", "acme"], ["is_company", "=", true]]',
    );
  }
  const names: string[] = [];
  for (const term of domain) {
    if (typeof term === 'string') {
      if (!DOMAIN_OPERATORS.has(term)) {
        throw new InputError(`domain operator "${term}" is not one of "&", "|", "!" (prefix notation)`);
      }
      continue;
    }
    if (!Array.isArray(term) || term.length !== 3 || typeof term[1] !== 'string') {
      throw new InputError(
        `domain condition ${JSON.stringify(term)} must be [field, operator, value], e.g. ["state", "=", "sale"]`,
      );
    }
    const field = term[0];
    if (field === 1 || field === 0) continue; // Odoo's TRUE_LEAF / FALSE_LEAF
    if (typeof field !== 'string' || field === '') {
      throw new InputError(`domain condition ${JSON.stringify(term)} must start with a field name`);
    }
    names.push(field.split('.')[0] as string);
  }
  return names;
}

/** The field paths of a domain's leaves ("partner_id.country_id.code"); the shape is checked by domainFields. */
export function domainPaths(domain: unknown): string[] {
  if (!Array.isArray(domain)) return [];
  return domain
    .filter(
      (t): t is [string, string, unknown] => Array.isArray(t) && typeof t[0] === 'string' && t[0] !== '',
    )
    .map((t) => t[0]);
}

/** Cuts long strings so one huge description cannot fill the model's context. */
export function cutText(value: unknown, max: number): { value: unknown; cut: boolean } {
  if (typeof value === 'string' && value.length > max) {
    return { value: `${value.slice(0, max)}… [${value.length - max} more characters cut]`, cut: true };
  }
  return { value, cut: false };
}

export class RecordService {
  constructor(
    private readonly client: OdooClient,
    private readonly catalog: ModelCatalog,
    private readonly policy: AccessPolicy,
    readonly limits: Limits,
  ) {}

  /** Rejects field names the model lacks, naming the closest real ones. */
  private async checkFields(model: string, names: string[], signal?: AbortSignal): Promise<void> {
    if (names.length === 0) return;
    const unknown = await this.catalog.unknownFields(model, names, signal);
    if (unknown.length === 0) return;
    const parts = unknown.map(
      ({ field, suggestions }) =>
        `"${field}"${suggestions.length ? ` (did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?)` : ''}`,
    );
    throw new InputError(
      `${model} has no field ${parts.join(', ')}. Use describe_model with model "${model}" to see its fields.`,
    );
  }

  /** The models policy through relations, walking paths with this request's fields_get. */
  private guard(signal?: AbortSignal): RelationGuard {
    return new RelationGuard(this.policy, (model) => this.catalog.fields(model, signal));
  }

  /** The page size a search with this limit gets (the default when unset), or an InputError. */
  pageLimit(limit: number | undefined): number {
    return this.checkLimit(limit);
  }

  private checkLimit(limit: number | undefined): number {
    const value = limit ?? this.limits.default_limit;
    if (!Number.isInteger(value) || value < 1)
      throw new InputError('limit must be a whole number of at least 1');
    if (value > this.limits.max_limit) {
      throw new InputError(
        `limit ${value} is above this server's maximum of ${this.limits.max_limit}; page with offset/next_offset instead`,
      );
    }
    return value;
  }

  /**
   * Odoo drops a domain condition on a field it cannot search (computed, not stored, no search
   * method) with only a server log line, so the answer would silently cover every record. Each
   * segment of a path is checked on its own model.
   */
  private async checkSearchable(model: string, domain: Domain, signal?: AbortSignal): Promise<void> {
    for (const path of new Set(domainPaths(domain))) {
      let current = model;
      const segments = path.split('.');
      for (const [i, name] of segments.entries()) {
        const f = (await this.catalog.fields(current, signal))[name];
        if (!f) break; // unknown names are reported by checkFields, or by Odoo past the first segment
        if (f.searchable === false) {
          const hint =
            name === 'display_name'
              ? i === 0
                ? ' Use the "query" parameter to match records by name, or filter on "name".'
                : ` Filter on "${[...segments.slice(0, i), 'name'].join('.')}" instead.`
              : ' Filter on a stored field instead (describe_model lists the fields).';
          throw new InputError(
            `${current}.${name} cannot be searched on this Odoo version (it is computed and not stored), so Odoo would ignore the condition ${JSON.stringify(path)} and return unfiltered records.${hint}`,
          );
        }
        if (i < segments.length - 1) {
          if (!f.relation) break;
          current = f.relation;
        }
      }
    }
  }

  /** Odoo 15-17 leave out an order on a field that is not a column, with only a log warning. */
  private async checkSortable(model: string, order: string | undefined, signal?: AbortSignal): Promise<void> {
    const names = orderFields(order);
    if (names.length === 0) return;
    const fields = await this.catalog.fields(model, signal);
    const bad = names.filter((n) => fields[n]?.sortable === false);
    if (bad.length > 0) {
      throw new InputError(
        `${model} cannot be sorted by ${bad.map((b) => `"${b}"`).join(', ')}: not stored, so Odoo would ignore it. Sort by stored fields, e.g. "id desc" or "name".`,
      );
    }
  }

  /** Output values: many2one {id, name}, empty as null, long texts cut. */
  private present(record: OdooRecord, fields: FieldsMeta): OdooRecord {
    const out: OdooRecord = {};
    for (const [key, raw] of Object.entries(record)) {
      const meta = fields[key];
      out[key] = cutText(decodeValue(raw, meta), this.limits.max_text_length).value;
    }
    return out;
  }

  async search(q: SearchQuery, signal?: AbortSignal): Promise<SearchResult> {
    this.policy.assertModel(q.model);
    const limit = this.checkLimit(q.limit);
    const offset = q.offset ?? 0;
    if (!Number.isInteger(offset) || offset < 0)
      throw new InputError('offset must be a whole number, 0 or more');
    let domain: Domain = q.domain ?? [];
    const used = domainFields(domain);
    const fields = await this.catalog.fields(q.model, signal);
    const guard = this.guard(signal);
    const names =
      q.fields && q.fields.length > 0
        ? q.fields
        : guard.visibleFields(await this.catalog.defaultFields(q.model, signal), fields);
    await this.checkFields(q.model, [...new Set([...used, ...names, ...orderFields(q.order)])], signal);
    await guard.request(q.model, { fields: names, domain, order: q.order });
    await this.checkSearchable(q.model, domain, signal);
    await this.checkSortable(q.model, q.order, signal);
    let warning: string | undefined;
    const text = q.query?.trim();
    if (text) {
      if (fields.display_name?.searchable === false) {
        // Odoo would drop a display_name condition here (15-17 outside res.partner): name_search
        // matches what the model's own autocompletion does, and its ids narrow the domain.
        const found = await this.client.nameSearch(
          q.model,
          text,
          { domain, limit: QUERY_MATCH_CAP, context: q.context },
          { signal },
        );
        if (found.length >= QUERY_MATCH_CAP) {
          warning = `query "${text}" matched ${QUERY_MATCH_CAP} or more records; only the first ${QUERY_MATCH_CAP} by name are searched and counted: make the query more specific or add a domain`;
        }
        domain = [['id', 'in', found.map((f) => f.id)], ...domain];
      } else {
        // display_name searches through the model's _rec_names_search, exactly like name_search.
        // Top-level terms are ANDed implicitly, so prepending the condition needs no operator.
        domain = [['display_name', 'ilike', text], ...domain];
      }
    }
    const page = await this.client.searchPage(
      q.model,
      { domain, fields: names, offset, limit, order: q.order, context: q.context },
      { signal },
    );
    const records = page.records.map((r) => this.present(r, fields));
    if (!q.fields?.length) dropEchoedNames(records);
    const hasMore = offset + records.length < page.length;
    return {
      records,
      total: page.length,
      has_more: hasMore,
      next_offset: hasMore ? offset + records.length : null,
      fields: names,
      ...(warning ? { warning } : {}),
    };
  }

  async read(
    model: string,
    ids: number[],
    fieldNames: string[] | undefined,
    context?: Context,
    signal?: AbortSignal,
  ): Promise<{ records: OdooRecord[]; missing_ids: number[]; fields: string[] }> {
    this.policy.assertModel(model);
    checkIds(ids);
    const fields = await this.catalog.fields(model, signal);
    const guard = this.guard(signal);
    const names =
      fieldNames && fieldNames.length > 0
        ? fieldNames
        : guard.visibleFields(await this.catalog.defaultFields(model, signal), fields);
    await this.checkFields(model, names, signal);
    await guard.request(model, { fields: names });
    const rows = (await this.client.execute(
      model,
      'read',
      { ids, kwargs: { fields: names }, context },
      { signal },
    )) as OdooRecord[];
    const found = new Set(rows.map((r) => r.id));
    const records = rows.map((r) => this.present(r, fields));
    if (!fieldNames?.length) dropEchoedNames(records);
    return {
      records,
      missing_ids: ids.filter((id) => !found.has(id)),
      fields: names,
    };
  }

  async count(
    model: string,
    domain: Domain | undefined,
    context?: Context,
    signal?: AbortSignal,
  ): Promise<number> {
    this.policy.assertModel(model);
    const used = domainFields(domain ?? []);
    await this.checkFields(model, used, signal);
    await this.guard(signal).request(model, { domain });
    await this.checkSearchable(model, domain ?? [], signal);
    return (await this.client.execute(
      model,
      'search_count',
      { args: [domain ?? []], context },
      { signal },
    )) as number;
  }

  async aggregate(
    q: {
      model: string;
      domain?: Domain;
      group_by: string[];
      aggregates?: string[];
      order?: string;
      limit?: number;
      context?: Context;
    },
    signal?: AbortSignal,
  ): Promise<Array<Record<string, unknown>>> {
    this.policy.assertModel(q.model);
    if (q.group_by.length === 0)
      throw new InputError('group_by needs at least one field, e.g. ["partner_id"]');
    const aggregates = q.aggregates && q.aggregates.length > 0 ? q.aggregates : ['__count'];
    for (const a of aggregates) {
      if (
        a !== '__count' &&
        !/^[\w.]+:(sum|avg|min|max|count|count_distinct|array_agg|bool_and|bool_or)$/.test(a)
      ) {
        throw new InputError(
          `aggregate "${a}" must be "__count" or "field:function" with function sum, avg, min, max, count or count_distinct (e.g. "amount_total:sum")`,
        );
      }
    }
    for (const g of q.group_by) {
      if (!/^[\w.]+(:(day|week|month|quarter|year|hour))?$/.test(g)) {
        throw new InputError(
          `group_by "${g}" must be a field name, optionally with :day, :week, :month, :quarter or :year`,
        );
      }
    }
    const fields = await this.catalog.fields(q.model, signal);
    await this.checkFields(
      q.model,
      [
        ...domainFields(q.domain ?? []),
        ...q.group_by.map((g) => g.split(':')[0] as string),
        ...aggregates.filter((a) => a !== '__count').map((a) => a.split(':')[0] as string),
      ],
      signal,
    );
    await this.guard(signal).request(q.model, {
      domain: q.domain,
      groupBy: q.group_by,
      aggregates,
      order: q.order,
    });
    await this.checkSearchable(q.model, q.domain ?? [], signal);
    for (const a of aggregates) {
      const name = a.split(':')[0] as string;
      if (a === '__count' || name.includes('.')) continue;
      // read_group leaves out an aggregate on a computed field (15-17) instead of failing.
      if (fields[name]?.store === false) {
        throw new InputError(
          `${q.model}.${name} is computed and not stored, so Odoo cannot aggregate it; aggregate a stored field, or use "__count"`,
        );
      }
    }
    const limit = q.limit === undefined ? undefined : this.checkLimit(q.limit);
    const groups = await this.client.readGroup(
      q.model,
      { domain: q.domain, groupby: q.group_by, aggregates, order: q.order, limit, context: q.context },
      { signal },
    );
    return groups.map((g) => presentGroup(g, q.group_by, aggregates, fields));
  }

  async create(
    model: string,
    values: Record<string, unknown> | Record<string, unknown>[],
    context?: Context,
    signal?: AbortSignal,
  ): Promise<WriteResult> {
    this.policy.assertModel(model);
    await this.guard(signal).request(model, { values });
    const list = Array.isArray(values) ? values : [values];
    if (list.length === 0)
      throw new InputError('values is empty: give one object of field values, or a list of them');
    const fields = await this.catalog.fields(model, signal);
    const encoded: Record<string, unknown>[] = [];
    for (const v of list) {
      await this.checkFields(model, Object.keys(v), signal);
      encoded.push(encodeValues(v, fields));
    }
    try {
      return { ids: await this.client.create(model, encoded, context, { signal }) };
    } catch (err) {
      if (!(err instanceof OutcomeUnknownError)) throw err;
      const check = outcomeCheck(err, nameLeaf(encoded, fields));
      const found = await attempt(() =>
        findCreated(this.client, model, encoded, fields, check, context, signal),
      );
      if (found?.ids) return { ids: found.ids, recovered: err.failure.message };
      throw new WriteOutcomeError('create', model, 'create', err, check, {
        looked: found !== undefined,
        idempotent: false,
        candidates: found?.candidates,
      });
    }
  }

  async update(
    model: string,
    ids: number[],
    values: Record<string, unknown>,
    context?: Context,
    signal?: AbortSignal,
  ): Promise<WriteResult> {
    this.policy.assertModel(model);
    checkIds(ids);
    if (Object.keys(values).length === 0) throw new InputError('values is empty: give the fields to change');
    await this.guard(signal).request(model, { values });
    const fields = await this.catalog.fields(model, signal);
    await this.checkFields(model, Object.keys(values), signal);
    const encoded = encodeValues(values, fields);
    try {
      await this.client.write(model, ids, encoded, context, { signal });
      return { ids };
    } catch (err) {
      if (!(err instanceof OutcomeUnknownError)) throw err;
      const idempotent = idempotentWrite(encoded, fields);
      const check = outcomeCheck(err);
      const seen = idempotent
        ? undefined
        : await attempt(() => changedSince(this.client, model, ids, check, context, signal));
      throw new WriteOutcomeError('write', model, 'write', err, check, {
        looked: seen !== undefined,
        idempotent,
        ids,
        touched: seen?.touched,
      });
    }
  }

  async delete(model: string, ids: number[], context?: Context, signal?: AbortSignal): Promise<WriteResult> {
    this.policy.assertModel(model);
    checkIds(ids);
    try {
      await this.client.unlink(model, ids, context, { signal });
      return { ids };
    } catch (err) {
      if (!(err instanceof OutcomeUnknownError)) throw err;
      const left = await attempt(() => stillThere(this.client, model, ids, context, signal));
      // unlink is one transaction: none left means it ran.
      if (left && left.length === 0) return { ids, recovered: err.failure.message };
      throw new WriteOutcomeError('unlink', model, 'unlink', err, outcomeCheck(err), {
        looked: left !== undefined,
        idempotent: true,
        ids,
        touched: left,
      });
    }
  }

  async callMethod(
    q: {
      model: string;
      method: string;
      ids?: number[];
      args?: unknown[];
      kwargs?: Record<string, unknown>;
      context?: Context;
    },
    signal?: AbortSignal,
  ): Promise<unknown> {
    this.policy.assertMethod(q.model, q.method);
    await checkMethodCall(this.guard(signal), this.policy, q);
    if (q.ids) checkIds(q.ids);
    try {
      return await this.client.execute(
        q.model,
        q.method,
        { ids: q.ids, args: q.args ?? [], kwargs: q.kwargs ?? {}, context: q.context },
        { signal },
      );
    } catch (err) {
      if (!(err instanceof OutcomeUnknownError)) throw err;
      const check = outcomeCheck(err);
      const seen = await attempt(() => changedSince(this.client, q.model, q.ids, check, q.context, signal));
      throw new WriteOutcomeError('call', q.model, q.method, err, check, {
        looked: seen !== undefined,
        idempotent: false,
        ids: q.ids,
        touched: seen?.touched,
        candidates: seen?.created,
      });
    }
  }

  /** Display names matching `name`, as Odoo's own autocompletion finds them. */
  async nameSearch(
    model: string,
    name: string,
    limit = 20,
    signal?: AbortSignal,
  ): Promise<Array<{ id: number; name: string }>> {
    this.policy.assertModel(model);
    return this.client.nameSearch(model, name, { limit }, { signal });
  }

  /** A binary field's content, base64, with what can be told about the file. */
  async binary(
    model: string,
    id: number,
    field: string,
    signal?: AbortSignal,
  ): Promise<{ base64: string; mimeType: string; filename: string; size: number } | null> {
    this.policy.assertModel(model);
    checkIds([id]);
    const fields = await this.catalog.fields(model, signal);
    const meta = fields[field];
    if (!meta) await this.checkFields(model, [field], signal);
    if (meta && meta.type !== 'binary') {
      const binaries = Object.entries(fields)
        .filter(([, f]) => f.type === 'binary')
        .map(([n]) => n);
      throw new InputError(
        `${model}.${field} is a ${meta.type} field, not a binary one${binaries.length ? `; binary fields: ${binaries.slice(0, 10).join(', ')}` : ''}`,
      );
    }
    const nameField = [`${field}_name`, 'name', 'display_name'].find(
      (n) => n in fields && fields[n]?.type !== 'binary',
    );
    const wanted = nameField ? [field, nameField] : [field];
    const rows = (await this.client.execute(
      model,
      'read',
      { ids: [id], kwargs: { fields: wanted } },
      { signal },
    )) as OdooRecord[];
    const row = rows[0];
    if (!row) throw new MissingIdsError(model, [id]);
    const data = row[field];
    if (typeof data !== 'string' || data === '') return null;
    const bytes = Buffer.from(data, 'base64');
    const mimeType = sniffMime(bytes);
    const base =
      nameField && typeof row[nameField] === 'string'
        ? (row[nameField] as string)
        : `${model}-${id}-${field}`;
    return { base64: data, mimeType, filename: base, size: bytes.length };
  }
}

/** Ids that are not there (a read that returned fewer rows, or a binary of a missing record). */
export class MissingIdsError extends Error {
  constructor(
    readonly model: string,
    readonly ids: number[],
  ) {
    super(
      `${model} has no record with ${ids.length > LISTED_IDS ? 'any of ' : 'id '}${listIds(ids, ids.length)} (or you may not see it). Search with search_records to find ids.`,
    );
    this.name = 'MissingIdsError';
  }
}

/** Ids shown in a text before the rest is only counted. */
export const LISTED_IDS = 10;

/**
 * Ids for a text, bounded: all of them when few, else the count and the first few, e.g.
 * "99,990 of the 100,000 ids (first: 5, 6, 7 …)". `total` is how many ids the caller gave.
 */
export function listIds(ids: readonly number[], total: number): string {
  if (ids.length <= LISTED_IDS) return ids.join(', ');
  const n = (x: number) => x.toLocaleString('en-US');
  const of = total > ids.length ? ` of the ${n(total)}` : '';
  return `${n(ids.length)}${of} ids (first: ${ids.slice(0, LISTED_IDS).join(', ')} …)`;
}

function checkIds(ids: unknown): asserts ids is number[] {
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((i) => Number.isInteger(i) && i > 0)) {
    throw new InputError('ids must be a non-empty list of positive whole numbers, e.g. [7, 12]');
  }
}

function orderFields(order: string | undefined): string[] {
  if (!order) return [];
  return order
    .split(',')
    .map((part) => part.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n !== '')
    .map((n) => n.split('.')[0] as string);
}

/** Tool input values to what Odoo's create/write expect. */
export function encodeValues(values: Record<string, unknown>, fields: FieldsMeta): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const f = fields[name];
    out[name] = f ? encodeValue(name, value, f) : value;
  }
  return out;
}

const COMMAND_NAMES: Record<string, number> = {
  create: 0,
  update: 1,
  delete: 2,
  unlink: 3,
  link: 4,
  clear: 5,
  set: 6,
};

function encodeValue(name: string, value: unknown, f: FieldMeta): unknown {
  if (value === null) {
    if (f.type === 'one2many' || f.type === 'many2many') return [[5, 0, 0]];
    return false;
  }
  if (f.type === 'many2one') {
    if (typeof value === 'number') return value;
    if (typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'number')
      return value.id;
    throw new InputError(
      `${name} is a many2one to ${f.relation ?? 'another model'}: give its id (e.g. 7) or {"id": 7}`,
    );
  }
  if (f.type === 'one2many' || f.type === 'many2many') {
    if (!Array.isArray(value)) {
      throw new InputError(
        `${name} is a ${f.type}: give a list of ids to set (e.g. [1, 2]), or commands such as [[4, 5, 0]] or [{"link": 5}]`,
      );
    }
    if (value.every((v) => typeof v === 'number')) return [[6, 0, value]];
    return value.map((item) => encodeCommand(name, item));
  }
  return value;
}

/** One x2many command: the tuple form [code, id, values] or a named form like {"create": {...}}. */
function encodeCommand(name: string, item: unknown): unknown {
  if (Array.isArray(item) && typeof item[0] === 'number' && item[0] >= 0 && item[0] <= 6) {
    return [item[0], item[1] ?? 0, item[2] ?? 0];
  }
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    const entries = Object.entries(item);
    const [key, arg] = entries[0] ?? [];
    if (entries.length === 1 && key && key in COMMAND_NAMES) {
      const code = COMMAND_NAMES[key] as number;
      switch (key) {
        case 'create':
          return [0, 0, arg];
        case 'update': {
          const u = arg as { id?: number; values?: unknown };
          return [1, u.id, u.values];
        }
        case 'set':
          return [6, 0, arg];
        case 'clear':
          return [5, 0, 0];
        default:
          return [code, arg, 0];
      }
    }
    // A plain object in an x2many list is a new line to create.
    return [0, 0, item];
  }
  throw new InputError(
    `${name}: ${JSON.stringify(item)} is not an id, a command [code, id, values], or {"create"|"update"|"delete"|"unlink"|"link"|"set"|"clear": ...}`,
  );
}

/** A date group's label ("March 2026"): read_group gives the label, formatted_read_group (19) [start, label]. */
function dateGroupLabel(raw: unknown): unknown {
  if (raw === false || raw === null || raw === undefined) return null;
  return Array.isArray(raw) ? (raw[1] ?? raw[0] ?? null) : raw;
}

function presentGroup(
  g: Record<string, unknown>,
  groupBy: string[],
  aggregates: string[],
  fields: FieldsMeta,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of groupBy) {
    const [name = spec] = spec.split(':');
    const raw = g[spec] ?? g[name];
    out[spec] = spec.includes(':') ? dateGroupLabel(raw) : decodeValue(raw, fields[name]);
  }
  for (const spec of aggregates) {
    if (spec === '__count') {
      out.__count = g.__count ?? g[`${groupBy[0]}_count`] ?? null;
      continue;
    }
    const [field = spec] = spec.split(':');
    // formatted_read_group keys by the spec, read_group by the field name.
    out[spec] = spec in g ? g[spec] : (g[field] ?? null);
  }
  return out;
}

/** Enough of the common file signatures to label a download. */
export function sniffMime(bytes: Buffer): string {
  const hex = bytes.subarray(0, 12).toString('hex');
  if (hex.startsWith('89504e47')) return 'image/png';
  if (hex.startsWith('ffd8ff')) return 'image/jpeg';
  if (hex.startsWith('47494638')) return 'image/gif';
  if (hex.startsWith('52494646') && bytes.subarray(8, 12).toString('ascii') === 'WEBP') return 'image/webp';
  if (hex.startsWith('25504446')) return 'application/pdf';
  if (hex.startsWith('504b0304')) return 'application/zip';
  const head = bytes.subarray(0, 256).toString('utf8').trimStart();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'image/svg+xml';
  if (head.startsWith('<?xml')) return 'application/xml';
  // Printable text without NULs.
  if (bytes.length > 0 && !bytes.subarray(0, 512).includes(0)) return 'text/plain';
  return 'application/octet-stream';
}

/** Default answers stay lean: display_name goes where it only repeats the record's name. */
function dropEchoedNames(records: OdooRecord[]): void {
  for (const r of records) {
    const name = r.name ?? r.x_name;
    if (name !== undefined && r.display_name === name) delete r.display_name;
  }
}
