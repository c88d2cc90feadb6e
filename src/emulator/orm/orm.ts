// createOrm: the emulator's execute_kw / JSON-2 dispatcher. It resolves the model and the method as
// odoo/service/model.py does (private names, unknown models and methods, per version), binds the
// call to the method's Python signature, runs it in a transaction and shapes the result like
// Odoo's call_kw (create of one dict -> id, recordsets -> ids).

import { versionProfile } from '../version.js';
import { DEMO_API_KEYS, findUser, findUserByLogin, secretMatches } from './access.js';
import { OdooException, type Orm, type OrmCall, type OrmResult } from './api.js';
import { asOdooException, type Env } from './env.js';
import {
  actionConfirm,
  actionSetWon,
  checkAccess,
  checkAccessRights,
  checkAccessRule,
  contextGet,
  ensureOne,
  exists,
  hasAccess,
  messagePost,
  nameCreate,
} from './methods/business.js';
import { formattedReadGroup, readGroup } from './methods/group.js';
import {
  defaultGet,
  fieldsGet,
  legacyWebSearchRead,
  nameSearch,
  readRecords,
  resolveFields,
  searchCount,
  searchRead,
  searchRecords,
  webRead,
  webSearchRead,
} from './methods/read.js';
import { copyRecords, createRecords, setActive, unlinkRecords, writeRecords } from './methods/write.js';
import { pyTruthy } from './pyrepr.js';
import { type Bound, bindNamed, bindPositional, findSignature, type Signature } from './signatures.js';
import { Store } from './store.js';
import { majorOf, type OdooVersion } from './types.js';
import { normalizeIds } from './validate.js';

export interface OrmOptions {
  version: OdooVersion;
  /** Database name clients must use (default 'odoo'). */
  database?: string;
  /** Clock for create_date/write_date and defaults (tests pin it). */
  now?: () => Date;
}

/** The Orm seam plus what front ends and tests may ask the emulator directly. */
export interface EmulatedOrm extends Orm {
  /** Whether the model exists (JSON-2 answers 404 "the model ... does not exist" when not). */
  hasModel(model: string): boolean;
  /** Whether a public method exists on the model in this version. */
  hasMethod(model: string, method: string): boolean;
  /** psycopg2's OperationalError for a database that does not exist. */
  assertDatabase(db: string): void;
}

/** safe_eval's _UNSAFE_ATTRIBUTES, refused by name since 18.0 like private methods. */
const UNSAFE_ATTRIBUTES = new Set([
  'f_builtins',
  'f_code',
  'f_globals',
  'f_locals',
  'func_code',
  'func_globals',
  'gi_code',
  'gi_frame',
  'gi_yieldfrom',
  'mro',
  'tb_frame',
  'tb_lasti',
  'tb_next',
  'co_code',
  'cr_await',
  'cr_code',
  'cr_frame',
  'ag_await',
  'ag_code',
  'ag_frame',
]);

function isPrivate(version: OdooVersion, method: string): boolean {
  if (majorOf(version) <= 17) return /^(_.*|init)$/s.test(method);
  return method.startsWith('_') || UNSAFE_ATTRIBUTES.has(method);
}

/**
 * The AttributeError of a method the model lacks: up to 16.0 execute_kw's getattr() on the model
 * class failed with Python's own text, 17.0 checks first and says so, 18.0 names model.method.
 */
function unknownMethodMessage(version: OdooVersion, model: string, method: string): string {
  const major = majorOf(version);
  if (major <= 16) return `type object '${model}' has no attribute '${method}'`;
  if (major === 17) return `The method '${method}' does not exist on the model '${model}'`;
  return `The method '${model}.${method}' does not exist`;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function unknownDatabase(version: OdooVersion, db: string): OdooException {
  const port = versionProfile(version).postgresPort;
  return new OdooException(
    'psycopg2.OperationalError',
    `connection to server at "localhost", port ${port} failed: FATAL:  database "${db}" does not exist\n`,
  );
}

export function createOrm(opts: OrmOptions): EmulatedOrm {
  const version = opts.version;
  const database = opts.database ?? 'odoo';
  const store = new Store(version, opts.now ? { now: opts.now } : {});

  const hasFieldOf = (model: string) => (name: string) => Object.hasOwn(store.fields(model) ?? {}, name);

  const major = majorOf(version);

  function resolve(model: string, method: string): Signature {
    // Up to 17.0 the private check came before the model lookup, and named the method alone.
    if (major <= 17 && isPrivate(version, method)) {
      throw new OdooException(
        'odoo.exceptions.AccessError',
        `Private methods (such as ${method}) cannot be called remotely.`,
      );
    }
    if (!store.table(model))
      throw new OdooException('odoo.exceptions.UserError', `Object ${model} doesn't exist`);
    if (isPrivate(version, method)) {
      throw new OdooException(
        'odoo.exceptions.AccessError',
        `Private methods (such as '${model}.${method}') cannot be called remotely.`,
      );
    }
    const signature = findSignature(version, model, method, hasFieldOf(model));
    if (!signature) {
      throw new OdooException('builtins.AttributeError', unknownMethodMessage(version, model, method));
    }
    return signature;
  }

  function run(
    env: Env,
    model: string,
    method: string,
    bound: Bound,
    ids: number[],
    call: OrmCall,
  ): OrmResult {
    const a = bound.args;
    const positional = call.style === 'positional';
    switch (method) {
      case 'search': {
        // 15.0 named search()'s domain `args`; up to 16.0 count=True gave the number of matches
        // (offset, limit and order ignored, as _search ignores them when counting).
        const domain = a.domain ?? a.args;
        if (pyTruthy(a.count)) return searchRecords(env, model, domain).length;
        return searchRecords(env, model, domain, a).map((row) => row.id);
      }
      case 'search_count':
        return searchCount(env, model, a.domain ?? a.args, a.limit);
      case 'search_read':
        return searchRead(env, model, a, bound.extra);
      case 'search_fetch':
        resolveFields(env, model, a.field_names);
        return searchRecords(env, model, a.domain, a).map((row) => row.id);
      case 'read':
        return readRecords(env, model, ids, a.fields, a.load);
      case 'fields_get':
        return fieldsGet(env, model, a.allfields, a.attributes);
      case 'create': {
        const arg = a.vals_list;
        const list = isMapping(arg)
          ? [arg]
          : Array.isArray(arg)
            ? arg
            : typeof arg === 'string'
              ? [...arg]
              : [arg];
        const created = createRecords(env, model, list);
        if (!positional) return created;
        const args = call.args ?? [];
        if (!args.length) throw new OdooException('builtins.IndexError', 'list index out of range');
        return isMapping(args[0]) ? created[0] : created;
      }
      case 'write':
        return writeRecords(env, model, ids, a.vals);
      case 'unlink':
        return unlinkRecords(env, model, ids);
      case 'copy': {
        // copy() was a single-record method returning one id up to 17.0.
        if (major <= 17) ensureOne(model, ids);
        const copies = copyRecords(env, model, ids, a.default);
        return major <= 17 ? copies[0] : copies;
      }
      case 'exists':
        return exists(env, model, ids);
      case 'name_search':
        return nameSearch(env, model, a.name, major <= 17 ? a.args : a.domain, a.operator, a.limit);
      case 'name_create':
        return nameCreate(env, model, a.name);
      case 'default_get':
        return defaultGet(env, model, version === '19.0' ? a.fields : a.fields_list);
      case 'read_group':
        return readGroup(env, model, a);
      case 'formatted_read_group':
        return formattedReadGroup(env, model, a);
      case 'web_search_read':
        return major <= 16 ? legacyWebSearchRead(env, model, a) : webSearchRead(env, model, a);
      case 'web_read':
        return webRead(env, model, ids, a.specification);
      case 'check_access_rights':
        return checkAccessRights(env, model, a.operation, a.raise_exception);
      case 'check_access_rule':
        checkAccessRule(env, model, ids, a.operation);
        return undefined;
      case 'has_access':
        return hasAccess(env, model, ids, a.operation);
      case 'check_access':
        checkAccess(env, model, ids, a.operation);
        return undefined;
      case 'action_archive':
        return setActive(env, model, ids, false);
      case 'action_unarchive':
        return setActive(env, model, ids, true);
      case 'context_get':
        return contextGet(env);
      case 'action_confirm':
        return actionConfirm(env, ids);
      case 'action_set_won':
        return actionSetWon(env, ids);
      case 'message_post': {
        const id = messagePost(env, model, ids, { ...bound.extra, ...a });
        // @api.returns('mail.message') was dropped from message_post in 19.0 only.
        return version === '19.0' ? [id] : id;
      }
      default:
        throw new OdooException('builtins.AttributeError', `The method '${model}.${method}' does not exist`);
    }
  }

  function call(c: OrmCall): OrmResult {
    const user = findUser(store, c.uid);
    if (!user?.active) throw new OdooException('odoo.exceptions.AccessDenied', 'Access Denied');
    const signature = resolve(c.model, c.method);
    let bound: Bound;
    let rawIds: unknown = [];
    let context: Record<string, unknown> = isMapping(c.context) ? { ...c.context } : {};
    if (c.style === 'named') {
      const given = c.ids as unknown;
      if (
        signature.api !== 'multi' &&
        given !== undefined &&
        given !== null &&
        given !== false &&
        (!Array.isArray(given) || given.length)
      ) {
        const message = `cannot call ${c.model}.${c.method} with ids`;
        throw new OdooException('werkzeug.exceptions.UnprocessableEntity', message, [message, 422]);
      }
      const params = { ...(c.params ?? {}) };
      if (isMapping(params.context)) context = { ...context, ...params.context };
      delete params.context;
      bound = bindNamed(signature, params);
      rawIds = given ?? [];
    } else {
      const args = [...(c.args ?? [])];
      const kwargs = { ...(c.kwargs ?? {}) };
      if (Object.hasOwn(kwargs, 'context')) {
        if (isMapping(kwargs.context)) context = { ...context, ...kwargs.context };
        delete kwargs.context;
      }
      if (signature.api === 'multi') {
        if (!args.length) throw new OdooException('builtins.IndexError', 'list index out of range');
        rawIds = args.shift();
      }
      bound = bindPositional(signature, c.method, args, kwargs);
    }
    const env: Env = { store, version, user, context, memo: new Map() };
    store.begin();
    try {
      const ids = signature.api === 'multi' ? normalizeIds(version, c.model, rawIds) : [];
      const result = run(env, c.model, c.method, bound, ids, c);
      store.commit();
      return result;
    } catch (error) {
      store.rollback();
      throw asOdooException(error);
    }
  }

  return {
    version,
    database,
    authenticate(db, login, secret) {
      if (db !== database) throw unknownDatabase(version, db);
      const user = findUserByLogin(store, login);
      return user && secretMatches(user, secret) ? user.uid : false;
    },
    uidForApiKey(key) {
      for (const [login, apiKey] of Object.entries(DEMO_API_KEYS)) {
        if (apiKey !== key) continue;
        const user = findUserByLogin(store, login);
        return user?.active ? user.uid : undefined;
      }
      return undefined;
    },
    checkUid(uid, secret) {
      const user = findUser(store, uid);
      return !!user && secretMatches(user, secret);
    },
    call,
    reset() {
      store.reset();
    },
    hasModel(model) {
      return store.table(model) !== undefined;
    },
    hasMethod(model, method) {
      return (
        store.table(model) !== undefined &&
        !isPrivate(version, method) &&
        findSignature(version, model, method, hasFieldOf(model)) !== undefined
      );
    },
    assertDatabase(db) {
      if (db !== database) throw unknownDatabase(version, db);
    },
  };
}
