// What the operator allows: model allow/deny globs, read-only mode, call_method rules. Every tool,
// resource and completion asks here before it touches Odoo.
import type { Config } from '../config/schema.js';

/** Glob with `*` (any run of characters, dots included) and `?` (one character). */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

export class AccessPolicy {
  private readonly allow: RegExp[];
  private readonly deny: RegExp[];
  private readonly methodAllow?: RegExp[];
  readonly readOnly: boolean;

  constructor(config: Pick<Config, 'models' | 'call_method' | 'read_only'>) {
    this.allow = config.models.allow.map(globToRegExp);
    this.deny = config.models.deny.map(globToRegExp);
    this.methodAllow = config.call_method.allow?.map(globToRegExp);
    this.readOnly = config.read_only;
  }

  modelAllowed(model: string): boolean {
    if (this.deny.some((re) => re.test(model))) return false;
    return this.allow.length === 0 || this.allow.some((re) => re.test(model));
  }

  assertModel(model: string): void {
    if (!this.modelAllowed(model)) {
      throw new PolicyError(
        `Model "${model}" is not available through this server (blocked by the models.allow / models.deny configuration). Use list_models to see the models you may use.`,
      );
    }
  }

  /** Private methods are refused outright; an allow-list, when set, must name the method. */
  assertMethod(model: string, method: string): void {
    this.assertModel(model);
    if (method.startsWith('_')) {
      throw new PolicyError(
        `Method "${method}" is private (leading underscore) and cannot be called remotely. Call a public method instead.`,
      );
    }
    if (this.methodAllow && !this.methodAllow.some((re) => re.test(`${model}.${method}`))) {
      throw new PolicyError(
        `Method "${model}.${method}" is not in this server's call_method.allow list. Use the dedicated tools (create_records, update_records, ...) or ask the operator to allow it.`,
      );
    }
  }
}
