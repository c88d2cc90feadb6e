// Model business rules that run around create/write/unlink: stored computed fields the emulator
// keeps up to date, Python constraints and ondelete checks, with the texts Odoo raises.
import { OdooException } from '../api.js';
import type { Env } from '../env.js';
import { partnerCompleteName } from '../store.js';
import type { Row } from '../types.js';
import { requiredError } from '../validate.js';

const PARTNER_NAME_INPUTS = new Set([
  'name',
  'parent_id',
  'is_company',
  'type',
  'company_name',
  'company_type',
]);

/** res.partner: commercial partner, commercial company name, complete/display name, down the tree. */
function recomputePartners(env: Env, ids: readonly number[]): void {
  const store = env.store;
  const seen = new Set<number>();
  const visit = (id: number) => {
    if (seen.has(id)) return;
    seen.add(id);
    const row = store.row('res.partner', id);
    if (!row) return;
    const parent = typeof row.parent_id === 'number' ? store.row('res.partner', row.parent_id) : undefined;
    const commercialId =
      row.is_company || !parent
        ? row.id
        : typeof parent.commercial_partner_id === 'number'
          ? parent.commercial_partner_id
          : parent.id;
    const commercial = commercialId === row.id ? row : store.row('res.partner', commercialId);
    const values: Record<string, unknown> = {
      commercial_partner_id: commercialId,
      commercial_company_name: commercial?.is_company
        ? (commercial.name ?? false)
        : (row.company_name ?? false),
    };
    store.patch('res.partner', id, values);
    const complete = partnerCompleteName(store, row);
    store.patch('res.partner', id, { complete_name: complete, display_name: complete });
    for (const child of store.rows('res.partner')) if (child.parent_id === id) visit(child.id);
  };
  for (const id of ids) visit(id);
}

/** Fields a display_name is computed from, on some model or other. */
const NAME_INPUTS = new Set([
  'name',
  'default_code',
  'parent_id',
  'product_tmpl_id',
  'field_description',
  'record_name',
]);

const round2 = (n: number) => Math.round(n * 100) / 100;

/** sale.order.line amounts and the order totals they sum into. */
function recomputeOrders(env: Env, orderIds: Iterable<number>): void {
  const store = env.store;
  for (const orderId of new Set(orderIds)) {
    const order = store.row('sale.order', orderId);
    if (!order) continue;
    let untaxed = 0;
    let tax = 0;
    for (const line of store.rows('sale.order.line')) {
      if (line.order_id !== orderId) continue;
      untaxed += typeof line.price_subtotal === 'number' ? line.price_subtotal : 0;
      tax += typeof line.price_tax === 'number' ? line.price_tax : 0;
    }
    store.patch('sale.order', orderId, {
      amount_untaxed: round2(untaxed),
      amount_tax: round2(tax),
      amount_total: round2(untaxed + tax),
    });
  }
}

function recomputeLines(env: Env, ids: readonly number[], changed: ReadonlySet<string>): void {
  const store = env.store;
  const orders: number[] = [];
  for (const id of ids) {
    const line = store.row('sale.order.line', id);
    if (!line) continue;
    const product =
      typeof line.product_id === 'number' ? store.row('product.product', line.product_id) : undefined;
    const template =
      typeof product?.product_tmpl_id === 'number'
        ? store.row('product.template', product.product_tmpl_id)
        : undefined;
    const values: Record<string, unknown> = {};
    const taxField = 'tax_ids' in (store.fields('sale.order.line') ?? {}) ? 'tax_ids' : 'tax_id';
    if (changed.has('product_id') && product) {
      if (!changed.has('name') || !line.name) values.name = store.displayName('product.product', product.id);
      if (!changed.has('price_unit'))
        values.price_unit = typeof template?.list_price === 'number' ? template.list_price : 0;
      if (!changed.has(taxField) && Array.isArray(template?.taxes_id)) {
        // The company's sales tax of the product (demo products carry the 15% tax first).
        values[taxField] = (template.taxes_id as number[]).slice(0, 1);
      }
    }
    const qty = typeof line.product_uom_qty === 'number' ? line.product_uom_qty : 0;
    const price =
      typeof (values.price_unit ?? line.price_unit) === 'number'
        ? ((values.price_unit ?? line.price_unit) as number)
        : 0;
    const discount = typeof line.discount === 'number' ? line.discount : 0;
    const subtotal = round2(qty * price * (1 - discount / 100));
    // Demo companies charge one 15% sales tax; lines without taxes have none.
    const taxes = values[taxField] ?? line[taxField];
    const taxed = Array.isArray(taxes) && taxes.length > 0;
    const taxAmount = taxed ? round2(subtotal * 0.15) : 0;
    const order = typeof line.order_id === 'number' ? store.row('sale.order', line.order_id) : undefined;
    Object.assign(values, {
      price_subtotal: subtotal,
      price_tax: taxAmount,
      price_total: round2(subtotal + taxAmount),
      ...(order
        ? {
            order_partner_id: order.partner_id ?? false,
            state: order.state ?? 'draft',
            currency_id: order.currency_id ?? false,
            company_id: order.company_id ?? false,
          }
        : {}),
    });
    store.patch('sale.order.line', id, values);
    if (typeof line.order_id === 'number') orders.push(line.order_id);
  }
  recomputeOrders(env, orders);
}

/**
 * Stored fields related to another field of the same record follow it: image_1024 ... image_128
 * are image_1920 (resized by Odoo; the emulator does not process images, they hold it as written).
 */
function syncSameRecordRelated(
  env: Env,
  model: string,
  ids: readonly number[],
  changed: ReadonlySet<string>,
) {
  const fields = env.store.fields(model) ?? {};
  const followers = Object.entries(fields).filter(
    ([name, def]) =>
      def.store !== false &&
      typeof def.related === 'string' &&
      def.related !== name &&
      !def.related.includes('.') &&
      changed.has(def.related),
  );
  if (!followers.length) return;
  for (const id of ids) {
    const row = env.store.row(model, id);
    if (!row) continue;
    const values: Record<string, unknown> = {};
    for (const [name, def] of followers) values[name] = row[def.related as string] ?? false;
    env.store.patch(model, id, values);
  }
}

/** Stored computed fields after create/write of `ids` with values for `changed`. */
export function afterWrite(
  env: Env,
  model: string,
  ids: readonly number[],
  changed: ReadonlySet<string>,
  created: boolean,
): void {
  const store = env.store;
  syncSameRecordRelated(env, model, ids, changed);
  const renamed = created || [...changed].some((f) => NAME_INPUTS.has(f));
  if (renamed) for (const id of ids) store.markDirty(model, id);
  switch (model) {
    case 'res.partner': {
      if (created || [...changed].some((f) => PARTNER_NAME_INPUTS.has(f))) recomputePartners(env, ids);
      if (changed.has('email')) {
        for (const id of ids) {
          const row = store.row(model, id);
          const email = typeof row?.email === 'string' ? row.email.trim().toLowerCase() : false;
          store.patch(model, id, { email_normalized: email || false });
        }
      }
      return;
    }
    case 'sale.order': {
      for (const id of ids) {
        const row = store.row(model, id);
        if (!row) continue;
        const values: Record<string, unknown> = {};
        if (created && (!row.partner_invoice_id || changed.has('partner_id')))
          values.partner_invoice_id = row.partner_id;
        if (created && (!row.partner_shipping_id || changed.has('partner_id')))
          values.partner_shipping_id = row.partner_id;
        if (Object.keys(values).length) store.patch(model, id, values);
        if (changed.has('state') || changed.has('partner_id')) {
          for (const line of store.rows('sale.order.line')) {
            if (line.order_id === id)
              store.patch('sale.order.line', line.id, { state: row.state, order_partner_id: row.partner_id });
          }
        }
      }
      if (created) recomputeOrders(env, ids);
      break;
    }
    case 'sale.order.line':
      if (
        created ||
        ['product_id', 'product_uom_qty', 'price_unit', 'discount', 'tax_id', 'tax_ids', 'order_id'].some(
          (f) => changed.has(f),
        )
      ) {
        recomputeLines(env, ids, created ? new Set([...changed, 'product_id']) : changed);
      }
      break;
    case 'crm.lead':
      if (changed.has('stage_id')) {
        for (const id of ids) {
          const row = store.row(model, id);
          const stage = typeof row?.stage_id === 'number' ? store.row('crm.stage', row.stage_id) : undefined;
          if (stage?.is_won) store.patch(model, id, { probability: 100, date_closed: store.now() });
        }
      }
      break;
    default:
      break;
  }
  if (!renamed || !store.table(model)?.complete) return;
  for (const id of ids) {
    const row = store.row(model, id);
    if (row) store.patch(model, id, { display_name: store.computeDisplayName(model, row) });
  }
}

/**
 * What the database refuses once the row is written: NOT NULL columns (required fields) and SQL
 * constraints, raised as the ValidationError Odoo's RPC layer makes of the IntegrityError.
 */
export function checkStored(env: Env, model: string, ids: readonly number[]): void {
  const store = env.store;
  const fields = store.fields(model) ?? {};
  const description = store.table(model)?.description ?? model;
  for (const id of ids) {
    const row = store.row(model, id);
    if (!row) continue;
    for (const [name, def] of Object.entries(fields)) {
      if (!def.required || def.store === false || def.type === 'one2many' || def.type === 'many2many')
        continue;
      const value = row[name];
      if (value === undefined || value === false || value === null)
        throw requiredError(env.version, model, description, name, def);
    }
    if (model === 'res.partner' && row.type === 'contact' && !row.name) {
      throw new OdooException(
        'odoo.exceptions.ValidationError',
        'The operation cannot be completed: Contacts require a name',
      );
    }
  }
}

/** @api.constrains checks Odoo would run after the write (the emulator runs them before). */
export function checkConstraints(
  env: Env,
  model: string,
  rows: readonly Row[],
  vals: Record<string, unknown>,
): void {
  if (model === 'res.partner' && 'parent_id' in vals) {
    const parent = vals.parent_id;
    if (typeof parent !== 'number') return;
    for (const row of rows) {
      // Walk up from the new parent: reaching the record itself means a cycle.
      let current: number | false = parent;
      const seen = new Set<number>();
      while (typeof current === 'number' && !seen.has(current)) {
        if (current === row.id) {
          throw new OdooException(
            'odoo.exceptions.ValidationError',
            'You cannot create recursive Partner hierarchies.',
          );
        }
        seen.add(current);
        const next: unknown = env.store.row('res.partner', current)?.parent_id;
        current = typeof next === 'number' ? next : false;
      }
    }
  }
}

/** @api.ondelete checks. */
export function beforeUnlink(env: Env, model: string, rows: readonly Row[]): void {
  if (model === 'sale.order') {
    for (const row of rows) {
      if (row.state !== 'draft' && row.state !== 'cancel') {
        throw new OdooException(
          'odoo.exceptions.UserError',
          'You can not delete a sent quotation or a confirmed sales order. You must first cancel it.',
        );
      }
    }
  }
  if (model === 'res.partner') {
    const ids = new Set(rows.map((row) => row.id));
    const users = env.store
      .rows('res.users')
      .filter((u) => typeof u.partner_id === 'number' && ids.has(u.partner_id));
    if (users.length) {
      throw new OdooException(
        'odoo.exceptions.ValidationError',
        'You cannot delete contacts linked to an active user.\n' +
          'You should rather archive them after archiving their associated user.\n\n' +
          `Linked active users : ${users.map((u) => String(u.name)).join(', ')}`,
      );
    }
  }
}

/** The next "S00021"-style sale order reference. */
export function nextOrderName(env: Env): string {
  let max = 0;
  for (const row of env.store.rows('sale.order')) {
    const m = typeof row.name === 'string' ? /^S(\d+)$/.exec(row.name) : null;
    if (m) max = Math.max(max, Number(m[1]));
  }
  return `S${String(max + 1).padStart(5, '0')}`;
}
