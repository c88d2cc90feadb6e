// JSON-2 (Odoo 19): POST /json/2/<model>/<method>, bearer API key, X-Odoo-Database, named
// arguments in a JSON object body. Errors are bare serialized exceptions with an HTTP status per
// class; the database and media-type checks happen before the dispatcher and answer HTML.
import {
  type FrontContext,
  header,
  jsonResponse,
  mimetype,
  noDatabaseNotFound,
  unsupportedMediaType,
  type WireRequest,
  type WireResponse,
} from './http.js';
import {
  fromThrown,
  httpError,
  json2Status,
  keyError,
  type PyError,
  pyError,
  serializeException,
} from './pyerror.js';
import { PyJsonDecodeError, pyJsonLoads } from './pyjson.js';

const BEARER = /^bearer\s+(\S+)\s*$/i;
const UNKNOWN_MODEL = /^Object (.+) doesn't exist$/;
const UNKNOWN_METHOD = /^The method '.+' does not exist$/;

function errorResponse(e: PyError): WireResponse {
  const status = json2Status(e);
  const headers: Record<string, string> = status === 401 ? { 'www-authenticate': 'Bearer ' } : {};
  return jsonResponse(status, serializeException(e), headers);
}

/**
 * The ORM speaks execute_kw's language; JSON-2 looks the model and the method up itself first and
 * answers 404 NotFound where execute_kw raises UserError / AttributeError.
 */
function asJson2Error(e: PyError): PyError {
  if (e.type === 'odoo.exceptions.UserError') {
    const m = UNKNOWN_MODEL.exec(e.message);
    if (m) return httpError(404, `the model '${m[1]}' does not exist`, keyError(m[1] ?? ''));
  }
  if (e.type === 'builtins.AttributeError' && UNKNOWN_METHOD.test(e.message)) {
    return httpError(404, e.message, e);
  }
  if (e.type.startsWith('werkzeug.exceptions.') && e.httpStatus === undefined) {
    const status = /UnprocessableEntity$/.test(e.type)
      ? 422
      : /NotFound$/.test(e.type)
        ? 404
        : /BadRequest$/.test(e.type)
          ? 400
          : /Unauthorized$/.test(e.type)
            ? 401
            : /Forbidden$/.test(e.type)
              ? 403
              : 500;
    return httpError(status, e.message, e.cause?.error, e.cause?.explicit ?? false);
  }
  return e;
}

export function handleJson2(
  ctx: FrontContext,
  req: WireRequest,
  model: string,
  method: string,
): WireResponse {
  const { orm, note } = ctx;
  note.protocol = 'json2';
  note.model = model;
  note.modelMethod = method;

  const db = header(req, 'x-odoo-database');
  if (db !== undefined && db !== orm.database) return noDatabaseNotFound();

  if (mimetype(req) !== 'application/json') {
    return unsupportedMediaType(
      req.method === 'GET' ? '/json/2' : '/json/2/<__model__>/<__method__>',
      'json2',
    );
  }

  const auth = header(req, 'authorization');
  if (!auth) {
    return errorResponse(
      httpError(401, 'User not authenticated, use an API Key with a Bearer Authorization header.'),
    );
  }
  const key = BEARER.exec(auth)?.[1];
  const uid = key === undefined ? undefined : orm.uidForApiKey(key);
  if (uid === undefined) return errorResponse(httpError(401, 'Invalid apikey'));

  let params: Record<string, unknown> = {};
  if (req.body.length > 0) {
    let parsed: unknown;
    try {
      parsed = pyJsonLoads(req.body.toString('utf8'));
    } catch (err) {
      if (!(err instanceof PyJsonDecodeError)) throw err;
      const cause = pyError('json.decoder.JSONDecodeError', err.message);
      return errorResponse(httpError(400, `could not parse the body as json: ${err.message}`, cause));
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      const cause = pyError('builtins.TypeError', "'list' object is not a mapping");
      return errorResponse(httpError(400, 'could not parse the body, expecting a json object', cause));
    }
    params = { ...(parsed as Record<string, unknown>) };
  }

  if (req.method !== 'POST') {
    return errorResponse(httpError(405, 'The method is not allowed for the requested URL.'));
  }

  const { ids, context, ...named } = params;
  try {
    const result = orm.call({
      uid,
      model,
      method,
      style: 'named',
      // Passed as sent: the ORM reproduces what Odoo does with ids that are not a list of ints.
      ids: (ids ?? []) as number[],
      params: named,
      context: (context ?? {}) as Record<string, unknown>,
    });
    return jsonResponse(200, result === undefined ? null : result);
  } catch (err) {
    return errorResponse(asJson2Error(fromThrown(err)));
  }
}
