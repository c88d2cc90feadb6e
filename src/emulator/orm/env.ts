// The execution environment of one call (Odoo's `self.env`): the store, the user and the context.
import type { User } from './access.js';
import { OdooException } from './api.js';
import type { Store } from './store.js';
import type { FieldDef, FieldMap, OdooVersion } from './types.js';
import { OrmError } from './types.js';

export interface Env {
  readonly store: Store;
  readonly version: OdooVersion;
  readonly user: User;
  readonly context: Readonly<Record<string, unknown>>;
  /** Per-call memo (compiled orders...), shared by the envs derived from one call. */
  readonly memo: Map<string, unknown>;
}

export function withContext(env: Env, extra: Record<string, unknown>): Env {
  return { ...env, context: { ...env.context, ...extra } };
}

/** Odoo's `active_test` context flag, true unless explicitly false. */
export function activeTest(env: Env): boolean {
  return env.context.active_test !== false;
}

export function fieldsOf(env: Env, model: string): FieldMap {
  const fields = env.store.fields(model);
  if (!fields) throw new OdooException('builtins.KeyError', `'${model}'`);
  return fields;
}

export function fieldOf(env: Env, model: string, name: string): FieldDef | undefined {
  const fields = fieldsOf(env, model);
  return Object.hasOwn(fields, name) ? fields[name] : undefined;
}

export function invalidField(model: string, name: string): OdooException {
  return new OdooException('builtins.ValueError', `Invalid field '${name}' on model '${model}'`);
}

/** The domain engine's errors use bare names for builtins ('ValueError'); Odoo prints the module. */
export function asOdooException(error: unknown): unknown {
  if (error instanceof OrmError) {
    const pyType = error.pyType.includes('.') ? error.pyType : `builtins.${error.pyType}`;
    return new OdooException(pyType, error.message);
  }
  return error;
}
