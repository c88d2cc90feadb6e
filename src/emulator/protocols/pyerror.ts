// Python exceptions as Odoo's RPC layers put them on the wire: the class path, str(exc), args, the
// traceback text, and the per-protocol classification (XML-RPC fault codes, JSON-2 statuses).
// Tracebacks keep the corpus' skeleton form (header, chained-exception separators, exception
// lines): clients parse the last line, and a made-up frame list would only pretend.
import { OdooException } from '../orm/api.js';

export interface PyError {
  /** Fully qualified class, e.g. 'odoo.exceptions.AccessError', 'builtins.ValueError'. */
  type: string;
  /** Python's exc.args. */
  args: unknown[];
  /** str(exc) as the JSON payloads show it (werkzeug: the description only). */
  message: string;
  /** The text after "Type: " on the traceback's last line, when it differs from `message`. */
  traceText?: string;
  /** The exception this one was raised from (`from` = explicit cause) or while handling. */
  cause?: { error: PyError; explicit: boolean };
  /** AccessDenied suppresses its traceback: only the exception line is printed. */
  noTraceback?: boolean;
  /** HTTP status of werkzeug exceptions. */
  httpStatus?: number;
}

const HTTP_NAMES: Record<number, [string, string]> = {
  400: ['BadRequest', 'Bad Request'],
  401: ['Unauthorized', 'Unauthorized'],
  403: ['Forbidden', 'Forbidden'],
  404: ['NotFound', 'Not Found'],
  405: ['MethodNotAllowed', 'Method Not Allowed'],
  415: ['UnsupportedMediaType', 'Unsupported Media Type'],
  422: ['UnprocessableEntity', 'Unprocessable Entity'],
  500: ['InternalServerError', 'Internal Server Error'],
};

export function httpReason(status: number): string {
  return HTTP_NAMES[status]?.[1] ?? 'Error';
}

export function pyError(type: string, message: string, extra: Partial<PyError> = {}): PyError {
  return { type, args: [message], message, ...extra };
}

/** A werkzeug HTTPException as Odoo 19's JSON-2 serialises it: args = [description, code]. */
export function httpError(status: number, description: string, cause?: PyError, explicit = true): PyError {
  const [cls, reason] = HTTP_NAMES[status] ?? ['HTTPException', 'Error'];
  return {
    type: `werkzeug.exceptions.${cls}`,
    args: [description, status],
    message: description,
    traceText: `${status} ${reason}: ${description}`,
    httpStatus: status,
    ...(cause ? { cause: { error: cause, explicit } } : {}),
  };
}

/** Python's repr() of a str. */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** Python's "'a', 'b', and 'c'" list of parameter names in TypeError messages. */
export function pyNameList(names: readonly string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length <= 2) return q.join(' and ');
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

/** KeyError('x') prints as 'x' (the repr), every other exception as its message. */
export function keyError(key: string): PyError {
  return { type: 'builtins.KeyError', args: [key], message: pyRepr(key) };
}

/** Turns whatever the ORM (or a front end) threw into a PyError. */
export function fromThrown(err: unknown): PyError {
  if (err instanceof OdooException) {
    const e: PyError = { type: err.pyType, args: err.args, message: err.message };
    if (err.pyType === 'builtins.KeyError' && err.args.length === 1 && typeof err.args[0] === 'string') {
      e.message = pyRepr(err.args[0]);
    }
    if (err.pyType === 'odoo.exceptions.AccessDenied') e.noTraceback = true;
    if (err.cause !== undefined) e.cause = { error: fromThrown(err.cause), explicit: false };
    return e;
  }
  if (isPyError(err)) return err;
  // A bug in the emulator itself: answer like Odoo answers an unexpected server error.
  const message = err instanceof Error ? err.message : String(err);
  return pyError('builtins.Exception', message);
}

export function isPyError(v: unknown): v is PyError {
  return typeof v === 'object' && v !== null && 'type' in v && 'args' in v && 'message' in v;
}

/** The class name as a traceback prints it: builtins are bare. */
export function tracebackName(type: string): string {
  return type.startsWith('builtins.') ? type.slice('builtins.'.length) : type;
}

function exceptionLine(e: PyError): string {
  const text = e.traceText ?? e.message;
  return text === '' ? `${tracebackName(e.type)}\n` : `${tracebackName(e.type)}: ${text}\n`;
}

/** traceback.format_exception(e), reduced to the skeleton the corpus records. */
export function formatTraceback(e: PyError): string {
  if (e.noTraceback) return exceptionLine(e);
  let out = '';
  if (e.cause) {
    out += formatTraceback(e.cause.error);
    out += e.cause.explicit
      ? '\nThe above exception was the direct cause of the following exception:\n\n'
      : '\nDuring handling of the above exception, another exception occurred:\n\n';
  }
  return `${out}Traceback (most recent call last):\n${exceptionLine(e)}`;
}

/** odoo.http.serialize_exception: the `data` of JSON-RPC errors and the body of JSON-2 errors. */
export function serializeException(e: PyError): Record<string, unknown> {
  return {
    name: e.type,
    message: e.message,
    arguments: e.args,
    context: {},
    debug: formatTraceback(e),
  };
}

const USER_ERRORS = new Set([
  'odoo.exceptions.UserError',
  'odoo.exceptions.ValidationError',
  'odoo.exceptions.MissingError',
  'odoo.exceptions.AccessError',
  'odoo.exceptions.AccessDenied',
  'odoo.exceptions.LockError',
]);

/** Odoo's UserError subclasses (the classes whose message is shown without a traceback). */
export function isUserError(type: string): boolean {
  return USER_ERRORS.has(type);
}

/** xmlrpc_handle_exception_int of /xmlrpc/2: 2 warning, 3 AccessDenied, 4 AccessError, 1 the rest. */
export function xmlrpcFaultInt(e: PyError): { faultCode: number; faultString: string } {
  if (e.type === 'odoo.exceptions.RedirectWarning') return { faultCode: 2, faultString: e.message };
  if (e.type === 'odoo.exceptions.AccessError') return { faultCode: 4, faultString: e.message };
  if (e.type === 'odoo.exceptions.AccessDenied') return { faultCode: 3, faultString: e.message };
  if (isUserError(e.type)) return { faultCode: 2, faultString: e.message };
  return { faultCode: 1, faultString: formatTraceback(e) };
}

/** xmlrpc_handle_exception_string of the legacy /xmlrpc routes: the code is a string. */
export function xmlrpcFaultString(e: PyError): { faultCode: string; faultString: string } {
  if (e.type === 'odoo.exceptions.RedirectWarning')
    return { faultCode: `warning -- Warning\n\n${e.message}`, faultString: '' };
  if (e.type === 'odoo.exceptions.MissingError')
    return { faultCode: `warning -- MissingError\n\n${e.message}`, faultString: '' };
  if (e.type === 'odoo.exceptions.AccessError')
    return { faultCode: `warning -- AccessError\n\n${e.message}`, faultString: '' };
  if (e.type === 'odoo.exceptions.AccessDenied') return { faultCode: 'AccessDenied', faultString: e.message };
  if (isUserError(e.type)) return { faultCode: `warning -- UserError\n\n${e.message}`, faultString: '' };
  return { faultCode: e.message, faultString: formatTraceback(e) };
}

/** JSON-2 status: werkzeug's own code, UserError.http_status, 500 for the rest. */
export function json2Status(e: PyError): number {
  if (e.httpStatus !== undefined) return e.httpStatus;
  switch (e.type) {
    case 'odoo.exceptions.AccessError':
    case 'odoo.exceptions.AccessDenied':
      return 403;
    case 'odoo.exceptions.MissingError':
      return 404;
    default:
      return isUserError(e.type) ? 422 : 500;
  }
}
