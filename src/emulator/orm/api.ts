// The seam between the emulator's ORM (store, models, access rules) and its wire front ends
// (XML-RPC, JSON-RPC, JSON-2). Front ends turn requests into OrmCall and exceptions into
// each protocol's error encoding; the ORM never sees HTTP.
import type { OdooVersion } from './types.js';

/** An exception as Odoo would raise it: the Python class path and the message. */
export class OdooException extends Error {
  constructor(
    /** Fully qualified Python class, e.g. 'odoo.exceptions.AccessError', 'builtins.ValueError'. */
    public readonly pyType: string,
    message: string,
    /** Odoo's `arguments` (usually [message]). */
    public readonly args: unknown[] = [message],
  ) {
    super(message);
    this.name = 'OdooException';
  }
}

/**
 * One call of a model method. XML-RPC and JSON-RPC give positional `args` (+ `kwargs`);
 * JSON-2 gives `ids` and named `params` only. The ORM binds either form against the method's
 * signature and raises Odoo's TypeError / UnprocessableEntity wording when they do not fit.
 */
export interface OrmCall {
  uid: number;
  model: string;
  method: string;
  style: 'positional' | 'named';
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  ids?: number[];
  params?: Record<string, unknown>;
  context?: Record<string, unknown>;
}

/** A result; `undefined` means the Python method returned None. */
export type OrmResult = unknown;

export interface Orm {
  readonly version: OdooVersion;
  readonly database: string;
  /** common.authenticate / login: the uid, or false for bad credentials (password or API key). */
  authenticate(db: string, login: string, secret: string): number | false;
  /** The uid owning an API key (JSON-2 bearer), or undefined. */
  uidForApiKey(key: string): number | undefined;
  /** execute_kw's (uid, password-or-key) pair; false means Odoo's AccessDenied. */
  checkUid(uid: number, secret: string): boolean;
  /** execute_kw after the uid/secret pair was checked by the front end. */
  call(call: OrmCall): OrmResult;
  /** Restore the seed data. */
  reset(): void;
}
