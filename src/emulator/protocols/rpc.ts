// odoo.http.dispatch_rpc and the three services behind it (common, object, db), shared by XML-RPC
// and JSON-RPC. Errors are thrown as PyError / OdooException; each front end encodes them.
import type { OrmCall } from '../orm/api.js';
import { rpcVersionInfo } from '../version.js';
import type { FrontContext } from './http.js';
import { keyError, type PyError, pyError, pyNameList, pyRepr } from './pyerror.js';

/** Python's wording for a call whose positional arguments do not fit the signature. */
function bind(fn: string, names: string[], required: number, params: unknown[]): unknown[] {
  if (params.length > names.length) {
    const takes = required === names.length ? `${names.length}` : `from ${required} to ${names.length}`;
    const plural = names.length === 1 && required === names.length ? 'argument' : 'arguments';
    const were = params.length === 1 ? 'was' : 'were';
    throw pyError(
      'builtins.TypeError',
      `${fn}() takes ${takes} positional ${plural} but ${params.length} ${were} given`,
    );
  }
  if (params.length < required) {
    const missing = names.slice(params.length, required);
    const list = pyNameList(missing);
    const word = missing.length === 1 ? 'argument' : 'arguments';
    throw pyError(
      'builtins.TypeError',
      `${fn}() missing ${missing.length} required positional ${word}: ${list}`,
    );
  }
  return params;
}

/** What psycopg2 says when the registry for an unknown database cannot connect. */
export function unknownDatabase(ctx: FrontContext, db: string): PyError {
  const message = `connection to server at "localhost", port ${ctx.profile.postgresPort} failed: FATAL:  database "${db}" does not exist\n`;
  return pyError('psycopg2.OperationalError', message, { cause: { error: keyError(db), explicit: false } });
}

function checkDatabase(ctx: FrontContext, db: unknown): void {
  if (db !== ctx.orm.database) throw unknownDatabase(ctx, typeof db === 'string' ? db : String(db));
}

function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

/** int(value) as model.dispatch applies it to the uid. */
function pyInt(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) return Number.parseInt(v, 10);
  if (typeof v === 'string') {
    throw pyError('builtins.ValueError', `invalid literal for int() with base 10: ${pyRepr(v)}`);
  }
  throw pyError(
    'builtins.TypeError',
    `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(v)}'`,
  );
}

function common(ctx: FrontContext, method: string, params: unknown[]): unknown {
  const { orm, profile } = ctx;
  switch (method) {
    case 'version':
      bind('exp_version', [], 0, params);
      return rpcVersionInfo(profile);
    case 'about': {
      const [extended] = bind('exp_about', ['extended'], 0, params);
      const info = 'See http://openerp.com';
      return extended ? [info, profile.serverVersion] : info;
    }
    case 'set_loglevel':
      bind('exp_set_loglevel', ['loglevel', 'logger'], 1, params);
      return true;
    case 'login':
    case 'authenticate': {
      const [db, login, password] =
        method === 'login'
          ? bind('exp_login', ['db', 'login', 'password'], 3, params)
          : bind('exp_authenticate', ['db', 'login', 'password', 'user_agent_env'], 4, params);
      checkDatabase(ctx, db);
      return orm.authenticate(String(db), String(login), String(password));
    }
    default:
      throw pyError('builtins.Exception', `Method not found: ${method}`);
  }
}

function object(ctx: FrontContext, method: string, params: unknown[], seq: 'tuple' | 'list'): unknown {
  const { orm, note } = ctx;
  if (params.length < 3) throw pyError('builtins.IndexError', `${seq} index out of range`);
  const [db, rawUid, passwd] = params;
  const uid = pyInt(rawUid);
  checkDatabase(ctx, db);
  if (!orm.checkUid(uid, String(passwd))) {
    throw pyError('odoo.exceptions.AccessDenied', 'Access Denied', { noTraceback: true });
  }
  let call: OrmCall;
  if (method === 'execute_kw') {
    const [model, name, args, kw] = bind('execute_kw', ['db', 'uid', 'obj', 'method', 'args', 'kw'], 5, [
      db,
      uid,
      ...params.slice(3),
    ]).slice(2);
    if (!Array.isArray(args)) {
      throw pyError(
        'builtins.TypeError',
        `odoo.service.model.execute() argument after * must be an iterable, not ${pyTypeName(args)}`,
      );
    }
    const kwargs = kw === undefined || kw === null || kw === false ? {} : kw;
    if (typeof kwargs !== 'object' || Array.isArray(kwargs)) {
      throw pyError(
        'builtins.TypeError',
        `odoo.service.model.execute() argument after ** must be a mapping, not ${pyTypeName(kwargs)}`,
      );
    }
    call = {
      uid,
      model: String(model),
      method: String(name),
      style: 'positional',
      args,
      kwargs: kwargs as Record<string, unknown>,
    };
  } else if (method === 'execute') {
    const [model, name, ...args] = bind('execute', ['db', 'uid', 'obj', 'method'], 4, [
      db,
      uid,
      ...params.slice(3, 5),
    ])
      .slice(2)
      .concat(params.slice(5));
    call = { uid, model: String(model), method: String(name), style: 'positional', args, kwargs: {} };
  } else {
    throw pyError('builtins.NameError', `Method not available ${method}`);
  }
  note.model = call.model;
  note.modelMethod = call.method;
  return orm.call(call);
}

const DB_PUBLIC = new Set(['db_exist', 'list', 'list_lang', 'server_version']);
const DB_SUPER = new Set([
  'create_database',
  'duplicate_database',
  'drop',
  'dump',
  'restore',
  'rename',
  'change_admin_password',
  'migrate_databases',
  'list_countries',
]);

function dbService(ctx: FrontContext, method: string, params: unknown[]): unknown {
  if (DB_PUBLIC.has(method)) {
    switch (method) {
      case 'list':
        bind('exp_list', ['document'], 0, params);
        return [ctx.orm.database];
      case 'db_exist': {
        const [name] = bind('exp_db_exist', ['db_name'], 1, params);
        return name === ctx.orm.database;
      }
      case 'list_lang':
        bind('exp_list_lang', [], 0, params);
        return [['en_US', 'English (US)']];
      default:
        bind('exp_server_version', [], 0, params);
        return ctx.profile.serverVersion;
    }
  }
  // No master password is configured: every privileged call is refused.
  if (DB_SUPER.has(method))
    throw pyError('odoo.exceptions.AccessDenied', 'Access Denied', { noTraceback: true });
  throw keyError(`Method not found: ${method}`);
}

/**
 * dispatch_rpc(service, method, params). The result is the Python value (`undefined` = None).
 * `seq` names the Python type of `params` for IndexError wording (XML-RPC tuple, JSON list).
 */
export function dispatchRpc(
  ctx: FrontContext,
  service: string,
  method: string,
  params: unknown[],
  seq: 'tuple' | 'list',
): unknown {
  ctx.note.service = service;
  ctx.note.method = method;
  switch (service) {
    case 'common':
      return common(ctx, method, params);
    case 'object':
      return object(ctx, method, params, seq);
    case 'db':
      return dbService(ctx, method, params);
    default:
      throw keyError(service);
  }
}
