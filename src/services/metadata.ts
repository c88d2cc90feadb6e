// What the tools need to know about Odoo's models before they touch records: the model list,
// field types, the token-lean default field set, and "did you mean" suggestions.
import { LRUCache } from 'lru-cache';
import { FIELD_ATTRIBUTES, type OdooClient } from '../odoo/client.js';
import type { FieldMeta, FieldsMeta } from '../odoo/values.js';
import { closestMatches } from '../util/text.js';
import type { AccessPolicy } from './policy.js';

export interface ModelInfo {
  model: string;
  name: string;
}

/** Field types that are never part of a default selection: large, nested or internal. */
const HEAVY_TYPES = new Set([
  'binary',
  'html',
  'one2many',
  'many2many',
  'properties',
  'properties_definition',
  'json',
  'reference',
  'many2one_reference',
]);

/** Field names that are bookkeeping, not business data. */
const TECHNICAL =
  /^(message_|activity_|website_message|has_message|rating_|__|access_|create_uid$|write_uid$|write_date$|create_date$|display_type$|sequence$|color$|id$|avatar_|image_)/;

/** Names that, when a model has them, are what people look at first. */
const PREFERRED = [
  'display_name',
  'name',
  'ref',
  'default_code',
  'email',
  'phone',
  'mobile',
  'state',
  'stage_id',
  'partner_id',
  'user_id',
  'date',
  'date_order',
  'invoice_date',
  'date_deadline',
  'amount_total',
  'amount_residual',
  'expected_revenue',
  'probability',
  'list_price',
  'standard_price',
  'qty_available',
  'product_id',
  'product_uom_qty',
  'price_unit',
  'price_subtotal',
  'is_company',
  'parent_id',
  'city',
  'country_id',
  'company_id',
  'currency_id',
  'move_type',
  'payment_state',
  'code',
  'type',
  'active',
];

const MAX_DEFAULT_FIELDS = 12;

/** Chooses a small, useful default field set from fields_get. */
export function defaultFieldNames(fields: FieldsMeta): string[] {
  const usable = (name: string, f: FieldMeta) =>
    !HEAVY_TYPES.has(f.type) && !TECHNICAL.test(name) && (f.store !== false || name === 'display_name');
  const chosen: string[] = [];
  const add = (name: string) => {
    if (!chosen.includes(name) && chosen.length < MAX_DEFAULT_FIELDS) chosen.push(name);
  };
  for (const name of PREFERRED) {
    const f = fields[name];
    if (f && usable(name, f)) add(name);
  }
  // Required business fields come next: a record is hard to understand without them.
  for (const [name, f] of Object.entries(fields)) if (f.required && usable(name, f)) add(name);
  // The name field is what a model compares and writes back; display_name may differ from it
  // ("YourCompany, Mitchell Admin" for "Mitchell Admin"). Custom models name theirs x_name.
  const nameField = ['name', 'x_name'].find((n) => fields[n] && !HEAVY_TYPES.has(fields[n].type));
  if (nameField && !chosen.includes(nameField)) {
    if (chosen.length >= MAX_DEFAULT_FIELDS) chosen.pop();
    chosen.splice(chosen.includes('display_name') ? 1 : 0, 0, nameField);
  }
  return chosen;
}

/**
 * Why describe_model leaves a field out of its default list: it is plumbing every model has, or
 * nothing a domain or a write can use. Undefined for the fields worth listing.
 */
export type InternalKind = 'magic' | 'plumbing' | 'computed' | 'binary';

/** Models of the chatter, activities, Discuss and the bus: a business model's links to them are plumbing. */
const PLUMBING_MODELS = /^(mail|discuss|bus|rating)\./;
/**
 * Fields the mail.thread, mail.activity.mixin and rating mixins add to the models that inherit
 * them, and the portal's and signup's security tokens.
 */
const PLUMBING_NAMES =
  /^(message_|activity_|my_activity_|rating_)|^(website_message_ids|has_message|failed_message_ids|access_token|signup_token)$/;

export function internalKind(model: string, name: string, f: FieldMeta): InternalKind | undefined {
  // id and display_name are on every model; __last_update is the pre-17 concurrency stamp.
  if (name === 'id' || name === 'display_name' || name === '__last_update') return 'magic';
  if (!PLUMBING_MODELS.test(model)) {
    if (PLUMBING_NAMES.test(name) || (f.relation && PLUMBING_MODELS.test(f.relation))) return 'plumbing';
  }
  // Neither searchable nor writable: a domain cannot use it and a write cannot set it.
  if (f.store === false && f.searchable === false && f.readonly === true) return 'computed';
  // Resized images and generated files: read with read_binary_field, never filtered or written.
  if (f.type === 'binary' && f.readonly === true) return 'binary';
  return undefined;
}

/** fields_get's usual attributes and the ones describe_model adds on request (names as 19.0 has them). */
const DETAIL_ATTRIBUTES = [
  ...FIELD_ATTRIBUTES,
  'groupable',
  'aggregator',
  'group_operator',
  'related',
  'relation_field',
  'company_dependent',
  'translate',
];

/** Field types read_group cannot group by before 18.0, where fields_get starts to say `groupable`. */
const UNGROUPABLE = new Set(['one2many', 'binary', 'properties_definition', 'json']);

export class ModelCatalog {
  private models?: { at: number; list: ModelInfo[] };
  private readonly defaults = new LRUCache<string, string[]>({ max: 500 });

  constructor(
    private readonly client: OdooClient,
    private readonly policy: AccessPolicy,
    private readonly ttlMs = 300_000,
  ) {}

  /** Every model the policy allows, from ir.model (cached). */
  async allModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    if (this.models && Date.now() - this.models.at < this.ttlMs) return this.models.list;
    const rows = (await this.client.execute(
      'ir.model',
      'search_read',
      { kwargs: { domain: [['transient', '=', false]], fields: ['model', 'name'], order: 'model' } },
      { signal },
    )) as Array<{ model: string; name: string }>;
    const list = rows
      .filter((r) => this.policy.modelAllowed(r.model))
      .map((r) => ({ model: r.model, name: r.name }));
    this.models = { at: Date.now(), list };
    return list;
  }

  async listModels(
    query?: string,
    limit = 50,
    signal?: AbortSignal,
  ): Promise<{ models: ModelInfo[]; total: number }> {
    const all = await this.allModels(signal);
    const q = query?.trim().toLowerCase();
    const matched = q
      ? all.filter((m) => m.model.toLowerCase().includes(q) || m.name.toLowerCase().includes(q))
      : all;
    return { models: matched.slice(0, limit), total: matched.length };
  }

  /** Model names close to a misspelt one, for error texts. */
  async suggestModels(model: string, signal?: AbortSignal): Promise<string[]> {
    try {
      const all = await this.allModels(signal);
      return closestMatches(
        model,
        all.map((m) => m.model),
        5,
      );
    } catch {
      return [];
    }
  }

  fields(model: string, signal?: AbortSignal): Promise<FieldsMeta> {
    return this.client.fieldsGet(model, undefined, { signal });
  }

  /**
   * fields_get with the attributes describe_model shows on request, the same on every version:
   * `aggregator` (group_operator up to 17.0) and `groupable` (derived from store and type up to 17.0).
   */
  async fieldDetails(model: string, signal?: AbortSignal): Promise<FieldsMeta> {
    const raw = await this.client.fieldsGet(model, DETAIL_ATTRIBUTES, { signal });
    const out: FieldsMeta = {};
    for (const [name, f] of Object.entries(raw)) {
      const { group_operator, ...rest } = f;
      const aggregator = f.aggregator ?? group_operator;
      out[name] = {
        ...rest,
        ...(aggregator ? { aggregator } : {}),
        groupable:
          typeof f.groupable === 'boolean' ? f.groupable : f.store !== false && !UNGROUPABLE.has(f.type),
      };
    }
    return out;
  }

  /** The values a new record would get (default_get), for the fields that have one. */
  async fieldDefaults(
    model: string,
    names: string[],
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> {
    if (!names.length) return {};
    return (await this.client.defaultGet(model, names, undefined, { signal })) ?? {};
  }

  async defaultFields(model: string, signal?: AbortSignal): Promise<string[]> {
    const hit = this.defaults.get(model);
    if (hit) return hit;
    const chosen = defaultFieldNames(await this.fields(model, signal));
    this.defaults.set(model, chosen);
    return chosen;
  }

  /** Names in `requested` that the model does not have, each with its closest real names. */
  async unknownFields(
    model: string,
    requested: string[],
    signal?: AbortSignal,
  ): Promise<Array<{ field: string; suggestions: string[] }>> {
    const fields = await this.fields(model, signal);
    return requested
      .filter((f) => f !== 'id' && !(f in fields))
      .map((field) => ({ field, suggestions: closestMatches(field, Object.keys(fields), 3) }));
  }
}
