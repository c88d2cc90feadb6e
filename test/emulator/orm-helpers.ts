// Small helpers for the ORM's focused tests: positional (execute_kw) and named (JSON-2) calls,
// and the exception a call raises.
import {
  createOrm,
  type EmulatedOrm,
  OdooException,
  type OdooVersion,
} from '../../src/emulator/orm/index.js';

/** Users of the recorded databases: apiuser/apiportal moved down one id in 19.0. */
export function uids(version: OdooVersion): { admin: number; apiuser: number; apiportal: number } {
  return version === '19.0' ? { admin: 2, apiuser: 7, apiportal: 8 } : { admin: 2, apiuser: 8, apiportal: 9 };
}

export const FIXED_NOW = new Date('2026-01-15T10:20:30Z');

export function makeOrm(version: OdooVersion): EmulatedOrm {
  return createOrm({ version, now: () => FIXED_NOW });
}

export function call(
  orm: EmulatedOrm,
  model: string,
  method: string,
  args: unknown[] = [],
  kwargs: Record<string, unknown> = {},
  uid = 2,
): unknown {
  return orm.call({ uid, model, method, style: 'positional', args, kwargs });
}

export function named(
  orm: EmulatedOrm,
  model: string,
  method: string,
  params: Record<string, unknown> = {},
  ids?: unknown,
  uid = 2,
): unknown {
  return orm.call({ uid, model, method, style: 'named', ids: ids as number[], params });
}

/** The exception `fn` raises, as [python class, message]. */
export function raised(fn: () => unknown): [string, string] {
  try {
    fn();
  } catch (error) {
    if (error instanceof OdooException) return [error.pyType, error.message];
    throw error;
  }
  throw new Error('expected an OdooException');
}
