// The shape every protocol adapter fills, and the response checks they share.
import { fromOdooException, ProtocolError } from './errors.js';
import type { HttpResponse } from './transport.js';

export type ProtocolName = 'xmlrpc' | 'jsonrpc' | 'json2';

export interface Credentials {
  db?: string;
  login?: string;
  secret: string;
}

export interface Session extends Credentials {
  uid: number;
}

/** A model method call in protocol-free form; `ids` is set for record methods. */
export interface MethodCall {
  model: string;
  method: string;
  ids?: number[];
  args: unknown[];
  kwargs: Record<string, unknown>;
  context?: Record<string, unknown>;
}

export interface ServerVersion {
  /** e.g. '19.0', 'saas~18.4' */
  version: string;
  major: number;
  info: unknown[];
}

export interface ProtocolAdapter {
  readonly name: ProtocolName;
  serverVersion(signal?: AbortSignal): Promise<ServerVersion>;
  /** The uid for these credentials; AuthError when refused. */
  login(creds: Credentials, signal?: AbortSignal): Promise<number>;
  /** Runs the call; `null` for a method that returned None. */
  execute(session: Session, call: MethodCall, signal?: AbortSignal): Promise<unknown>;
}

export function versionFromInfo(info: unknown, version: unknown): ServerVersion {
  const list = Array.isArray(info) ? info : [];
  const first = list[0];
  let major = typeof first === 'number' ? first : Number.NaN;
  if (Number.isNaN(major) && typeof version === 'string') {
    // saas~18.4 and similar
    const m = /(\d+)\.\d+/.exec(version);
    major = m ? Number(m[1]) : Number.NaN;
  }
  if (Number.isNaN(major))
    throw new ProtocolError('Protocol error: the server did not report an Odoo version');
  return { version: typeof version === 'string' ? version : String(major), major, info: list };
}

function isJsonType(res: HttpResponse): boolean {
  return /\bjson\b/i.test(res.headers['content-type'] ?? '');
}

function isHtml(res: HttpResponse): boolean {
  return /html/i.test(res.headers['content-type'] ?? '') || /^\s*<(!doctype|html)/i.test(res.body);
}

/** Describes an unexpected answer in one line, without dumping the body. */
export function describeUnexpected(res: HttpResponse, expected: string, url: string): string {
  const what = isHtml(res)
    ? 'an HTML page'
    : res.body.trim() === ''
      ? 'an empty body'
      : `a body of type ${res.headers['content-type'] ?? 'unknown'}`;
  const location = res.headers.location ? ` redirecting to ${res.headers.location}` : '';
  return `Protocol error: ${url} answered HTTP ${res.status} with ${what}${location} instead of ${expected}`;
}

/** Parses a JSON answer, or throws a ProtocolError that says what came instead. */
export function parseJsonBody(res: HttpResponse, url: string, expected: string): unknown {
  if (!isJsonType(res) && (isHtml(res) || res.body.trim() === '')) {
    throw new ProtocolError(describeUnexpected(res, expected, url), {
      details: { httpStatus: res.status },
    });
  }
  try {
    return JSON.parse(res.body);
  } catch (err) {
    throw new ProtocolError(`Protocol error: ${url} answered with malformed JSON (HTTP ${res.status})`, {
      cause: err,
      details: { httpStatus: res.status },
    });
  }
}

/** Odoo's JSON error object {name, message, arguments, debug} to our error class. */
export function errorFromJson(
  data: Record<string, unknown>,
  extra: { code?: number | string; httpStatus?: number; protocol: ProtocolName; call?: MethodCall },
) {
  const name = typeof data.name === 'string' ? data.name : 'odoo.exceptions.UserError';
  const message = typeof data.message === 'string' ? data.message : 'Odoo Server Error';
  return fromOdooException(name, message, {
    traceback: typeof data.debug === 'string' ? data.debug : undefined,
    details: {
      arguments: Array.isArray(data.arguments) ? data.arguments : undefined,
      code: extra.code,
      httpStatus: extra.httpStatus,
      protocol: extra.protocol,
      model: extra.call?.model,
      method: extra.call?.method,
    },
  });
}

/** execute_kw's positional form: ids first for record methods, context inside kwargs. */
export function positionalForm(call: MethodCall): { args: unknown[]; kwargs: Record<string, unknown> } {
  const args = call.ids ? [call.ids, ...call.args] : call.args;
  const kwargs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(call.kwargs)) if (v !== undefined) kwargs[k] = v;
  if (call.context && Object.keys(call.context).length > 0) {
    kwargs.context = { ...(kwargs.context as Record<string, unknown> | undefined), ...call.context };
  }
  return { args, kwargs };
}
