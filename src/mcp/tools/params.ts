// Parameter schemas several tools share, described for the model; and the input bounds every
// record tool checks before it calls Odoo.
import { z } from 'zod';
import { MissingError } from '../../odoo/errors.js';
import { cutText, InputError, LISTED_IDS, type Limits, listIds } from '../../services/records.js';
import { deeperThan } from '../inbound.js';

export const modelParam = z
  .string()
  .min(1, 'model is empty: give a technical model name such as "res.partner"')
  .regex(
    /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/,
    'model must be a technical model name such as "res.partner" or "sale.order"',
  )
  .describe('Model name, e.g. "res.partner".');

export const domainParam = z
  .array(z.unknown())
  .describe('Odoo domain, e.g. [["state","=","sale"]]; omit for all.');

export const fieldsParam = z.array(z.string().min(1)).describe('Omit for the main ones.');

export const contextParam = z.record(z.string(), z.unknown()).describe('Odoo context.');

export const idsParam = z
  .array(z.number().int().positive())
  .min(1, 'ids is empty: give at least one record id')
  .describe('Record ids, e.g. [7, 12].');

export const recordSchema = z.record(z.string(), z.unknown());

/** On write tools: set only when Odoo's answer was lost. */
export const outcomeField = z
  .enum(['applied', 'unknown'])
  .describe('Only when Odoo\'s answer was lost: "applied" (found done), "unknown" (check before repeating).')
  .optional();

/** A write's text when Odoo's answer was lost and the server found the result afterwards. */
export function recoveredNote(reason: string | undefined, what: string): string {
  return reason
    ? `\nOdoo's answer was lost on the way back (${reason}); the server checked afterwards that ${what}. Do not repeat this call.`
    : '';
}

/** What one tool call asks for, measured against `limits` before anything reaches Odoo. */
export interface InputSizes {
  ids?: readonly unknown[];
  fields?: readonly unknown[];
  /** group_by and aggregates together. */
  groups?: number;
  domain?: unknown;
  /** One record of values, or a list of them (create_records). */
  values?: unknown;
  context?: unknown;
}

const count = (x: number) => x.toLocaleString('en-US');

/**
 * Refuses a call whose lists or nesting go past the configured limits, naming the limit, so a
 * million ids or a domain nested thousands of levels deep costs nothing and says what to do.
 */
export function checkInputLimits(limits: Limits, input: InputSizes): void {
  const { ids, fields, groups, domain, values, context } = input;
  if (ids && ids.length > limits.max_ids) {
    throw new InputError(
      `ids names ${count(ids.length)} records; one call takes at most ${count(limits.max_ids)} (limits.max_ids). Split it into calls of up to ${count(limits.max_ids)} ids.`,
    );
  }
  const names = (fields?.length ?? 0) + (groups ?? 0);
  if (names > limits.max_fields) {
    throw new InputError(
      `${fields ? 'fields' : 'group_by and aggregates'} list ${count(names)} names; at most ${count(limits.max_fields)} are accepted (limits.max_fields). Ask for fewer fields.`,
    );
  }
  if (domain !== undefined) {
    if (deeperThan(domain, limits.max_depth)) {
      throw new InputError(
        `domain is nested more than ${limits.max_depth} levels deep (limits.max_depth). A domain is a flat list of [field, operator, value] conditions with "&", "|", "!" in prefix notation, e.g. ["|", ["state", "=", "draft"], ["state", "=", "sent"]].`,
      );
    }
    const terms = domainTerms(domain);
    if (terms > limits.max_domain_terms) {
      throw new InputError(
        `domain has ${count(terms)} conditions and operators; at most ${count(limits.max_domain_terms)} are accepted (limits.max_domain_terms). Use one "in" condition for many values, e.g. ["id", "in", [1, 2, 3]].`,
      );
    }
  }
  if (values !== undefined) {
    const list = Array.isArray(values) ? values : [values];
    if (list.length > limits.max_create_records) {
      throw new InputError(
        `values lists ${count(list.length)} records; one call creates at most ${count(limits.max_create_records)} (limits.max_create_records). Split it into several calls.`,
      );
    }
    for (const v of list) {
      const keys = typeof v === 'object' && v !== null ? Object.keys(v).length : 0;
      if (keys > limits.max_value_fields) {
        throw new InputError(
          `a record of values sets ${count(keys)} fields; at most ${count(limits.max_value_fields)} are accepted (limits.max_value_fields).`,
        );
      }
    }
    if (deeperThan(values, limits.max_depth + (Array.isArray(values) ? 1 : 0))) {
      throw new InputError(
        `values are nested more than ${limits.max_depth} levels deep (limits.max_depth); field values are plain values, ids, lists of ids or x2many commands such as [[0, 0, {"name": "x"}]].`,
      );
    }
  }
  if (context !== undefined && deeperThan(context, limits.max_depth)) {
    throw new InputError(
      `context is nested more than ${limits.max_depth} levels deep (limits.max_depth); it is a flat object such as {"lang": "fr_FR"}.`,
    );
  }
}

const SUB_DOMAIN_OPERATORS = new Set(['any', 'not any']);

/** Conditions and operators of a domain, those of `any` sub-domains included. */
export function domainTerms(domain: unknown): number {
  let terms = 0;
  const stack: unknown[] = [domain];
  for (let d = stack.pop(); d !== undefined; d = stack.pop()) {
    if (!Array.isArray(d)) continue;
    terms += d.length;
    for (const term of d) {
      if (Array.isArray(term) && SUB_DOMAIN_OPERATORS.has(term[1]) && Array.isArray(term[2]))
        stack.push(term[2]);
    }
  }
  return terms;
}

/** "res.partner 5, 6" for a few ids; "res.partner: 10,000 ids (first: 5, 6 …)" for many. */
export function idsText(model: string, ids: readonly number[]): string {
  return ids.length > LISTED_IDS ? `${model}: ${listIds(ids, ids.length)}` : `${model} ${ids.join(', ')}`;
}

/** A recordset repr in Odoo's texts: res.partner(1, 2, 3) or res.partner(7,). */
const RECORDSET = /([a-z_][\w.]*)\((\d+(?:,\s*\d+)*),?\)/;

/**
 * Odoo's MissingError names every missing id ("(Record: res.partner(1, 2, ...), User: 2)"): with
 * many ids that is a text of megabytes. The repr becomes the count and the first few ids.
 */
export function boundedMissing(err: unknown, given: number, maxText: number): unknown {
  if (!(err instanceof MissingError)) return err;
  const m = RECORDSET.exec(err.message);
  const ids = m?.[2]?.split(',').map((s) => Number(s.trim())) ?? [];
  let message = err.message;
  if (m && ids.length > LISTED_IDS) {
    message = message.replace(m[0], `${m[1]}: ${listIds(ids, given)} do not exist`);
  }
  message = String(cutText(message, maxText).value);
  if (message === err.message) return err;
  return new MissingError(message, { details: err.details, cause: err, traceback: err.traceback });
}
