// The one place where failures become what the model reads: Odoo's exception name and message,
// then the next step. Tracebacks go to the debug log only; secrets never appear.
import { AuditWriteError } from '../logging/audit.js';
import type { Logger } from '../logging/logger.js';
import type { Redactor } from '../logging/redact.js';
import {
  AccessError,
  AuthError,
  CancelledError,
  MissingError,
  NetworkError,
  OdooError,
  OdooServerError,
  OutcomeUnknownError,
  ProtocolError,
  UnknownMethodError,
  UnknownModelError,
  ValidationError,
} from '../odoo/errors.js';
import type { ModelCatalog } from '../services/metadata.js';
import { PolicyError } from '../services/policy.js';
import { InputError, MissingIdsError } from '../services/records.js';
import { type NamedRecord, WriteOutcomeError } from '../services/write-outcome.js';

export interface ErrorContext {
  model?: string;
  method?: string;
  operation?: string;
  catalog?: ModelCatalog;
  logger?: Logger;
  redact?: Redactor;
  credentials?: 'server' | 'caller';
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
  if (err instanceof WriteOutcomeError) return explainOutcome(err);
  if (err instanceof AuditWriteError) {
    return `Nothing was sent to Odoo: ${err.message} Tell the user the server's audit log needs attention (audit.file); do not retry until it is fixed.`;
  }
  if (err instanceof InputError || err instanceof PolicyError || err instanceof MissingIdsError) {
    return `Invalid request: ${err.message}`;
  }
  if (err instanceof CancelledError) {
    return `Cancelled: ${err.message}; the request was cancelled before this step, and Odoo did not run it.`;
  }
  if (err instanceof OutcomeUnknownError) {
    return `Odoo may have applied this call: ${err.message}. Do not repeat it until you have checked the records it would change.`;
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
    if (ctx.credentials === 'caller') {
      return `Odoo authentication failed: ${err.message}\nOdoo no longer accepts the user's own credentials (the API key sent in X-Odoo-Api-Key, with X-Odoo-Login): the key may have been revoked or may have expired. Retrying will not help; tell the user to make a new API key in Odoo (Preferences > Account Security) and set it in the MCP client's headers.`;
    }
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

const ids = (list: number[]) => list.join(', ');
const SHOWN = 10;
/** `12 "Acme (copy)", 13 "Acme"`, the first few, with how many more. */
function records(list: NamedRecord[]): string {
  const shown = list
    .slice(0, SHOWN)
    .map((r) => (r.name ? `${r.id} ${JSON.stringify(r.name)}` : String(r.id)));
  return list.length > SHOWN ? `${shown.join(', ')} and ${list.length - SHOWN} more` : shown.join(', ');
}

/**
 * A write whose answer was lost. The words never advise a plain retry unless repeating cannot
 * apply anything twice, and always say what to look at first.
 */
function explainOutcome(err: WriteOutcomeError): string {
  const { model, method, check, finding } = err;
  const lost = `it was sent, but the answer was lost (${err.failure.failure.message})`;
  const domain = JSON.stringify(check.domain);
  const search = `search_records with model "${model}" and domain ${domain} (records this Odoo user created since ${check.since} UTC)`;
  const couldNotLook = "Odoo did not answer the server's check either.";
  switch (err.operation) {
    case 'create': {
      const head = `Odoo may have applied this create: ${lost}. Do not repeat it until you have checked.`;
      if (!finding.looked) {
        return `${head}\n${couldNotLook} When Odoo answers again, run ${search}, and create it again only if the record is not there.`;
      }
      if (finding.candidates?.length) {
        return `${head}\nThe server found ${model} records created by this Odoo user since ${check.since} UTC that may be it, but could not tell which: ${records(finding.candidates)}. Read them with read_records; create it again only if none is the record you meant.`;
      }
      return `${head}\nThe server looked right away and found no ${model} record with these values created by this Odoo user since ${check.since} UTC, so it most likely did not run; a create Odoo is still working on can still appear. Run ${search} first, and create it again only if that finds nothing.`;
    }
    case 'write': {
      if (finding.idempotent) {
        return `Odoo may or may not have applied this update: ${lost}. Writing the same values again leaves the records the same, so it is safe to repeat this update_records call once Odoo answers.`;
      }
      const head = `Odoo may have applied this update, which adds new lines: ${lost}. Do not repeat it until you have checked.`;
      const seen = !finding.looked
        ? couldNotLook
        : finding.touched?.length
          ? `Records changed since ${check.since} UTC, by this call or another: ${ids(finding.touched)}.`
          : `None of the records changed since ${check.since} UTC, so it most likely did not run.`;
      return `${head}\n${seen} Read records ${ids(finding.ids ?? [])} with read_records, including the lines, and repeat the update only if the new lines are missing.`;
    }
    case 'unlink': {
      const seen = !finding.looked
        ? couldNotLook
        : `Records ${ids(finding.touched ?? [])} still exist, so Odoo has not deleted them.`;
      return `Odoo may not have applied this delete: ${lost}.\n${seen} Deleting again is safe: Odoo deletes all the records or none, and reports records already gone as missing.`;
    }
    case 'call': {
      const head = `Odoo may have run ${model}.${method}: ${lost}. Do not call it again until you have checked that its effect is missing.`;
      if (!finding.looked) {
        return `${head}\n${couldNotLook} When Odoo answers again, look at the records${finding.ids ? ` (${ids(finding.ids)})` : ''} with read_records, and for records it may have created run ${search}.`;
      }
      const touched = finding.ids?.length
        ? finding.touched?.length
          ? `of records ${ids(finding.ids)}, ${ids(finding.touched)} changed since ${check.since} UTC (by this call or another)`
          : `records ${ids(finding.ids)} have not changed since ${check.since} UTC`
        : undefined;
      const created = finding.candidates?.length
        ? `this Odoo user created these ${model} records since then (by this call or another): ${records(finding.candidates)}`
        : `no ${model} record was created by this Odoo user since then`;
      return `${head}\nThe server looked: ${[touched, created].filter(Boolean).join('; ')}. The method may also have changed other models. Read the records with read_records before deciding to call it again.`;
    }
  }
}
