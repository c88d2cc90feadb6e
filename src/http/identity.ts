// Per-user Odoo identity (http.per_user_odoo): every HTTP client sends its own Odoo credentials in
// X-Odoo-Login / X-Odoo-Api-Key / X-Odoo-Database and all Odoo calls of that request (or session)
// run as that user, so Odoo's access rights and record rules apply. The credentials live only in the
// services built for that request or session; they are never logged or put in an error text.
import { createHmac, randomBytes } from 'node:crypto';
import type { Config } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import type { Redactor } from '../logging/redact.js';
import { createServices, type ServerDeps } from '../mcp/server.js';
import type { OdooClient } from '../odoo/client.js';
import { AuthError } from '../odoo/errors.js';
import type { ChangeWatcher, SharedPolling } from '../services/subscriptions.js';

export const IDENTITY_HEADERS = {
  login: 'x-odoo-login',
  apiKey: 'x-odoo-api-key',
  database: 'x-odoo-database',
} as const;

export interface OdooIdentity {
  login?: string;
  apiKey: string;
  database?: string;
  /** Keyed hash of the credentials: compares identities without keeping them around. */
  fingerprint: string;
}

export class IdentityError extends Error {
  constructor(
    message: string,
    readonly status: 401 | 503 = 401,
  ) {
    super(message);
    this.name = 'IdentityError';
  }
}

export const MISSING_IDENTITY_MESSAGE =
  'This server runs every Odoo call as the calling user: send your Odoo API key in the X-Odoo-Api-Key header and your login in X-Odoo-Login (X-Odoo-Database is optional).';

// A per-process key, so that fingerprints mean nothing outside this process.
const FINGERPRINT_KEY = randomBytes(32);

function header(headers: Headers, name: string): string | undefined {
  const v = headers.get(name)?.trim();
  return v ? v : undefined;
}

/** The credentials a request carries, or undefined when it has no API key. */
export function identityFromHeaders(headers: Headers): OdooIdentity | undefined {
  const apiKey = header(headers, IDENTITY_HEADERS.apiKey);
  if (!apiKey) return undefined;
  const login = header(headers, IDENTITY_HEADERS.login);
  const database = header(headers, IDENTITY_HEADERS.database);
  const fingerprint = createHmac('sha256', FINGERPRINT_KEY)
    .update(JSON.stringify([login ?? '', apiKey, database ?? '']))
    .digest('hex');
  return { login, apiKey, database, fingerprint };
}

export interface IdentityServicesOptions {
  base: OdooClient;
  config: Config;
  logger?: Logger;
  redact?: Redactor;
  version: string;
  /** The change watcher of each identity that has one in use, by credential fingerprint. */
  watchers?: { get(key: string): ChangeWatcher | undefined; set(key: string, w: ChangeWatcher): unknown };
  /** With replicas: the identity's subscription polling, shared by the replicas that hold it. */
  sharedPolling?: (identity: OdooIdentity) => Promise<SharedPolling>;
}

/**
 * Builds the services for one identity and checks the credentials with Odoo (a login), so that a
 * wrong key is refused with a 401 before any MCP message is handled.
 */
export async function servicesForIdentity(
  identity: OdooIdentity,
  opts: IdentityServicesOptions,
  signal?: AbortSignal,
): Promise<ServerDeps> {
  const client = opts.base.forUser({
    username: identity.login,
    apiKey: identity.apiKey,
    password: undefined,
    database: identity.database ?? opts.config.database,
  });
  try {
    await client.connect({ signal });
  } catch (err) {
    if (err instanceof AuthError) {
      const needsLogin = !identity.login && /username/i.test(err.message);
      throw new IdentityError(
        needsLogin
          ? 'This Odoo is reached over XML-RPC/JSON-RPC, which needs a login: send it in the X-Odoo-Login header.'
          : 'Odoo rejected the credentials sent in X-Odoo-Login / X-Odoo-Api-Key (or X-Odoo-Database); check them.',
      );
    }
    opts.logger?.debug({ err: err instanceof Error ? err.name : 'error' }, 'Per-user Odoo login failed');
    throw new IdentityError('Odoo could not be reached to check the credentials; try again later.', 503);
  }
  // One watcher per identity however many requests, sessions and streams it has: its record
  // subscriptions of a model then cost one poll together. Only the same credentials share one.
  const watcher = opts.watchers?.get(identity.fingerprint);
  const deps = createServices(client, opts.config, {
    logger: opts.logger,
    redact: opts.redact,
    version: opts.version,
    credentials: 'caller',
    sharedPolling: watcher ? undefined : await opts.sharedPolling?.(identity),
  });
  if (watcher) deps.watcher = watcher;
  else opts.watchers?.set(identity.fingerprint, deps.watcher);
  return deps;
}
