// The models policy through relations: every field path a request names (fields, specifications,
// domains with their any/not any sub-domains, orders, group-bys, aggregates, written values) is
// walked with fields_get, model by model, and refused when it reaches a model the policy hides.
//
// The rule is one and the same everywhere: a field whose related model (many2one, one2many,
// many2many) is hidden cannot be named, even on its own. A many2one alone already reads as
// [id, display_name], and the display name is the hidden record's own data (a hidden partner's
// name on a sale order); an x2many gives the hidden ids; a domain on it is a yes/no oracle (name
// matching included: "ilike" on a relational field searches the related names); an order on it
// sorts by the related model's own order; a group-by on it gives the related names. Refusing is
// chosen over stripping the field with a note: the caller asked for it, and an answer without it
// would look complete. Default field sets, which the caller did not choose, simply leave such
// fields out (visibleFields).
import type { FieldMeta, FieldsMeta } from '../odoo/values.js';
import { type AccessPolicy, PolicyError } from './policy.js';

export type FieldsOf = (model: string) => Promise<FieldsMeta>;

/** Which part of the request a path came from, as the error text names it. */
export type PathSource =
  | 'fields'
  | 'specification'
  | 'domain'
  | 'order'
  | 'group_by'
  | 'aggregates'
  | 'having'
  | 'values';

/** Where a walked path ends: the model it is on and its last field (undefined past known fields). */
interface PathEnd {
  model: string;
  field?: FieldMeta;
}

const DOMAIN_OPERATORS = new Set(['&', '|', '!']);
/** Operators whose value is a domain on the related model (17+; the "!" forms bypass access, 19). */
const SUB_DOMAIN_OPERATORS = new Set(['any', 'not any', 'any!', 'not any!']);
/** Fields pointing at a record of a model named in the data, which fields_get cannot tell. */
const REFERENCE_TYPES = new Set(['reference', 'many2one_reference']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list that reads as a domain rather than as ids or names: it holds conditions or operators. */
function looksLikeDomain(value: unknown): value is unknown[] {
  return (
    Array.isArray(value) &&
    value.some((v) => Array.isArray(v) || (typeof v === 'string' && DOMAIN_OPERATORS.has(v)))
  );
}

/** The field paths of an order clause: "partner_id.name desc, amount_total:sum" -> partner_id.name, amount_total. */
export function orderPaths(order: string): string[] {
  return order
    .split(',')
    .map((part) => (part.trim().split(/\s+/)[0] ?? '').replace(/"/g, ''))
    .map((term) => term.split(':')[0] ?? '')
    .filter((path) => path !== '' && path !== '__count');
}

/** The field an aggregate reads: "amount:sum", read_group's "total:sum(amount)", or a bare name. */
export function aggregatePath(spec: string): string | undefined {
  if (spec === '__count' || spec === 'count') return undefined;
  const aliased = /^\w+:\w+\(([\w.]+)\)$/.exec(spec);
  return aliased ? aliased[1] : spec.split(':')[0];
}

export class RelationGuard {
  private readonly meta = new Map<string, Promise<FieldsMeta>>();

  constructor(
    private readonly policy: AccessPolicy,
    private readonly fieldsOf: FieldsOf,
  ) {}

  private fieldsFor(model: string): Promise<FieldsMeta> {
    let hit = this.meta.get(model);
    if (!hit) {
      hit = this.fieldsOf(model);
      this.meta.set(model, hit);
    }
    return hit;
  }

  /** Runs a check on a related model, naming any refusal from `model` with `prefix` in front. */
  private async nested(model: string, prefix: string, check: () => Promise<void>): Promise<void> {
    try {
      await check();
    } catch (err) {
      throw err instanceof HiddenPathError ? err.under(model, prefix) : err;
    }
  }

  private unchecked(source: PathSource, what: unknown, expected: string): PolicyError {
    return new PolicyError(
      `${source} ${JSON.stringify(what)?.slice(0, 200)} cannot be checked against this server's models policy: ${expected}.`,
    );
  }

  /**
   * Follows `path` from `model` one segment at a time; a segment whose related model is hidden
   * stops the request. Unknown names end the walk (the caller's own checks or Odoo reject them),
   * and so do non-relational segments before the end (date parts, properties): neither reaches a
   * model.
   */
  async walk(model: string, path: string, source: PathSource): Promise<PathEnd | undefined> {
    if (!this.policy.hidesModels) return undefined;
    const segments = path.split('.');
    let current = model;
    let field: FieldMeta | undefined;
    for (const [i, name] of segments.entries()) {
      field = (await this.fieldsFor(current))[name];
      if (!field) return undefined;
      const last = i === segments.length - 1;
      if (field.relation) {
        if (!this.policy.modelAllowed(field.relation)) {
          const through = segments.slice(0, i + 1).join('.');
          throw new HiddenPathError(model, path, through, current, field.relation, source);
        }
        current = field.relation;
      } else if (!last) {
        return undefined;
      }
    }
    return { model: current, field };
  }

  /** Plain field names (read, search_read, default_get...). */
  async fields(model: string, names: unknown, source: PathSource = 'fields'): Promise<void> {
    if (!this.policy.hidesModels || names === undefined || names === null || names === false) return;
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
      throw this.unchecked(source, names, 'give a list of field names');
    }
    for (const name of names) await this.walk(model, name, source);
  }

  /** The field names of a default selection that do not reach a hidden model. */
  visibleFields(names: string[], fields: FieldsMeta): string[] {
    return names.filter((n) => {
      const relation = fields[n]?.relation;
      return !relation || this.policy.modelAllowed(relation);
    });
  }

  /** A domain: each leaf's path, then any/not any sub-domains (and domain-shaped values) on the related model. */
  async domain(model: string, domain: unknown, source: PathSource = 'domain'): Promise<void> {
    if (!this.policy.hidesModels || domain === undefined || domain === null) return;
    if (!Array.isArray(domain)) throw this.unchecked(source, domain, 'give a list of conditions');
    for (const term of domain) {
      if (typeof term === 'string' && DOMAIN_OPERATORS.has(term)) continue;
      if (!Array.isArray(term) || term.length !== 3 || typeof term[1] !== 'string') {
        throw this.unchecked(source, term, 'each condition must be [field, operator, value]');
      }
      const [left, operator, value] = term as [unknown, string, unknown];
      if (left === 1 || left === 0) continue; // TRUE_LEAF / FALSE_LEAF
      if (typeof left !== 'string') {
        throw this.unchecked(source, term, 'each condition must start with a field name');
      }
      // formatted_read_group's having names aggregates ("amount_total:sum").
      const end = await this.walk(model, left.split(':')[0] ?? left, source);
      if (!end?.field?.relation) continue;
      if (SUB_DOMAIN_OPERATORS.has(operator.toLowerCase()) || looksLikeDomain(value)) {
        await this.nested(model, left, () => this.domain(end.model, value, source));
      }
    }
  }

  async order(model: string, order: unknown, source: PathSource = 'order'): Promise<void> {
    if (!this.policy.hidesModels || order === undefined || order === null || order === false || order === '')
      return;
    if (typeof order !== 'string') throw this.unchecked(source, order, 'give an order such as "name desc"');
    for (const path of orderPaths(order)) await this.walk(model, path, source);
  }

  /** Group-bys: "partner_id", "date_order:month", "partner_id.country_id". */
  async groupBy(model: string, specs: unknown): Promise<void> {
    if (!this.policy.hidesModels || specs === undefined || specs === null) return;
    const list = typeof specs === 'string' ? [specs] : specs;
    if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) {
      throw this.unchecked('group_by', specs, 'give a list of field names');
    }
    for (const spec of list) await this.walk(model, spec.split(':')[0] ?? spec, 'group_by');
  }

  /** Aggregates ("amount_total:sum"), or read_group's fields ("amount", "total:sum(amount)"). */
  async aggregates(model: string, specs: unknown, source: PathSource = 'aggregates'): Promise<void> {
    if (!this.policy.hidesModels || specs === undefined || specs === null) return;
    if (!Array.isArray(specs) || !specs.every((s) => typeof s === 'string')) {
      throw this.unchecked(source, specs, 'give a list such as ["amount_total:sum"]');
    }
    for (const spec of specs) {
      const path = aggregatePath(spec);
      if (path) await this.walk(model, path, source);
    }
  }

  /** The parts of one dedicated-tool request, each checked as above. */
  async request(
    model: string,
    parts: {
      fields?: unknown;
      domain?: unknown;
      order?: unknown;
      groupBy?: unknown;
      aggregates?: unknown;
      values?: unknown;
    },
  ): Promise<void> {
    if (!this.policy.hidesModels) return;
    await this.fields(model, parts.fields);
    await this.domain(model, parts.domain);
    await this.order(model, parts.order);
    await this.groupBy(model, parts.groupBy);
    await this.aggregates(model, parts.aggregates);
    await this.values(model, parts.values);
  }

  /**
   * A web_read / web_search_read specification (17+): every key, and for relational fields the
   * nested fields, order and domain on the related model. Sub-fields of a reference field read a
   * record of a model only the data names, so they are refused while any model is hidden.
   */
  async specification(model: string, spec: unknown): Promise<void> {
    if (!this.policy.hidesModels || spec === undefined || spec === null) return;
    if (!isObject(spec)) throw this.unchecked('specification', spec, 'give an object of field names');
    for (const [name, sub] of Object.entries(spec)) {
      const end = await this.walk(model, name, 'specification');
      if (sub === undefined || sub === null) continue;
      if (!isObject(sub)) {
        throw this.unchecked('specification', { [name]: sub }, 'each field takes an object, e.g. {}');
      }
      const field = end?.field;
      if (!end || !field) continue;
      if (field.relation) {
        await this.nested(model, name, async () => {
          await this.specification(end.model, sub.fields);
          await this.order(end.model, sub.order, 'specification');
          await this.domain(end.model, sub.domain, 'specification');
        });
      } else if (REFERENCE_TYPES.has(field.type) && sub.fields !== undefined) {
        throw new PolicyError(
          `specification field "${name}" of ${model} is a ${field.type}: its sub-fields read a record of whatever model the data names, which this server's models policy cannot check. Read "${name}" without "fields" to get the model and id, then read that record with read_records if its model is allowed.`,
        );
      }
    }
  }

  /**
   * Values to create or write: relational fields must point at allowed models, and the lines an
   * x2many creates or updates are checked on the related model. Takes Odoo's command tuples and
   * the tools' named commands ({"create": {...}}, plain objects as new lines).
   */
  async values(model: string, values: unknown): Promise<void> {
    if (!this.policy.hidesModels || values === undefined || values === null) return;
    if (Array.isArray(values)) {
      for (const v of values) await this.values(model, v);
      return;
    }
    if (!isObject(values)) throw this.unchecked('values', values, 'give an object of field values');
    for (const [name, value] of Object.entries(values)) {
      const end = await this.walk(model, name, 'values');
      if (!end?.field?.relation || !Array.isArray(value)) continue;
      for (const item of value) {
        const lines = commandValues(item);
        if (lines) await this.nested(model, name, () => this.values(end.model, lines));
      }
    }
  }
}

/** The field values an x2many command carries (create/update), if any. */
function commandValues(item: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(item)) {
    const [code, , vals] = item;
    return (code === 0 || code === 1) && isObject(vals) ? vals : undefined;
  }
  if (!isObject(item)) return undefined;
  const keys = Object.keys(item);
  if (keys.length === 1 && keys[0] === 'create' && isObject(item.create)) return item.create;
  if (keys.length === 1 && keys[0] === 'update' && isObject(item.update)) {
    const vals = item.update.values;
    return isObject(vals) ? vals : undefined;
  }
  if (keys.length === 1 && ['delete', 'unlink', 'link', 'set', 'clear'].includes(keys[0] as string)) {
    return undefined;
  }
  return item; // a plain object is a new line
}

/** A field path that reaches a hidden model, named from the model the request is on. */
export class HiddenPathError extends PolicyError {
  constructor(
    /** The model the path starts on. */
    readonly model: string,
    /** The path as given ("user_ids.login"; nested specifications and sub-domains joined by dots). */
    readonly path: string,
    /** The part of the path up to the field that reaches the hidden model. */
    readonly through: string,
    /** The model that field is on. */
    readonly on: string,
    readonly hidden: string,
    readonly source: PathSource,
  ) {
    const field = through.split('.').pop() as string;
    const label = source === 'fields' ? 'field' : source === 'aggregates' ? 'aggregate' : source;
    super(
      `The ${label} path "${path}" on ${model} reaches ${hidden} through ${on}.${field}, and ${hidden} is hidden by this server's models.allow / models.deny configuration. Leave "${through}" out of the ${source} and use fields of allowed models only (describe_model shows each field's related model); if ${hidden} is needed, ask the operator to allow it.`,
    );
    this.name = 'PolicyError';
  }

  /** The same refusal seen from `model`, where this path sits under `prefix` (a nested read or sub-domain). */
  under(model: string, prefix: string): HiddenPathError {
    return new HiddenPathError(
      model,
      `${prefix}.${this.path}`,
      `${prefix}.${this.through}`,
      this.on,
      this.hidden,
      this.source,
    );
  }
}
