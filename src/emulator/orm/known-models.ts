// Model attributes that fields_get does not expose (`_order`, `_rec_names_search`,
// `_parent_name`, `_active_name`), taken from the Odoo sources of the seeded models.
import { type FieldMap, majorOf, type OdooVersion } from './types.js';

type PerVersion = string | Partial<Record<OdooVersion, string>>;

/**
 * `_order` of the seeded models. A model missing here (or for a version) falls back to Odoo's
 * BaseModel default, 'id'. res.partner ordered by its stored display_name up to 16.0 (17.0 made
 * display_name non-stored and added complete_name); product.* renamed `priority` to
 * `is_favorite` in 18.0; account.move added invoice_date in 17.0; uom.uom was rewritten in 19.0
 * and its new `_order` is not confirmed, so it is left out for 19.0.
 */
const DEFAULT_ORDERS: Record<string, PerVersion> = {
  'res.partner': {
    '15.0': 'display_name ASC, id DESC',
    '16.0': 'display_name ASC, id DESC',
    '17.0': 'complete_name ASC, id DESC',
    '18.0': 'complete_name ASC, id DESC',
    '19.0': 'complete_name ASC, id DESC',
  },
  'res.partner.category': 'name',
  'res.country': 'name',
  'res.country.state': 'code',
  'res.company': 'sequence, name',
  'res.users': 'name, login',
  'res.currency': 'active desc, name',
  'product.template': {
    '15.0': 'priority desc, name',
    '16.0': 'priority desc, name',
    '17.0': 'priority desc, name',
    '18.0': 'is_favorite desc, name',
    '19.0': 'is_favorite desc, name',
  },
  'product.product': {
    '15.0': 'priority desc, default_code, name, id',
    '16.0': 'priority desc, default_code, name, id',
    '17.0': 'priority desc, default_code, name, id',
    '18.0': 'is_favorite desc, default_code, name, id',
    '19.0': 'is_favorite desc, default_code, name, id',
  },
  'product.category': 'complete_name',
  'uom.uom': {
    '15.0': 'factor DESC, id',
    '16.0': 'factor DESC, id',
    '17.0': 'factor DESC, id',
    '18.0': 'factor DESC, id',
  },
  'sale.order': 'date_order desc, id desc',
  'sale.order.line': 'order_id, sequence, id',
  'crm.lead': 'priority desc, id desc',
  'crm.stage': 'sequence, name, id',
  'account.move': {
    '15.0': 'date desc, name desc, id desc',
    '16.0': 'date desc, name desc, id desc',
    '17.0': 'date desc, name desc, invoice_date desc, id desc',
    '18.0': 'date desc, name desc, invoice_date desc, id desc',
    '19.0': 'date desc, name desc, invoice_date desc, id desc',
  },
  'ir.model': 'model',
};

/** The model's `_order`, or undefined when we do not know it (Odoo's default is 'id'). */
export function knownOrder(version: OdooVersion, model: string): string | undefined {
  const entry = DEFAULT_ORDERS[model];
  return typeof entry === 'string' ? entry : entry?.[version];
}

/**
 * `_rec_names_search` (fields `display_name` searches go through). Models missing here use
 * `_rec_name`, i.e. `name` when the model has one. Dotted paths are allowed, as in Odoo.
 */
const REC_NAMES_SEARCH: Record<string, readonly string[]> = {
  'res.partner': ['complete_name', 'email', 'ref', 'vat', 'company_registry'],
  'res.country': ['name', 'code'],
  'res.users': ['name', 'login'],
  'product.product': ['name', 'default_code'],
  'product.template': ['name', 'default_code'],
  'product.category': ['complete_name'],
  'sale.order': ['name', 'partner_id.name'],
  'account.move': ['name', 'partner_id.name', 'ref'],
};

/**
 * Up to 16.0 res.partner had no complete_name: its name search (15.0's SQL `_name_search`, 16.0's
 * `_rec_names_search`) matched the stored display_name instead.
 */
const REC_NAMES_SEARCH_16: Record<string, readonly string[]> = {
  'res.partner': ['display_name', 'email', 'ref', 'vat', 'company_registry'],
};

/** Fields a name search on `model` matches, restricted to the fields the model really has. */
export function recNameFields(version: OdooVersion, model: string, fields: FieldMap): string[] {
  const known = (majorOf(version) <= 16 ? REC_NAMES_SEARCH_16[model] : undefined) ?? REC_NAMES_SEARCH[model];
  if (known) return known.filter((path) => (path.split('.')[0] ?? '') in fields);
  return 'name' in fields ? ['name'] : [];
}

/** `_active_name`: 'active' (or 'x_active') when the model has such a field. */
export function activeFieldName(fields: FieldMap): string | undefined {
  if (fields.active) return 'active';
  if (fields.x_active) return 'x_active';
  return undefined;
}

/** `_parent_name`: every seeded model keeps BaseModel's default. */
export function parentFieldName(_model: string): string {
  return 'parent_id';
}
