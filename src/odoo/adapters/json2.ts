// JSON-2 (Odoo 19+): POST /json/2/<model>/<method> with a bearer API key and named arguments only.
import { AuthError, ProtocolError } from '../errors.js';
import {
  type Credentials,
  describeUnexpected,
  errorFromJson,
  type MethodCall,
  type ProtocolAdapter,
  parseJsonBody,
  type ServerVersion,
  type Session,
  versionFromInfo,
} from '../protocol.js';
import type { HttpTransport } from '../transport.js';

/**
 * Positional parameter names of the methods this server calls, as Odoo 19 declares them
 * (odoo/orm/models.py and the mail/base mixins). JSON-2 binds by name, so a positional call can
 * only be sent when its method is listed here.
 */
export const JSON2_PARAMS: Record<string, readonly string[]> = {
  search: ['domain', 'offset', 'limit', 'order'],
  search_read: ['domain', 'fields', 'offset', 'limit', 'order'],
  search_count: ['domain', 'limit'],
  search_fetch: ['domain', 'field_names', 'offset', 'limit', 'order'],
  read: ['fields', 'load'],
  fields_get: ['allfields', 'attributes'],
  create: ['vals_list'],
  write: ['vals'],
  unlink: [],
  copy: ['default'],
  copy_data: ['default'],
  name_search: ['name', 'domain', 'operator', 'limit'],
  name_create: ['name'],
  default_get: ['fields'],
  read_group: ['domain', 'fields', 'groupby', 'offset', 'limit', 'orderby', 'lazy'],
  formatted_read_group: ['domain', 'groupby', 'aggregates', 'having', 'offset', 'limit', 'order'],
  web_search_read: ['domain', 'specification', 'offset', 'limit', 'order', 'count_limit'],
  web_read: ['specification'],
  has_access: ['operation'],
  check_access_rights: ['operation', 'raise_exception'],
  check_access_rule: ['operation'],
  context_get: [],
  message_post: [],
  action_archive: [],
  action_unarchive: [],
  toggle_active: [],
  exists: [],
  get_metadata: [],
};

/** Turns positional args into JSON-2's named body, or says why it cannot. */
export function namedArguments(call: MethodCall): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (call.ids) body.ids = call.ids;
  if (call.args.length > 0) {
    const names = JSON2_PARAMS[call.method];
    if (!names) {
      throw new ProtocolError(
        `JSON-2 takes named arguments only, and the parameter names of ${call.model}.${call.method} are not known: pass its arguments in "kwargs" by name instead of "args"`,
      );
    }
    if (call.args.length > names.length) {
      throw new ProtocolError(
        `${call.model}.${call.method} takes at most ${names.length} positional argument(s) (${names.join(', ')}), got ${call.args.length}: pass them in "kwargs" by name`,
      );
    }
    call.args.forEach((value, i) => {
      body[names[i] as string] = value;
    });
  }
  for (const [k, v] of Object.entries(call.kwargs)) {
    if (v === undefined) continue;
    if (k in body && k !== 'context') {
      throw new ProtocolError(
        `${call.model}.${call.method}: argument "${k}" given both by position and by name`,
      );
    }
    body[k] = v;
  }
  // JSON-2 create takes a list; one dict becomes a list of one (the client unwraps the answer).
  if (call.method === 'create' && body.vals_list && !Array.isArray(body.vals_list))
    body.vals_list = [body.vals_list];
  if (call.context && Object.keys(call.context).length > 0) {
    body.context = { ...(body.context as Record<string, unknown> | undefined), ...call.context };
  }
  return body;
}

export class Json2Adapter implements ProtocolAdapter {
  readonly name = 'json2' as const;

  constructor(private readonly http: HttpTransport) {}

  private async post(
    creds: Credentials,
    model: string,
    method: string,
    body: unknown,
    signal?: AbortSignal,
    call?: MethodCall,
  ) {
    const path = `/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`;
    const url = `${this.http.baseUrl}${path}`;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (creds.secret) headers.authorization = `bearer ${creds.secret}`;
    if (creds.db) headers['x-odoo-database'] = creds.db;
    const res = await this.http.send({ method: 'POST', path, headers, body: JSON.stringify(body), signal });
    const isJson = /\bjson\b/i.test(res.headers['content-type'] ?? '');
    if (!isJson) {
      // Odoo < 19 answers 404 or a 303 to the login page; a wrong database name answers an HTML 404 too.
      const hint =
        res.status === 303 || res.status === 404
          ? '; this server has no JSON-2 API (Odoo 19+ only) or the database name is wrong: set "protocol" to "jsonrpc" or check "database"'
          : '';
      throw new ProtocolError(`${describeUnexpected(res, 'a JSON-2 answer', url)}${hint}`, {
        details: { httpStatus: res.status, protocol: 'json2' },
      });
    }
    const parsed = parseJsonBody(res, url, 'a JSON-2 answer');
    if (typeof parsed === 'object' && parsed !== null && 'jsonrpc' in parsed) {
      // Odoo 15 answers an unknown route of a JSON request with a JSON-RPC 404 envelope: JSON, not JSON-2.
      throw new ProtocolError(
        `Protocol error: ${url} answered HTTP ${res.status} with a JSON-RPC envelope instead of a JSON-2 answer; this server has no JSON-2 API (Odoo 19+ only): set "protocol" to "jsonrpc"`,
        { details: { httpStatus: res.status, protocol: 'json2' } },
      );
    }
    if (res.status === 200) return parsed;
    const data = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
    const err = errorFromJson(data, { code: res.status, httpStatus: res.status, protocol: 'json2', call });
    if (res.status === 401 && !(err instanceof AuthError)) {
      throw new AuthError(err.message, { details: err.details, traceback: err.traceback });
    }
    throw err;
  }

  /** GET a version route (/web/version or /json/version; both exist on 19+ only). */
  async fetchVersion(path: '/web/version' | '/json/version', signal?: AbortSignal): Promise<ServerVersion> {
    const url = `${this.http.baseUrl}${path}`;
    const res = await this.http.send({ method: 'GET', path, signal });
    if (res.status !== 200) {
      throw new ProtocolError(describeUnexpected(res, 'the version as JSON', url), {
        details: { httpStatus: res.status, protocol: 'json2' },
      });
    }
    const body = parseJsonBody(res, url, 'the version as JSON') as {
      version_info?: unknown;
      version?: unknown;
    };
    return versionFromInfo(body.version_info, body.version);
  }

  /** JSON-2 has no `common` service; /json/version is its version endpoint. */
  serverVersion(signal?: AbortSignal): Promise<ServerVersion> {
    return this.fetchVersion('/json/version', signal);
  }

  async login(creds: Credentials, signal?: AbortSignal): Promise<number> {
    try {
      const ctx = (await this.post(creds, 'res.users', 'context_get', {}, signal)) as {
        uid?: unknown;
      } | null;
      if (typeof ctx?.uid !== 'number')
        throw new ProtocolError('Protocol error: context_get did not return a uid');
      return ctx.uid;
    } catch (err) {
      if (err instanceof AuthError) {
        throw new AuthError(
          `Authentication failed: check username and api_key, and that database ${creds.db ?? '(none set)'} exists (${err.message})`,
          { details: err.details },
        );
      }
      throw err;
    }
  }

  async execute(session: Session, call: MethodCall, signal?: AbortSignal): Promise<unknown> {
    return this.post(session, call.model, call.method, namedArguments(call), signal, call);
  }
}
