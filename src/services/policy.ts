// What the operator allows: model allow/deny globs, read-only mode, call_method rules. Every tool,
// resource and completion asks here before it touches Odoo; policy-paths.ts applies the same
// model rule to every model a request reaches through relations.
import { type Config, DEFAULT_DENIED_MODELS } from '../config/schema.js';

/**
 * Glob with `*` (any run of characters) and `?` (one character). Both span dots unless
 * `spanDots` is false, as models.allow's "res.*" covers res.partner.category.
 */
export function globToRegExp(glob: string, spanDots = true): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, spanDots ? '.*' : '[^.]*')
    .replace(/\?/g, spanDots ? '.' : '[^.]');
  return new RegExp(`^${body}$`);
}

/**
 * One call_method.allow pattern, split at its last dot: the model glob before it (`*` spans dots,
 * as in models.allow) and the method glob after it (`*` never spans a dot). "sale.order.*" is
 * every method of sale.order and nothing of sale.order.line; "sale.*.action_confirm" is
 * action_confirm on any model under sale.
 */
export function methodPattern(pattern: string): (model: string, method: string) => boolean {
  const cut = pattern.lastIndexOf('.');
  const model = globToRegExp(cut < 0 ? '*' : pattern.slice(0, cut));
  const method = globToRegExp(pattern.slice(cut + 1), false);
  return (m, name) => model.test(m) && method.test(name);
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
  private readonly methodAllow?: Array<(model: string, method: string) => boolean>;
  readonly readOnly: boolean;
  /** Some model is hidden (models.allow set, or anything in models.deny): paths must be walked. */
  readonly hidesModels: boolean;
  /**
   * The operator chose which models to show (models.allow set, or models.deny other than the
   * default): call_method then refuses the generic read methods it cannot check.
   */
  readonly restrictsModels: boolean;

  constructor(config: Pick<Config, 'models' | 'call_method' | 'read_only'>) {
    this.allow = config.models.allow.map((g) => globToRegExp(g));
    this.deny = config.models.deny.map((g) => globToRegExp(g));
    this.methodAllow = config.call_method.allow?.map(methodPattern);
    this.readOnly = config.read_only;
    this.hidesModels = this.allow.length > 0 || this.deny.length > 0;
    const defaults = new Set<string>(DEFAULT_DENIED_MODELS);
    const deny = new Set(config.models.deny);
    const defaultDeny = deny.size === defaults.size && [...deny].every((d) => defaults.has(d));
    this.restrictsModels = this.allow.length > 0 || !defaultDeny;
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
    if (this.methodAllow && !this.methodAllow.some((matches) => matches(model, method))) {
      throw new PolicyError(
        `Method "${model}.${method}" is not in this server's call_method.allow list. Use the dedicated tools (create_records, update_records, ...) or ask the operator to allow it.`,
      );
    }
  }
}
