// What the emulator knows about specific models beyond fields_get (and beyond known-models.ts):
// record name, defaults, delete and copy behaviour. Taken from the models' Python definitions in Odoo 15-19.
import { majorOf, type OdooVersion } from './types.js';

/** `_rec_name` overrides; otherwise 'name' when the model has it. */
const REC_NAMES: Record<string, string> = {
  'ir.model.fields': 'field_description',
  'mail.message': 'record_name',
};

export function recNameField(model: string, hasField: (name: string) => boolean): string | undefined {
  const explicit = REC_NAMES[model];
  if (explicit && hasField(explicit)) return explicit;
  return hasField('name') ? 'name' : undefined;
}

export interface DefaultContext {
  uid: number;
  lang: string;
  tz: string | false;
  now: string;
  today: string;
}

type DefaultValue = unknown | ((c: DefaultContext) => unknown);

/**
 * Field defaults as the models declare them (default_get answers exactly these, in the order asked).
 * Required fields get one where Odoo computes them, so that a minimal create works as it does there.
 */
function defaultsFor(model: string, version: OdooVersion): Record<string, DefaultValue> {
  switch (model) {
    case 'res.partner':
      return {
        is_company: false,
        type: 'contact',
        lang: (c: DefaultContext) => c.lang,
        tz: (c: DefaultContext) => c.tz,
        active: true,
        color: 0,
        customer_rank: 0,
        supplier_rank: 0,
        invoice_warn: 'no-message',
        sale_warn: 'no-message',
        ...(majorOf(version) <= 17 ? {} : { autopost_bills: 'ask' }),
      };
    case 'sale.order':
      return {
        state: 'draft',
        name: 'New',
        date_order: (c: DefaultContext) => c.now,
        user_id: (c: DefaultContext) => c.uid,
        company_id: 1,
        currency_id: 1,
        locked: false,
        require_signature: true,
        require_payment: true,
        invoice_status: 'no',
      };
    case 'sale.order.line':
      return { sequence: 10, product_uom_qty: 1, discount: 0, customer_lead: 0, display_type: false };
    case 'crm.lead':
      return {
        type: 'opportunity',
        active: true,
        priority: '0',
        user_id: (c: DefaultContext) => c.uid,
        company_id: 1,
        probability: 10,
        stage_id: 1,
        color: 0,
      };
    case 'crm.stage':
      return { sequence: 1, fold: false, is_won: false };
    case 'product.template':
      return {
        active: true,
        sale_ok: true,
        purchase_ok: true,
        list_price: 1,
        categ_id: 1,
        uom_id: 1,
        // detailed_type (15.0 to 17.0) became `type` in 18.0; uom_po_id went away in 19.0.
        ...(majorOf(version) <= 17
          ? { detailed_type: 'consu', type: 'consu', uom_po_id: 1 }
          : { type: 'consu' }),
        ...(version === '18.0' ? { uom_po_id: 1 } : {}),
        ...(version === '19.0' ? { service_tracking: 'no' } : {}),
        sale_line_warn: 'no-message',
      };
    case 'product.product':
      return { active: true };
    case 'account.move':
      return { state: 'draft', move_type: 'entry', auto_post: 'no', date: (c: DefaultContext) => c.today };
    case 'uom.uom':
      return { active: true, factor: 1, rounding: 0.01, uom_type: 'reference', relative_factor: 1 };
    case 'res.users':
      return { active: true, company_id: 1, notification_type: 'email' };
    case 'res.company':
      return { active: true, currency_id: 1 };
    default:
      return {};
  }
}

/** The default of one field, or undefined when the model declares none. */
export function fieldDefault(
  model: string,
  version: OdooVersion,
  field: string,
  hasActive: boolean,
  ctx: DefaultContext,
): unknown {
  const table = defaultsFor(model, version);
  if (field in table) {
    const value = table[field];
    return typeof value === 'function' ? (value as (c: DefaultContext) => unknown)(ctx) : value;
  }
  if (field === 'active' && hasActive) return true;
  return undefined;
}

/** many2one fields whose target deletion deletes the row (ondelete='cascade'). */
const CASCADE: Record<string, string[]> = {
  'sale.order.line': ['order_id'],
  'product.product': ['product_tmpl_id'],
  'res.partner': [],
};

export function cascades(model: string, field: string): boolean {
  return CASCADE[model]?.includes(field) ?? false;
}

/** Models whose copies get ' (copy)' appended to their name, as their copy_data does. */
export const COPY_SUFFIX_MODELS = new Set([
  'res.partner',
  'crm.lead',
  'product.template',
  'res.partner.category',
]);

/** Fields never copied whatever their definition (magic fields and per-record identity). */
export const NEVER_COPIED = new Set([
  'id',
  'create_uid',
  'create_date',
  'write_uid',
  'write_date',
  'display_name',
  'message_ids',
  'message_follower_ids',
  'website_message_ids',
  'activity_ids',
  'access_token',
  'user_ids',
]);

/** `_inherits` of the seeded models: the many2one to the parent whose fields the model shows. */
export const INHERITS: Readonly<Record<string, string>> = {
  'res.users': 'partner_id',
  'product.product': 'product_tmpl_id',
};
