// Users, credentials, model access rights (ir.model.access), record rules (ir.rule) and field
// groups, reduced to the demo users the corpus was recorded with: admin (all rights), apiuser
// (internal user, base.group_user only) and apiportal (portal user). Error texts are Odoo's.
import { OdooException } from './api.js';
import type { Store } from './store.js';
import { majorOf, type OdooVersion, type Row } from './types.js';

export type Operation = 'read' | 'write' | 'create' | 'unlink';

export type Role = 'admin' | 'salesman' | 'internal' | 'portal';

export interface User {
  uid: number;
  login: string;
  name: string;
  partnerId: number;
  active: boolean;
  role: Role;
  groups: ReadonlySet<string>;
}

/**
 * The API keys of the recorded corpus (placeholders, identical on every version). Besides these,
 * every active user may log in with its login as password ('admin'/'admin', 'demo'/'demo',
 * 'apiuser'/'apiuser'...), the demo-database convention, so the emulator is usable by hand.
 */
export const DEMO_API_KEYS: Readonly<Record<string, string>> = {
  admin: 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000',
  apiuser: 'APIUSER_API_KEY_40_HEX_PLACEHOLDER_00000',
  apiportal: 'APIPORTAL_API_KEY_40_HEX_PLACEHOLDER_000',
};

const ROLE_GROUPS: Record<Exclude<Role, 'admin'>, string[]> = {
  internal: ['base.group_user'],
  portal: ['base.group_portal'],
  // Marc Demo: a salesman seeing all documents, allowed to create contacts.
  salesman: [
    'base.group_user',
    'base.group_partner_manager',
    'sales_team.group_sale_salesman',
    'sales_team.group_sale_salesman_all_leads',
  ],
};

export function userFromRow(row: Row): User {
  const login = String(row.login);
  const share = Boolean(row.share);
  const role: Role =
    login === 'admin' ? 'admin' : share ? 'portal' : login === 'demo' ? 'salesman' : 'internal';
  return {
    uid: row.id,
    login,
    name: typeof row.name === 'string' ? row.name : login,
    partnerId: typeof row.partner_id === 'number' ? row.partner_id : 0,
    active: row.active !== false,
    role,
    groups: new Set(role === 'admin' ? [] : ROLE_GROUPS[role]),
  };
}

export function findUser(store: Store, uid: number): User | undefined {
  const row = store.row('res.users', uid);
  return row ? userFromRow(row) : undefined;
}

export function findUserByLogin(store: Store, login: string): User | undefined {
  for (const row of store.rows('res.users')) if (row.login === login) return userFromRow(row);
  return undefined;
}

export function secretMatches(user: User, secret: string): boolean {
  if (!user.active || !secret) return false;
  return secret === user.login || secret === DEMO_API_KEYS[user.login];
}

/** Odoo's has_groups(): comma-separated xmlids, '!' negates; admin holds every group. */
export function hasGroups(user: User, spec: string): boolean {
  let positive = false;
  let matched = false;
  for (const raw of spec.split(',')) {
    const g = raw.trim();
    if (!g) continue;
    const negated = g.startsWith('!');
    const name = negated ? g.slice(1) : g;
    const has =
      user.role === 'admin'
        ? name !== 'base.group_portal' && name !== 'base.group_public'
        : user.groups.has(name);
    if (negated) {
      if (has) return false;
    } else {
      positive = true;
      if (has) matched = true;
    }
  }
  return matched || !positive;
}

// -- ir.model.access ------------------------------------------------------------------------------

type Perms = string; // subset of 'rwcu'

/** Access rows per model: [group xmlid, permissions]. Models not listed: readable by internal users. */
const ACL: Record<string, Array<[string, Perms]>> = {
  'res.partner': [
    ['base.group_user', 'r'],
    ['base.group_portal', 'r'],
    ['base.group_public', 'r'],
    ['base.group_partner_manager', 'rwcu'],
    ['sales_team.group_sale_salesman', 'rwc'],
    ['sales_team.group_sale_manager', 'rwcu'],
  ],
  'res.partner.category': [
    ['base.group_user', 'r'],
    ['base.group_partner_manager', 'rwcu'],
  ],
  'res.country': [
    ['base.group_user', 'r'],
    ['base.group_portal', 'r'],
    ['base.group_public', 'r'],
    ['base.group_system', 'rwcu'],
  ],
  'res.company': [
    ['base.group_user', 'r'],
    ['base.group_portal', 'r'],
    ['base.group_erp_manager', 'rwcu'],
  ],
  'res.users': [
    ['base.group_user', 'r'],
    ['base.group_portal', 'r'],
    ['base.group_erp_manager', 'rwcu'],
  ],
  'sale.order': [
    ['account.group_account_invoice', 'rwc'],
    ['account.group_account_readonly', 'r'],
    ['account.group_account_user', 'r'],
    ['base.group_portal', 'r'],
    ['sales_team.group_sale_salesman', 'rwc'],
    ['sales_team.group_sale_manager', 'rwcu'],
  ],
  'sale.order.line': [
    ['account.group_account_invoice', 'rwc'],
    ['account.group_account_readonly', 'r'],
    ['account.group_account_user', 'r'],
    ['base.group_portal', 'r'],
    ['sales_team.group_sale_salesman', 'rwcu'],
    ['sales_team.group_sale_manager', 'rwcu'],
  ],
  'crm.lead': [
    ['sales_team.group_sale_salesman', 'rwcu'],
    ['sales_team.group_sale_manager', 'rwcu'],
  ],
  'crm.stage': [
    ['base.group_user', 'r'],
    ['sales_team.group_sale_manager', 'rwcu'],
  ],
  'account.move': [
    ['account.group_account_invoice', 'rwcu'],
    ['account.group_account_readonly', 'r'],
    ['base.group_portal', 'r'],
  ],
  'product.template': [
    ['base.group_user', 'r'],
    ['base.group_portal', 'r'],
    ['sales_team.group_sale_manager', 'rwcu'],
  ],
  'product.product': [
    ['base.group_user', 'r'],
    ['base.group_portal', 'r'],
    ['sales_team.group_sale_manager', 'rwcu'],
  ],
  'product.category': [
    ['base.group_user', 'r'],
    ['base.group_portal', 'r'],
    ['sales_team.group_sale_manager', 'rwcu'],
  ],
  'uom.uom': [
    ['base.group_user', 'r'],
    ['base.group_portal', 'r'],
    ['sales_team.group_sale_manager', 'rwcu'],
  ],
  'ir.model': [
    ['base.group_user', 'r'],
    ['base.group_system', 'rwcu'],
  ],
  'ir.model.fields': [
    ['base.group_user', 'r'],
    ['base.group_system', 'rwcu'],
  ],
  'mail.message': [
    ['base.group_user', 'rwc'],
    ['base.group_portal', 'rc'],
  ],
};

const DEFAULT_ACL: Array<[string, Perms]> = [
  ['base.group_user', 'r'],
  ['base.group_system', 'rwcu'],
];

const PERM_LETTER: Record<Operation, string> = { read: 'r', write: 'w', create: 'c', unlink: 'u' };

/** Full names of groups as ir.model.access errors list them, per version ([name, has a category]); 15.0 to 17.0 share the names. */
function groupLabel(version: OdooVersion, xmlid: string): [string, boolean] {
  const v17: Record<string, string> = {
    'base.group_user': 'User types/Internal User',
    'base.group_portal': 'User types/Portal',
    'base.group_public': 'User types/Public',
    'base.group_partner_manager': 'Extra Rights/Contact Creation',
    'base.group_system': 'Administration/Settings',
    'base.group_erp_manager': 'Administration/Access Rights',
    'sales_team.group_sale_salesman': 'Sales/User: Own Documents Only',
    'sales_team.group_sale_salesman_all_leads': 'Sales/User: All Documents',
    'sales_team.group_sale_manager': 'Sales/Administrator',
    'account.group_account_invoice': 'Invoicing/Billing',
    'account.group_account_readonly': 'Technical/Show Accounting Features - Readonly',
    'account.group_account_user': 'Technical/Show Full Accounting Features',
  };
  const major = majorOf(version);
  if (major <= 17) return [v17[xmlid] ?? xmlid, true];
  if (major === 18) {
    if (xmlid === 'account.group_account_invoice') return ['Invoicing/Invoicing', true];
    return [v17[xmlid] ?? xmlid, true];
  }
  const v19: Record<string, [string, boolean]> = {
    'base.group_user': ['Role / User', false],
    'base.group_portal': ['Role / Portal', false],
    'base.group_public': ['Role / Public', false],
    'base.group_partner_manager': ['Contact/Creation', true],
    'base.group_system': ['Administration/Settings', true],
    'base.group_erp_manager': ['Administration/Access Rights', true],
    'sales_team.group_sale_salesman': ['Sales/User: Own Documents Only', true],
    'sales_team.group_sale_salesman_all_leads': ['Sales/User: All Documents', true],
    'sales_team.group_sale_manager': ['Sales/Administrator', true],
    'account.group_account_invoice': ['Accounting/Invoicing', true],
    'account.group_account_readonly': ['Show Accounting Features - Readonly', false],
    'account.group_account_user': ['Show Full Accounting Features', false],
  };
  return v19[xmlid] ?? [xmlid, true];
}

function aclRows(model: string): Array<[string, Perms]> {
  return ACL[model] ?? DEFAULT_ACL;
}

/** ir.model.access for one user: may it do `operation` on `model` at all? */
export function modelAllows(user: User, model: string, operation: Operation): boolean {
  if (user.role === 'admin') return true;
  const letter = PERM_LETTER[operation];
  return aclRows(model).some(([group, perms]) => perms.includes(letter) && user.groups.has(group));
}

const ACL_HEADS: Record<Operation, string> = {
  read: 'access',
  write: 'modify',
  create: 'create',
  unlink: 'delete',
};

export function aclError(store: Store, model: string, operation: Operation): OdooException {
  const description = store.table(model)?.description ?? model;
  const labels = aclRows(model)
    .filter(([, perms]) => perms.includes(PERM_LETTER[operation]))
    .map(([group]) => groupLabel(store.version, group));
  // 15 to 18 sort by full name; 19 lists groups with a privilege category first.
  labels.sort((a, b) =>
    store.version === '19.0' && a[1] !== b[1] ? (a[1] ? -1 : 1) : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0,
  );
  const head = `You are not allowed to ${ACL_HEADS[operation]} '${description}' (${model}) records.`;
  const groupInfo = labels.length
    ? `This operation is allowed for the following groups:\n${labels.map(([l]) => `\t- ${l}`).join('\n')}`
    : 'No group currently allows this operation.';
  return new OdooException(
    'odoo.exceptions.AccessError',
    `${head}\n\n${groupInfo}\n\nContact your administrator to request access if necessary.`,
  );
}

export function checkModelAccess(store: Store, user: User, model: string, operation: Operation): void {
  if (!modelAllows(user, model, operation)) throw aclError(store, model, operation);
}

// -- ir.rule ------------------------------------------------------------------------------------

/** The partner ids under `root` (child_of), root included, archived ones too. */
export function descendants(store: Store, root: number): Set<number> {
  const out = new Set<number>([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const row of store.rows('res.partner')) {
      const parent = row.parent_id;
      if (typeof parent === 'number' && out.has(parent) && !out.has(row.id)) {
        out.add(row.id);
        grew = true;
      }
    }
  }
  return out;
}

function commercialPartner(store: Store, user: User): number {
  const partner = store.row('res.partner', user.partnerId);
  const commercial = partner?.commercial_partner_id;
  return typeof commercial === 'number' ? commercial : user.partnerId;
}

/**
 * Record rules as predicates. Portal users see their commercial partner's tree and the documents
 * of it; internal users and admin have no restricting rule on the seeded models.
 */
export function ruleFilter(
  store: Store,
  user: User,
  model: string,
  _operation: Operation,
): ((row: Row) => boolean) | undefined {
  if (user.role !== 'portal') return undefined;
  const mine = () => descendants(store, commercialPartner(store, user));
  switch (model) {
    case 'res.partner': {
      const ids = mine();
      return (row) => ids.has(row.id);
    }
    case 'sale.order':
    case 'account.move': {
      const ids = mine();
      return (row) => typeof row.partner_id === 'number' && ids.has(row.partner_id);
    }
    case 'sale.order.line': {
      const ids = mine();
      return (row) => {
        const order = typeof row.order_id === 'number' ? store.row('sale.order', row.order_id) : undefined;
        return typeof order?.partner_id === 'number' && ids.has(order.partner_id);
      };
    }
    case 'res.users':
      return (row) => row.id === user.uid;
    default:
      return undefined;
  }
}

export function ruleError(store: Store, user: User, model: string, operation: Operation): OdooException {
  const description = store.table(model)?.description ?? model;
  if (majorOf(store.version) <= 16) {
    // _make_access_error before 17.0: users outside base.group_no_one (every demo user) get the
    // generic text, without the rules or the records.
    return new OdooException(
      'odoo.exceptions.AccessError',
      `Due to security restrictions, you are not allowed to ${ACL_HEADS[operation]} '${description}' (${model}) records.\n\n` +
        'Contact your administrator to request access if necessary.',
    );
  }
  return new OdooException(
    'odoo.exceptions.AccessError',
    'Uh-oh! Looks like you have stumbled upon some top-secret records.\n\n' +
      `Sorry, ${user.name} (id=${user.uid}) doesn't have '${operation}' access to:\n` +
      `- ${description} (${model})\n\n` +
      'If you really, really need access, perhaps you can win over your friendly administrator with a batch of freshly baked cookies.',
  );
}

/** check_access_rule: every existing row must pass the rules. */
export function checkRules(
  store: Store,
  user: User,
  model: string,
  operation: Operation,
  rows: readonly Row[],
): void {
  const allowed = ruleFilter(store, user, model, operation);
  if (allowed && rows.some((row) => !allowed(row))) throw ruleError(store, user, model, operation);
}

// -- field groups -------------------------------------------------------------------------------

export function fieldVisible(user: User, groups: unknown): boolean {
  return typeof groups !== 'string' || !groups || hasGroups(user, groups);
}

export function fieldAccessError(
  store: Store,
  user: User,
  model: string,
  operation: Operation,
  fields: readonly string[],
): OdooException {
  const description = store.table(model)?.description ?? model;
  return new OdooException(
    'odoo.exceptions.AccessError',
    `You do not have enough rights to access the fields "${fields.join(',')}" on ${description} (${model}). ` +
      `Please contact your system administrator.\n\n(Operation: ${operation}, User: ${user.uid})`,
  );
}
