// Model-specific and access methods: context_get, check_access_rights / has_access / check_access,
// message_post, sale.order action_confirm, crm.lead action_set_won, exists, name_create.
import {
  aclError,
  checkModelAccess,
  checkRules,
  modelAllows,
  type Operation,
  ruleFilter,
} from '../access.js';
import { OdooException } from '../api.js';
import type { Env } from '../env.js';
import { recordsetRepr } from '../python.js';
import { MAIL_SUBTYPES } from '../store.js';
import { majorOf } from '../types.js';
import { createRecords, existingRows, writeRecords } from './write.js';

const OPERATIONS = new Set(['read', 'write', 'create', 'unlink']);

function operationOf(value: unknown): Operation {
  if (typeof value !== 'string' || !OPERATIONS.has(value)) {
    throw new OdooException('builtins.AssertionError', 'Invalid access mode');
  }
  return value as Operation;
}

export function contextGet(env: Env): Record<string, unknown> {
  const partner = env.store.row('res.partner', env.user.partnerId);
  return {
    lang: typeof partner?.lang === 'string' ? partner.lang : 'en_US',
    tz: typeof partner?.tz === 'string' ? partner.tz : false,
    // 15.0's context_get gives the user's preferences only; the uid joined them in 16.0.
    ...(majorOf(env.version) >= 16 ? { uid: env.user.uid } : {}),
  };
}

export function checkAccessRights(env: Env, model: string, operation: unknown, raise: unknown): boolean {
  const op = operationOf(operation);
  const allowed = modelAllows(env.user, model, op);
  if (!allowed && raise !== false && raise !== null && raise !== 0) throw aclError(env.store, model, op);
  return allowed;
}

/** check_access (18+): model rights, then record rules on the existing records. */
export function checkAccess(env: Env, model: string, ids: readonly number[], operation: unknown): void {
  const op = operationOf(operation);
  checkModelAccess(env.store, env.user, model, op);
  const rows = ids.map((id) => env.store.row(model, id)).filter((row) => row !== undefined);
  checkRules(env.store, env.user, model, op, rows);
}

export function hasAccess(env: Env, model: string, ids: readonly number[], operation: unknown): boolean {
  const op = operationOf(operation);
  if (!modelAllows(env.user, model, op)) return false;
  const rule = ruleFilter(env.store, env.user, model, op);
  if (!rule) return true;
  return ids.every((id) => {
    const row = env.store.row(model, id);
    return !row || rule(row);
  });
}

export function checkAccessRule(env: Env, model: string, ids: readonly number[], operation: unknown): void {
  const op = operationOf(operation);
  const rows = ids.map((id) => env.store.row(model, id)).filter((row) => row !== undefined);
  checkRules(env.store, env.user, model, op, rows);
}

export function ensureOne(model: string, ids: readonly number[]): number {
  if (ids.length !== 1)
    throw new OdooException('builtins.ValueError', `Expected singleton: ${recordsetRepr(model, ids)}`);
  return ids[0] as number;
}

/** message_post on one record: the new mail.message id. */
export function messagePost(
  env: Env,
  model: string,
  ids: readonly number[],
  a: Record<string, unknown>,
): number {
  const id = ensureOne(model, ids);
  checkModelAccess(env.store, env.user, model, 'read');
  const [record] = existingRows(env, model, [id]);
  if (!record)
    throw new OdooException('odoo.exceptions.MissingError', 'Record does not exist or has been deleted.');
  checkRules(env.store, env.user, model, 'read', [record]);
  const store = env.store;
  const xmlid = typeof a.subtype_xmlid === 'string' ? a.subtype_xmlid : undefined;
  const subtype =
    typeof a.subtype_id === 'number' && a.subtype_id
      ? a.subtype_id
      : (MAIL_SUBTYPES[xmlid ?? 'mail.mt_note']?.[0] ?? false);
  const messageId = store.allocateId('mail.message');
  const now = store.now();
  const body =
    typeof a.body === 'string'
      ? a.body_is_html || a.body.startsWith('<')
        ? a.body
        : `<p>${escapeHtml(a.body)}</p>`
      : '';
  store.insert('mail.message', {
    id: messageId,
    subject: typeof a.subject === 'string' ? a.subject : false,
    date: now,
    body,
    model,
    res_id: id,
    record_name: store.displayName(model, id),
    display_name: store.displayName(model, id),
    message_type: typeof a.message_type === 'string' ? a.message_type : 'notification',
    subtype_id: subtype,
    author_id: typeof a.author_id === 'number' ? a.author_id : env.user.partnerId,
    partner_ids: Array.isArray(a.partner_ids) ? a.partner_ids.filter((x) => typeof x === 'number') : [],
    create_uid: env.user.uid,
    create_date: now,
    write_uid: env.user.uid,
    write_date: now,
  });
  const messages = Array.isArray(record.message_ids) ? (record.message_ids as number[]) : [];
  store.patch(model, id, { message_ids: [messageId, ...messages] });
  return messageId;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>');
}

export function actionConfirm(env: Env, ids: readonly number[]): true {
  const rows = existingRows(env, 'sale.order', ids);
  for (const row of rows) {
    if (row.state !== 'draft' && row.state !== 'sent') {
      throw new OdooException(
        'odoo.exceptions.UserError',
        'Some orders are not in a state requiring confirmation.',
      );
    }
  }
  writeRecords(env, 'sale.order', ids, { state: 'sale', date_order: env.store.now() });
  return true;
}

export function actionSetWon(env: Env, ids: readonly number[]): true {
  const store = env.store;
  const rows = existingRows(env, 'crm.lead', ids);
  const won = store
    .rows('crm.stage')
    .filter((stage) => stage.is_won === true)
    .sort((a, b) => (Number(a.sequence) || 0) - (Number(b.sequence) || 0) || a.id - b.id);
  const inactive = rows.filter((row) => row.active === false).map((row) => row.id);
  if (inactive.length) writeRecords(env, 'crm.lead', inactive, { active: true });
  for (const row of rows) {
    const current = typeof row.stage_id === 'number' ? store.row('crm.stage', row.stage_id) : undefined;
    const sequence = Number(current?.sequence) || 0;
    const stage =
      won.find((s) => (Number(s.sequence) || 0) > sequence) ??
      [...won].reverse().find((s) => (Number(s.sequence) || 0) <= sequence) ??
      won[0];
    writeRecords(env, 'crm.lead', [row.id], { ...(stage ? { stage_id: stage.id } : {}), probability: 100 });
  }
  return true;
}

/** exists(): the ids that still exist (no access check, as in Odoo). */
export function exists(env: Env, model: string, ids: readonly number[]): number[] {
  return ids.filter((id) => env.store.row(model, id) !== undefined);
}

export function nameCreate(env: Env, model: string, name: unknown): [number, string] {
  const fields = env.store.fields(model) ?? {};
  const recName = 'name' in fields ? 'name' : undefined;
  if (!recName) {
    throw new OdooException(
      'odoo.exceptions.UserError',
      `Cannot execute name_create, no _rec_name defined on ${model}`,
    );
  }
  const [id] = createRecords(env, model, [{ [recName]: name }]);
  if (id === undefined) throw new OdooException('builtins.RuntimeError', 'name_create created nothing');
  return [id, env.store.displayName(model, id)];
}
