// The one place where failures become what the model reads: Odoo's exception name and message,
// then the next step. Tracebacks go to the debug log only; secrets never appear.
import type { Logger } from '../logging/logger.js';
import type { Redactor } from '../logging/redact.js';
import {
  AccessError,
  AuthError,
  MissingError,
  NetworkError,
  OdooError,
  OdooServerError,
  ProtocolError,
  UnknownMethodError,
  UnknownModelError,
  ValidationError,
} from '../odoo/errors.js';
import type { ModelCatalog } from '../services/metadata.js';
import { PolicyError } from '../services/policy.js';
import { InputError, MissingIdsError } from '../services/records.js';

export interface ErrorContext {
  model?: string;
  method?: string;
  operation?: string;
  catalog?: ModelCatalog;
  logger?: Logger;
  redact?: Redactor;
}

function exceptionLabel(err: OdooError): string {
  const name = err.details.exceptionName;
  return name ? name.replace(/^odoo\.exceptions\.|^builtins\.|^werkzeug\.exceptions\./, '') : err.name;
}

/** Explains a failure in a few lines for the model, with what to do next. */
export async function describeError(err: unknown, ctx: ErrorContext = {}): Promise<string> {
  const redact = ctx.redact ?? ((s: string) => s);
  ctx.logger?.debug({ err, model: ctx.model, method: ctx.method }, 'tool call failed');
  const text = await explain(err, ctx);
  return redact(text);
}

async function explain(err: unknown, ctx: ErrorContext): Promise<string> {
  if (err instanceof InputError || err instanceof PolicyError || err instanceof MissingIdsError) {
    return `Invalid request: ${err.message}`;
  }
  if (err instanceof UnknownModelError) {
    const model = ctx.model ?? '';
    const suggestions = ctx.catalog && model ? await ctx.catalog.suggestModels(model) : [];
    const hint = suggestions.length
      ? `Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?`
      : 'Use list_models to find the technical model name (e.g. "res.partner" for contacts).';
    return `Unknown model "${model}": it does not exist on this Odoo database (Odoo said: ${err.message}). ${hint}`;
  }
  if (err instanceof UnknownMethodError) {
    return `Odoo error (${exceptionLabel(err)}): ${err.message}. Check the method name; only public methods of the model can be called.`;
  }
  if (err instanceof AccessError) {
    const what = ctx.model ? ` to ${ctx.operation ?? 'use'} ${ctx.model}` : '';
    return `Odoo refused access (AccessError): ${err.message}\nThe Odoo user this server runs as lacks the rights${what}. Do not retry; try another model or ask an administrator for access.`;
  }
  if (err instanceof MissingError) {
    return `Odoo error (MissingError): ${err.message}\nThe record(s) were deleted or never existed. Find current ids with search_records.`;
  }
  if (err instanceof ValidationError) {
    return `Odoo rejected the operation (${exceptionLabel(err)}): "${err.message}"\nFix the values or the record's state as the message says, then try again.`;
  }
  if (err instanceof AuthError) {
    return `Odoo authentication failed: ${err.message}\nThe server's Odoo credentials are wrong or expired; retrying will not help. Tell the user to check the configuration (odoo-mcp-server doctor).`;
  }
  if (err instanceof NetworkError) {
    return `Odoo is unreachable: ${err.message}\n${err.kind === 'timeout' ? 'The request took too long: narrow it (smaller limit, tighter domain) or try again later.' : 'Try again in a moment; if it persists, the Odoo server is down.'}`;
  }
  if (err instanceof ProtocolError) {
    return `Odoo answered unexpectedly: ${err.message}\nThis is a server configuration problem; tell the user to run odoo-mcp-server doctor.`;
  }
  if (err instanceof OdooServerError) {
    const label = exceptionLabel(err);
    let hint = 'Check the arguments against describe_model and the tool description.';
    if (/Invalid field|Invalid leaf|Invalid operator|condition/.test(err.message)) {
      hint =
        'Fix the domain: each condition is [field, operator, value] with a real field (see describe_model) and an operator such as =, !=, >, <, in, not in, ilike, child_of.';
    } else if (label === 'TypeError' || label === 'UnprocessableEntity') {
      hint =
        'The method was called with arguments it does not take; check its parameters and pass them by name in kwargs.';
    }
    return `Odoo error (${label}): ${err.message}\n${hint}`;
  }
  if (err instanceof OdooError) return `Odoo error: ${err.message}`;
  if (err instanceof Error && err.name === 'AbortError') return 'The request was cancelled.';
  return 'Internal error in the MCP server; the details are in its debug log. Try again, or a different request.';
}
