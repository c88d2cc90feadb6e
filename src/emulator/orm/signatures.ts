// Method signatures as Odoo's Python defines them, per version, and the two ways a call binds to
// them: execute_kw's positional args/kwargs (CPython call semantics and TypeError wording) and
// JSON-2's named params (inspect.Signature.bind, reported as UnprocessableEntity).
import { OdooException } from './api.js';
import { pyNameList } from './python.js';
import { majorOf, type OdooVersion } from './types.js';

const REQUIRED = Symbol('required');

export interface Param {
  name: string;
  default: unknown;
}

export interface Signature {
  /** Python class the method is defined on, for CPython's "Class.method()" messages. */
  owner: string;
  /** 'model': @api.model (no ids); 'create': @api.model_create_multi; 'multi': a record method. */
  api: 'model' | 'create' | 'multi';
  params: Param[];
  kwOnly: Param[];
  /** Name of the **kwargs catch-all, if any. */
  varKw?: string;
}

function p(name: string, def: unknown = REQUIRED): Param {
  return { name, default: def };
}

function sig(
  owner: string,
  api: Signature['api'],
  params: Param[],
  extra: Partial<Signature> = {},
): Signature {
  return { owner, api, params, kwOnly: [], ...extra };
}

/** Which models a model-specific method lives on. */
export type Scope = 'all' | ((model: string, hasField: (name: string) => boolean) => boolean);

interface Entry {
  scope: Scope;
  signature: (version: OdooVersion) => Signature | undefined;
}

const only =
  (...models: string[]): Scope =>
  (model) =>
    models.includes(model);

const mailThread: Scope = (_model, hasField) => hasField('message_ids');

const TABLE: Record<string, Entry> = {
  search: {
    scope: 'all',
    // 15.0 named the domain `args`; `count` (return the number instead) went away in 17.0.
    signature: (v) =>
      sig('BaseModel', 'model', [
        p(majorOf(v) <= 15 ? 'args' : 'domain'),
        p('offset', 0),
        p('limit', null),
        p('order', null),
        ...(majorOf(v) <= 16 ? [p('count', false)] : []),
      ]),
  },
  search_count: {
    scope: 'all',
    // `limit` came with 16.0.
    signature: (v) =>
      majorOf(v) <= 15
        ? sig('BaseModel', 'model', [p('args')])
        : sig('BaseModel', 'model', [p('domain'), p('limit', null)]),
  },
  search_read: {
    scope: 'all',
    signature: () =>
      sig(
        'BaseModel',
        'model',
        [p('domain', null), p('fields', null), p('offset', 0), p('limit', null), p('order', null)],
        {
          varKw: 'read_kwargs',
        },
      ),
  },
  search_fetch: {
    scope: 'all',
    signature: () =>
      sig('BaseModel', 'model', [
        p('domain'),
        p('field_names'),
        p('offset', 0),
        p('limit', null),
        p('order', null),
      ]),
  },
  read: {
    scope: 'all',
    signature: () => sig('BaseModel', 'multi', [p('fields', null), p('load', '_classic_read')]),
  },
  fields_get: {
    scope: 'all',
    signature: () => sig('BaseModel', 'model', [p('allfields', null), p('attributes', null)]),
  },
  create: {
    scope: 'all',
    signature: () => sig('BaseModel', 'create', [p('vals_list')]),
  },
  write: { scope: 'all', signature: () => sig('BaseModel', 'multi', [p('vals')]) },
  unlink: { scope: 'all', signature: () => sig('BaseModel', 'multi', []) },
  copy: { scope: 'all', signature: () => sig('BaseModel', 'multi', [p('default', null)]) },
  exists: { scope: 'all', signature: () => sig('BaseModel', 'multi', []) },
  name_search: {
    scope: 'all',
    signature: (v) =>
      sig('BaseModel', 'model', [
        p('name', ''),
        p(majorOf(v) <= 17 ? 'args' : 'domain', null),
        p('operator', 'ilike'),
        p('limit', 100),
      ]),
  },
  name_create: { scope: 'all', signature: () => sig('BaseModel', 'model', [p('name')]) },
  default_get: {
    scope: 'all',
    signature: (v) => sig('BaseModel', 'model', [p(v === '19.0' ? 'fields' : 'fields_list')]),
  },
  read_group: {
    scope: 'all',
    signature: () =>
      sig('BaseModel', 'model', [
        p('domain'),
        p('fields'),
        p('groupby'),
        p('offset', 0),
        p('limit', null),
        p('orderby', false),
        p('lazy', true),
      ]),
  },
  formatted_read_group: {
    scope: 'all',
    signature: (v) =>
      v === '19.0'
        ? sig('BaseModel', 'model', [
            p('domain'),
            p('groupby', []),
            p('aggregates', []),
            p('having', []),
            p('offset', 0),
            p('limit', null),
            p('order', null),
          ])
        : undefined,
  },
  web_search_read: {
    scope: 'all',
    // Before 17.0 it took a list of field names and read them flat (read()'s encoding);
    // count_limit came with 16.0.
    signature: (v) =>
      majorOf(v) <= 16
        ? sig('Base', 'model', [
            p('domain', null),
            p('fields', null),
            p('offset', 0),
            p('limit', null),
            p('order', null),
            ...(majorOf(v) === 16 ? [p('count_limit', null)] : []),
          ])
        : sig('Base', 'model', [
            p('domain'),
            p('specification'),
            p('offset', 0),
            p('limit', null),
            p('order', null),
            p('count_limit', null),
          ]),
  },
  web_read: {
    scope: 'all',
    signature: (v) => (majorOf(v) >= 17 ? sig('Base', 'multi', [p('specification')]) : undefined),
  },
  check_access_rights: {
    scope: 'all',
    signature: () => sig('BaseModel', 'model', [p('operation'), p('raise_exception', true)]),
  },
  check_access_rule: {
    scope: 'all',
    signature: (v) => (v === '19.0' ? undefined : sig('BaseModel', 'multi', [p('operation')])),
  },
  has_access: {
    scope: 'all',
    signature: (v) => (majorOf(v) >= 18 ? sig('BaseModel', 'multi', [p('operation')]) : undefined),
  },
  check_access: {
    scope: 'all',
    signature: (v) => (majorOf(v) >= 18 ? sig('BaseModel', 'multi', [p('operation')]) : undefined),
  },
  action_archive: { scope: 'all', signature: () => sig('BaseModel', 'multi', []) },
  action_unarchive: { scope: 'all', signature: () => sig('BaseModel', 'multi', []) },
  context_get: {
    scope: only('res.users'),
    signature: (v) => sig(majorOf(v) <= 17 ? 'Users' : 'ResUsers', 'model', []),
  },
  action_confirm: {
    scope: only('sale.order'),
    signature: () => sig('SaleOrder', 'multi', []),
  },
  action_set_won: {
    scope: only('crm.lead'),
    signature: (v) => sig(majorOf(v) <= 17 ? 'Lead' : 'CrmLead', 'multi', []),
  },
  message_post: {
    scope: mailThread,
    signature: () =>
      sig('MailThread', 'multi', [], {
        kwOnly: [
          p('body', ''),
          p('subject', null),
          p('message_type', 'notification'),
          p('email_from', null),
          p('author_id', null),
          p('parent_id', false),
          p('subtype_xmlid', null),
          p('subtype_id', false),
          p('partner_ids', null),
          p('attachments', null),
          p('attachment_ids', null),
          p('body_is_html', false),
        ],
        varKw: 'kwargs',
      }),
  },
};

/** The signature of a public method on a model, or undefined when Odoo has no such method. */
export function findSignature(
  version: OdooVersion,
  model: string,
  method: string,
  hasField: (name: string) => boolean,
): Signature | undefined {
  if (!Object.hasOwn(TABLE, method)) return undefined;
  const entry = TABLE[method];
  if (!entry) return undefined;
  if (entry.scope !== 'all' && !entry.scope(model, hasField)) return undefined;
  return entry.signature(version);
}

export interface Bound {
  /** Parameter values by name, defaults filled in (Python None is null). */
  args: Record<string, unknown>;
  /** What **kwargs collected. */
  extra: Record<string, unknown>;
}

function typeError(message: string): OdooException {
  return new OdooException('builtins.TypeError', message);
}

/**
 * Bind execute_kw's positional args and kwargs (ids already taken off) as CPython binds a call,
 * raising its TypeError texts. `self` counts as the first positional argument, as in Python.
 */
export function bindPositional(
  signature: Signature,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
): Bound {
  const qual = `${signature.owner}.${method}()`;
  const { params, kwOnly, varKw } = signature;
  const values: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  const given = args.length + 1;
  for (let i = 0; i < Math.min(args.length, params.length); i++) {
    const param = params[i];
    if (param) values[param.name] = args[i];
  }
  for (const [key, value] of Object.entries(kwargs)) {
    const index = params.findIndex((param) => param.name === key);
    if (index >= 0) {
      if (index < args.length) throw typeError(`${qual} got multiple values for argument '${key}'`);
      values[key] = value;
    } else if (kwOnly.some((param) => param.name === key)) {
      values[key] = value;
    } else if (varKw) {
      extra[key] = value;
    } else {
      throw typeError(`${qual} got an unexpected keyword argument '${key}'`);
    }
  }
  const total = params.length + 1;
  if (given > total) {
    const required = params.filter((param) => param.default === REQUIRED).length + 1;
    const takes = required < total ? `from ${required} to ${total}` : String(total);
    const plural = required < total || total !== 1 ? 's' : '';
    throw typeError(
      `${qual} takes ${takes} positional argument${plural} but ${given} ${given === 1 ? 'was' : 'were'} given`,
    );
  }
  const missing = params
    .filter((param) => param.default === REQUIRED && !(param.name in values))
    .map((param) => param.name);
  if (missing.length) {
    throw typeError(
      `${qual} missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${pyNameList(missing)}`,
    );
  }
  const missingKw = kwOnly
    .filter((param) => param.default === REQUIRED && !(param.name in values))
    .map((param) => param.name);
  if (missingKw.length) {
    throw typeError(
      `${qual} missing ${missingKw.length} required keyword-only argument${missingKw.length > 1 ? 's' : ''}: ${pyNameList(missingKw)}`,
    );
  }
  for (const param of [...params, ...kwOnly]) if (!(param.name in values)) values[param.name] = param.default;
  return { args: values, extra };
}

function unprocessable(message: string): OdooException {
  return new OdooException('werkzeug.exceptions.UnprocessableEntity', message, [message, 422]);
}

/** Bind JSON-2's named params as inspect.Signature.bind(records, **params) does. */
export function bindNamed(signature: Signature, params: Record<string, unknown>): Bound {
  const remaining = { ...params };
  const values: Record<string, unknown> = {};
  for (const param of [...signature.params, ...signature.kwOnly]) {
    if (Object.hasOwn(remaining, param.name)) {
      values[param.name] = remaining[param.name];
      delete remaining[param.name];
    } else if (param.default === REQUIRED) {
      throw unprocessable(`missing a required argument: '${param.name}'`);
    } else {
      values[param.name] = param.default;
    }
  }
  const leftover = Object.keys(remaining);
  if (leftover.length && !signature.varKw)
    throw unprocessable(`got an unexpected keyword argument '${leftover[0]}'`);
  return { args: values, extra: remaining };
}
