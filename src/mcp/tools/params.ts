// Parameter schemas several tools share, described for the model.
import { z } from 'zod';

export const modelParam = z
  .string()
  .min(1, 'model is empty: give a technical model name such as "res.partner"')
  .regex(
    /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/,
    'model must be a technical model name such as "res.partner" or "sale.order"',
  )
  .describe(
    'Technical model name, e.g. "res.partner" (contacts), "sale.order", "crm.lead", "product.product". Use list_models to find one.',
  );

export const domainParam = z
  .array(z.unknown())
  .describe(
    'Odoo domain: a JSON array of [field, operator, value] conditions, ANDed; prefix "|" or "!" for OR/NOT. Operators: = != > >= < <= in "not in" like ilike "not ilike" =like child_of parent_of any. Example: [["is_company","=",true],["country_id.code","=","BE"]]. Relations take ids: [["partner_id","=",7]].',
  );

export const fieldsParam = z
  .array(z.string().min(1))
  .describe('Field names to return. Omit for a small default set; use describe_model to see every field.');

export const contextParam = z
  .record(z.string(), z.unknown())
  .describe(
    'Odoo context, passed through: e.g. {"lang":"fr_FR"}, {"tz":"Europe/Brussels"}, {"allowed_company_ids":[1,2]} for multi-company users, {"active_test":false} to include archived records.',
  );

export const idsParam = z
  .array(z.number().int().positive())
  .min(1, 'ids is empty: give at least one record id')
  .describe('Record ids, e.g. [7, 12]. Find ids with search_records.');

export const recordSchema = z.record(z.string(), z.unknown());
