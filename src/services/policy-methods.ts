// call_method and the models policy. The generic ORM methods whose arguments name fields, domains,
// orders or group-bys get those arguments checked exactly as the dedicated tools' are
// (policy-paths.ts), whether given by position or by name. ORM methods whose arguments this server
// cannot check completely are refused while the operator restricts models. Business methods
// (action_confirm...) cannot be inspected at all: they are governed by the model of the call and
// call_method.allow only, and may read other models inside Odoo.
import { type AccessPolicy, PolicyError } from './policy.js';
import type { RelationGuard } from './policy-paths.js';

type ArgKind =
  | 'domain'
  | 'having'
  | 'fields'
  | 'specification'
  | 'fieldsOrSpecification'
  | 'groupby'
  | 'aggregates'
  | 'readGroupFields'
  | 'order'
  | 'values'
  | 'plain';

interface Param {
  kind: ArgKind;
  /** Keyword names, every version's (15.0 called search's domain `args`). */
  names: readonly string[];
}

interface MethodShape {
  /** A record method (ids first); otherwise a model method that takes none. */
  records: boolean;
  /** Positional parameters after the ids, in order. */
  params: readonly Param[];
  /** Further keyword arguments with nothing to check (search_read passes them to read). */
  extra?: readonly string[];
}

const p = (kind: ArgKind, ...names: string[]): Param => ({ kind, names });
const DOMAIN = p('domain', 'domain');
const OFFSET = p('plain', 'offset');
const LIMIT = p('plain', 'limit');
const ORDER = p('order', 'order');

/** Signatures as Odoo 15-19 declare them; positions are the same on every version. */
export const CHECKED_METHODS: Readonly<Record<string, MethodShape>> = {
  search: {
    records: false,
    params: [p('domain', 'domain', 'args'), OFFSET, LIMIT, ORDER, p('plain', 'count')],
  },
  search_count: { records: false, params: [p('domain', 'domain', 'args'), LIMIT] },
  search_read: {
    records: false,
    params: [DOMAIN, p('fields', 'fields'), OFFSET, LIMIT, ORDER],
    extra: ['load'],
  },
  search_fetch: { records: false, params: [DOMAIN, p('fields', 'field_names'), OFFSET, LIMIT, ORDER] },
  read: { records: true, params: [p('fields', 'fields'), p('plain', 'load')] },
  web_read: { records: true, params: [p('specification', 'specification')] },
  // A field list up to 16, a specification from 17.
  web_search_read: {
    records: false,
    params: [
      DOMAIN,
      p('fieldsOrSpecification', 'specification', 'fields'),
      OFFSET,
      LIMIT,
      ORDER,
      p('plain', 'count_limit'),
    ],
  },
  read_group: {
    records: false,
    params: [
      DOMAIN,
      p('readGroupFields', 'fields'),
      p('groupby', 'groupby'),
      OFFSET,
      LIMIT,
      p('order', 'orderby'),
      p('plain', 'lazy'),
    ],
  },
  formatted_read_group: {
    records: false,
    params: [
      DOMAIN,
      p('groupby', 'groupby'),
      p('aggregates', 'aggregates'),
      p('having', 'having'),
      OFFSET,
      LIMIT,
      ORDER,
    ],
  },
  name_search: {
    records: false,
    params: [p('plain', 'name'), p('domain', 'domain', 'args'), p('plain', 'operator'), LIMIT],
  },
  default_get: { records: false, params: [p('fields', 'fields', 'fields_list')] },
  create: { records: false, params: [p('values', 'vals_list')] },
  copy: { records: true, params: [p('values', 'default')] },
  write: { records: true, params: [p('values', 'vals')] },
};

/**
 * Public ORM and web-client methods that read through field paths, domains or group-bys in
 * arguments this server does not parse (export paths "a/b", onchange specs, panel options,
 * Python-side path helpers such as mapped("user_ids.login")).
 */
export const UNCHECKED_READ_METHODS: ReadonlySet<string> = new Set([
  'copy_data',
  'export_data',
  'fetch',
  'filtered',
  'filtered_domain',
  'grouped',
  'load',
  'mapped',
  'onchange',
  'read_progress_bar',
  'search_panel_select_multi_range',
  'search_panel_select_range',
  'sorted',
  'web_name_search',
  'web_read_group',
  'web_resequence',
  'web_save',
]);

function check(guard: RelationGuard, model: string, kind: ArgKind, value: unknown): Promise<void> {
  switch (kind) {
    case 'domain':
      return guard.domain(model, value);
    case 'having':
      return guard.domain(model, value, 'having');
    case 'fields':
      return guard.fields(model, value);
    case 'specification':
      return guard.specification(model, value);
    case 'fieldsOrSpecification':
      return Array.isArray(value) ? guard.fields(model, value) : guard.specification(model, value);
    case 'groupby':
      return guard.groupBy(model, value);
    case 'aggregates':
      return guard.aggregates(model, value);
    case 'readGroupFields':
      return guard.aggregates(model, value, 'fields');
    case 'order':
      return guard.order(model, value);
    case 'values':
      return guard.values(model, value);
    case 'plain':
      return Promise.resolve();
  }
}

/** Checks a call_method request against the models policy, beyond the model of the call itself. */
export async function checkMethodCall(
  guard: RelationGuard,
  policy: AccessPolicy,
  q: { model: string; method: string; ids?: number[]; args?: unknown[]; kwargs?: Record<string, unknown> },
): Promise<void> {
  if (!policy.hidesModels) return;
  const what = `${q.model}.${q.method}`;
  const shape = CHECKED_METHODS[q.method];
  if (!shape) {
    if (policy.restrictsModels && UNCHECKED_READ_METHODS.has(q.method)) {
      throw new PolicyError(
        `${what} is refused through call_method while this server restricts models (models.allow / models.deny): its arguments can reach other models in ways the server cannot check. Use search_records, read_records, count_records or aggregate_records instead; they apply the models policy to every field path.`,
      );
    }
    return;
  }
  const args = q.args ?? [];
  // execute_kw puts the ids first; a list in their place would shift every argument.
  if (shape.records && !q.ids && args.length > 0) {
    throw new PolicyError(
      `${what} acts on records: give their ids in "ids" and only the method's own arguments in "args", so the server can check them against its models policy.`,
    );
  }
  if (!shape.records && q.ids) {
    throw new PolicyError(`${what} is a model method and takes no "ids": leave "ids" out.`);
  }
  const names = shape.params.map((param) => param.names[0]);
  if (args.length > shape.params.length) {
    throw new PolicyError(
      `${what} takes at most ${shape.params.length} positional argument(s) (${names.join(', ')}), got ${args.length}.`,
    );
  }
  for (const [i, value] of args.entries())
    await check(guard, q.model, (shape.params[i] as Param).kind, value);
  for (const [key, value] of Object.entries(q.kwargs ?? {})) {
    if (key === 'context') continue;
    const param = shape.params.find((candidate) => candidate.names.includes(key));
    if (param) await check(guard, q.model, param.kind, value);
    else if (!shape.extra?.includes(key)) {
      throw new PolicyError(
        `${what} has no argument "${key}" that this server can check against its models policy; its arguments are ${[...names, ...(shape.extra ?? [])].join(', ')}.`,
      );
    }
  }
}
