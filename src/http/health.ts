// GET /health answers as long as the process serves HTTP (no Odoo call). GET /ready says whether
// Odoo answers and the configured user can log in; the answer is cached for a few seconds so that
// probes cannot hammer Odoo. Its details (Odoo version, protocol, reason) are for authenticated
// callers only (server.ts).
import type { OdooClient } from '../odoo/client.js';
import { AuthError } from '../odoo/errors.js';
import { type SharedState, SharedStateError } from '../services/shared-state.js';

export interface Readiness {
  ready: boolean;
  body: Record<string, unknown>;
}

export interface ReadinessOptions {
  client: OdooClient;
  /** Per-user mode: no shared credential, so readiness means "Odoo answers". */
  perUser: boolean;
  /** Redis shared with other replicas: not ready while it does not answer. */
  state?: SharedState;
  cacheMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

export function healthBody(): Record<string, unknown> {
  return { status: 'ok' };
}

/**
 * What /ready tells a caller that has not authenticated: ready or not, nothing else (the Odoo
 * version, protocol and failure reason help an attacker pick an exploit).
 */
export function publicReadiness(r: Readiness): Record<string, unknown> {
  return { status: r.ready ? 'ready' : 'unavailable' };
}

export function createReadinessCheck(opts: ReadinessOptions): () => Promise<Readiness> {
  const cacheMs = opts.cacheMs ?? 5000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const now = opts.now ?? Date.now;
  let cached: { at: number; value: Promise<Readiness> } | undefined;

  const check = async (): Promise<Readiness> => {
    const signal = AbortSignal.timeout(timeoutMs);
    if (opts.state && !(await opts.state.ping())) throw new SharedStateError('readiness');
    if (opts.perUser) {
      // A client without credentials probes the server; only the missing credential may fail it.
      const probe = opts.client.forUser({});
      try {
        await probe.connect({ signal });
      } catch (err) {
        if (!(err instanceof AuthError)) throw err;
      }
      return {
        ready: true,
        body: {
          status: 'ready',
          odoo: 'reachable',
          identity: 'per-user',
          ...(opts.state ? { redis: 'ok' } : {}),
        },
      };
    }
    const info = await opts.client.connect({ signal });
    // connect() may answer from its cache: make one real (cheap) call as the user.
    await opts.client.execute('res.users', 'context_get', {}, { signal });
    return {
      ready: true,
      body: {
        status: 'ready',
        odoo: info.serverVersion,
        protocol: info.protocol,
        ...(opts.state ? { redis: 'ok' } : {}),
      },
    };
  };

  return () => {
    const t = now();
    if (cached && t - cached.at < cacheMs) return cached.value;
    const value = check().catch(
      (err: unknown): Readiness => ({
        ready: false,
        body: {
          status: 'unavailable',
          reason:
            err instanceof SharedStateError
              ? 'the shared state (Redis) is not reachable'
              : err instanceof AuthError
                ? 'Odoo refused the configured credentials'
                : `Odoo is not reachable (${err instanceof Error ? err.name : 'error'})`,
        },
      }),
    );
    cached = { at: t, value };
    return value;
  };
}
