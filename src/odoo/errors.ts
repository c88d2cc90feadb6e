// One error taxonomy for everything that can go wrong talking to Odoo. Each error keeps Odoo's own
// exception name, message and arguments (never flattened to a string), a short message for people
// and models, and the traceback only for debug logs.

export interface OdooErrorDetails {
  /** Odoo's Python exception class, e.g. 'odoo.exceptions.AccessError'. */
  exceptionName?: string;
  /** Odoo's message, unchanged. */
  odooMessage?: string;
  /** Odoo's `arguments`. */
  arguments?: unknown[];
  /** XML-RPC faultCode, JSON-RPC error.code or the HTTP status, as the wire gave it. */
  code?: number | string;
  httpStatus?: number;
  protocol?: 'xmlrpc' | 'jsonrpc' | 'json2' | 'http';
  model?: string;
  method?: string;
}

export interface OdooErrorOptions {
  details?: OdooErrorDetails;
  cause?: unknown;
  /** The server traceback: for debug logs only, never shown to a model. */
  traceback?: string;
}

export class OdooError extends Error {
  readonly details: OdooErrorDetails;
  readonly traceback?: string;
  /** Whether the call may be sent again unchanged (connection-level, the server did not run it). */
  readonly retryable: boolean = false;

  constructor(message: string, opts: OdooErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.details = opts.details ?? {};
    this.traceback = opts.traceback;
  }
}

/** Login failed, the key was refused, the session expired, or the database does not exist. */
export class AuthError extends OdooError {}
/** JSON-RPC code 100: the web session is gone; a new login fixes it. */
export class SessionExpiredError extends AuthError {}
/** Odoo's AccessError: ACLs or record rules forbid the operation. */
export class AccessError extends OdooError {}
/** Odoo's MissingError: the records do not exist (or were deleted). */
export class MissingError extends OdooError {}
/** Odoo's ValidationError and UserError: the data or the business rule was refused. */
export class ValidationError extends OdooError {}
/** Odoo raised anything else (ValueError, TypeError, a database error...). */
export class OdooServerError extends OdooError {}
/** The model is not installed on this database. */
export class UnknownModelError extends OdooServerError {}
/** The model has no such public method. */
export class UnknownMethodError extends OdooServerError {}

export type NetworkErrorKind = 'refused' | 'dns' | 'timeout' | 'reset' | 'unavailable' | 'other';

/** Odoo could not be reached, or the connection broke, or a proxy answered 502/503/504. */
export class NetworkError extends OdooError {
  override readonly retryable: boolean;
  constructor(
    message: string,
    readonly kind: NetworkErrorKind,
    opts: OdooErrorOptions = {},
  ) {
    super(message, opts);
    // A timeout may have reached Odoo and run there; only sure-not-delivered failures are retryable.
    this.retryable = kind === 'refused' || kind === 'dns' || kind === 'reset' || kind === 'unavailable';
  }
}

/** The client cancelled the request before this call was sent: Odoo never saw it. */
export class CancelledError extends OdooError {}

/** The answer was not what the protocol promises: HTML, a malformed body, an unknown endpoint. */
export class ProtocolError extends OdooError {}

/** When a call that was sent left: our clock, and Odoo's as its last answer gave it. */
export interface SentAt {
  local: number;
  odoo?: number;
}

/**
 * A call that may change data was sent, and then failed in a way that does not say whether Odoo ran
 * it: the answer was cut, truncated, timed out or replaced by a proxy's error page. Sending it
 * again could apply it twice.
 */
export class OutcomeUnknownError extends OdooError {
  constructor(
    readonly failure: OdooError,
    readonly sentAt: SentAt,
    /** The Odoo user the call ran as. */
    readonly uid: number,
    details: OdooErrorDetails,
  ) {
    super(`the call reached Odoo's address but its answer was lost (${failure.message})`, {
      details: { ...failure.details, ...details },
      cause: failure,
    });
  }
}

/** Whether a failure of a sent call leaves open that Odoo ran it. */
export function mayHaveRun(err: unknown): err is NetworkError | ProtocolError {
  // Refused and unresolved connections never carried the request; an Odoo error answer means the
  // transaction was rolled back. Everything else broke after the request may have arrived.
  if (err instanceof NetworkError) return err.kind !== 'refused' && err.kind !== 'dns';
  return err instanceof ProtocolError;
}

const MISSING_RE = /^Record does not exist or has been deleted/;
const UNKNOWN_MODEL_RE = [/^Object (\S+) doesn't exist/, /^the model '([^']+)' does not exist/];
const UNKNOWN_METHOD_RE = [
  /^The method '([^']+)' does not exist/,
  /^The method '([^']+)' does not exist on the model '([^']+)'/,
];
/** 15 and 16 raise Python's own AttributeError on the model class. */
const NO_ATTRIBUTE_RE = /^type object '([^']+)' has no attribute '([^']+)'/;

/** Builds the right error class from Odoo's exception name and message. */
export function fromOdooException(
  exceptionName: string,
  message: string,
  opts: OdooErrorOptions & { details?: OdooErrorDetails } = {},
): OdooError {
  const details: OdooErrorDetails = { ...opts.details, exceptionName, odooMessage: message };
  const o = { ...opts, details };
  const short = message.split('\n')[0] ?? message;
  if (UNKNOWN_MODEL_RE.some((re) => re.test(message))) return new UnknownModelError(short, o);
  if (UNKNOWN_METHOD_RE.some((re) => re.test(message)) && /AttributeError|NotFound/.test(exceptionName))
    return new UnknownMethodError(short, o);
  const missingAttr = NO_ATTRIBUTE_RE.exec(message);
  // Only when it names the called method: a method's own code can raise the same error.
  if (
    missingAttr &&
    exceptionName.endsWith('AttributeError') &&
    (!details.method || missingAttr[2] === details.method)
  )
    return new UnknownMethodError(short, o);
  switch (exceptionName) {
    case 'odoo.exceptions.AccessDenied':
    case 'werkzeug.exceptions.Unauthorized':
      return new AuthError(message, o);
    case 'odoo.http.SessionExpiredException':
      return new SessionExpiredError(message, o);
    case 'odoo.exceptions.AccessError':
      return new AccessError(message, o);
    case 'odoo.exceptions.MissingError':
      return new MissingError(message, o);
    case 'odoo.exceptions.ValidationError':
    case 'odoo.exceptions.UserError':
    case 'odoo.exceptions.RedirectWarning':
    case 'odoo.exceptions.Warning':
      return MISSING_RE.test(message) ? new MissingError(message, o) : new ValidationError(message, o);
    case 'psycopg2.OperationalError':
      if (/database "[^"]*" does not exist/.test(message)) return new AuthError(message, o);
      return new OdooServerError(message, o);
    default:
      return new OdooServerError(message, o);
  }
}

/** Python exception class in the last exception line of a traceback, and its message. */
export function parseTraceback(text: string): { name: string; message: string } | undefined {
  const lines = text.trimEnd().split('\n');
  // The last "Type: message" line is the exception that escaped; earlier ones are its causes.
  for (let i = lines.length - 1; i >= 0; i--) {
    const m =
      /^([A-Za-z_][\w.]*(?:Error|Exception|Warning|Denied|Fault|Exit|Interrupt)|[a-z_][\w.]*\.[A-Z]\w*):\s?(.*)$/.exec(
        lines[i] ?? '',
      );
    if (m) {
      const message = [m[2] ?? '', ...lines.slice(i + 1)].join('\n').trim();
      const raw = m[1] ?? 'Exception';
      return { name: raw.includes('.') ? raw : `builtins.${raw}`, message };
    }
  }
  return undefined;
}
