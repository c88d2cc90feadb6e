// JSON-RPC routes (type='json' up to 18, 'jsonrpc' from 19): POST /jsonrpc and the web client's
// JSON routes. Application errors travel inside an HTTP 200 envelope; a body that is not JSON is
// a bare HTTP 400, as odoo.http's JsonRPCDispatcher answers it.
import { rpcVersionInfo } from '../version.js';
import {
  type FrontContext,
  HTML_TYPE,
  mimetype,
  sessionCookie,
  unsupportedMediaType,
  type WireRequest,
  type WireResponse,
} from './http.js';
import { fromThrown, type PyError, pyError, pyNameList, pyRepr, serializeException } from './pyerror.js';
import { pyJsonDumps, pyJsonLoads } from './pyjson.js';
import { dispatchRpc } from './rpc.js';

export interface JsonRoute {
  /** The route rule, as werkzeug's 415 page names it. */
  rule: string;
  /** Python qualname of the endpoint, for TypeError wording. */
  qualname: string;
  /** Keyword parameters of the endpoint and how many are required. */
  params: string[];
  required: number;
  /** Routes with save_session (the default) hand out a session cookie. */
  setsSession: boolean;
  run(ctx: FrontContext, kwargs: Record<string, unknown>): unknown;
}

export const JSONRPC_ROUTE: JsonRoute = {
  rule: '/jsonrpc',
  qualname: 'RPC.jsonrpc',
  params: ['service', 'method', 'args'],
  required: 3,
  setsSession: false,
  run(ctx, kw) {
    const args = kw.args;
    if (!Array.isArray(args)) {
      throw pyError(
        'builtins.TypeError',
        `'${args === null ? 'NoneType' : typeof args}' object is not a list`,
      );
    }
    ctx.note.protocol = 'jsonrpc';
    return dispatchRpc(ctx, String(kw.service), String(kw.method), args, 'list');
  },
};

export const VERSION_INFO_ROUTE: JsonRoute = {
  rule: '/web/webclient/version_info',
  qualname: 'WebClient.version_info',
  params: [],
  required: 0,
  setsSession: true,
  run(ctx) {
    ctx.note.method = 'version_info';
    return rpcVersionInfo(ctx.profile);
  },
};

/** The error object of the envelope; NotFound and SessionExpired get their own codes. */
export function jsonRpcError(ctx: FrontContext, e: PyError): Record<string, unknown> {
  let code = ctx.profile.jsonRpcErrorCode;
  let message = 'Odoo Server Error';
  if (e.type === 'werkzeug.exceptions.NotFound') {
    code = 404;
    message = '404: Not Found';
  } else if (e.type === 'odoo.http.SessionExpiredException') {
    code = 100;
    message = 'Odoo Session Expired';
  }
  return { code, message, data: serializeException(e) };
}

function envelope(
  ctx: FrontContext,
  id: unknown,
  body: { result?: unknown; error?: unknown },
  cookie: boolean,
  status = 200,
): WireResponse {
  const out: Record<string, unknown> = { jsonrpc: '2.0', id: id ?? null };
  if (body.error !== undefined) out.error = body.error;
  // Python None is left out of the envelope altogether.
  if (body.result !== undefined && body.result !== null) out.result = body.result;
  const headers: Record<string, string> = { 'content-type': ctx.profile.jsonContentType };
  if (cookie) headers['set-cookie'] = sessionCookie();
  return { status, headers, body: pyJsonDumps(out) };
}

/** The request id of a JSON-RPC body, read leniently (for answers produced before dispatch). */
export function jsonRpcRequestId(body: Buffer): unknown {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>).id
      : undefined;
  } catch {
    return undefined;
  }
}

/** The answer of an auth='user' JSON route once the session is gone. */
export function sessionExpired(ctx: FrontContext, id: unknown): WireResponse {
  const e = pyError('odoo.http.SessionExpiredException', 'Session expired');
  return envelope(ctx, id, { error: jsonRpcError(ctx, e) }, false);
}

const NOT_FOUND_DESCRIPTION =
  'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';

/**
 * 15.0: a JSON request to a path no route serves. odoo.http made it a JsonRequest from its
 * Content-Type before routing, so werkzeug's NotFound comes back in a JSON-RPC envelope, with the
 * HTTP status also inside the error object, and the session saved.
 */
export function jsonRequestNotFound(ctx: FrontContext, req: WireRequest): WireResponse {
  const e: PyError = {
    type: 'werkzeug.exceptions.NotFound',
    args: [],
    message: `404 Not Found: ${NOT_FOUND_DESCRIPTION}`,
    cause: { error: pyError('builtins.Exception', ''), explicit: true },
  };
  const error = { ...jsonRpcError(ctx, e), http_status: 404 };
  return envelope(ctx, jsonRpcRequestId(req.body), { error }, true, 404);
}

/** werkzeug < 2's BadRequest page (15.0), whose escape() leaves single quotes alone. */
function legacyBadRequest(description: string): WireResponse {
  const text = description
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
  return {
    status: 400,
    headers: { 'content-type': HTML_TYPE },
    body: `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>${text}</p>\n`,
  };
}

function bindKeywords(route: JsonRoute, params: Record<string, unknown>): void {
  for (const key of Object.keys(params)) {
    if (!route.params.includes(key)) {
      throw pyError('builtins.TypeError', `${route.qualname}() got an unexpected keyword argument '${key}'`);
    }
  }
  const missing = route.params.slice(0, route.required).filter((p) => !(p in params));
  if (missing.length) {
    const word = missing.length === 1 ? 'argument' : 'arguments';
    throw pyError(
      'builtins.TypeError',
      `${route.qualname}() missing ${missing.length} required positional ${word}: ${pyNameList(missing)}`,
    );
  }
}

export function handleJsonRoute(ctx: FrontContext, req: WireRequest, route: JsonRoute): WireResponse {
  ctx.note.protocol = 'jsonrpc';
  const type = mimetype(req);
  if (type !== 'application/json' && type !== 'application/json-rpc') {
    return unsupportedMediaType(route.rule, ctx.profile.jsonRouteType);
  }
  let request: unknown;
  const text = req.body.toString('utf8');
  try {
    request = pyJsonLoads(text);
  } catch {
    // 15's JsonRequest raised werkzeug's BadRequest with the body's repr; 16 answers the bare text.
    if (ctx.profile.jsonRequestByMimetype) return legacyBadRequest(`Invalid JSON data: ${pyRepr(text)}`);
    return { status: 400, headers: { 'content-type': HTML_TYPE }, body: 'Invalid JSON data' };
  }
  let id: unknown;
  try {
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      const kind = Array.isArray(request) ? 'list' : request === null ? 'NoneType' : typeof request;
      throw pyError('builtins.AttributeError', `'${kind}' object has no attribute 'get'`);
    }
    const body = request as Record<string, unknown>;
    id = body.id;
    const params = body.params ?? {};
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw pyError('builtins.TypeError', "'list' object is not a mapping");
    }
    bindKeywords(route, params as Record<string, unknown>);
    const result = route.run(ctx, params as Record<string, unknown>);
    return envelope(ctx, id, { result }, route.setsSession);
  } catch (err) {
    return envelope(ctx, id, { error: jsonRpcError(ctx, fromThrown(err)) }, false);
  }
}
