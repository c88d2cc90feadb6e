// res.partner's non-stored computed fields, as the modules of the recorded databases compute them
// (base, mail, calendar, crm, sale, account, account_edi_ubl_cii; Odoo 15.0-19.0). Each reads the
// store, so the values follow writes. Where Odoo's value rests on data the seed does not have, the
// comment says what the value is derived from instead.
import { descendants, hasGroups, ruleFilter } from './access.js';
import { initialAvatar, PLACEHOLDER_AVATAR } from './avatar.js';
import type { Env } from './env.js';
import type { Store } from './store.js';
import type { Row } from './types.js';

const MODEL = 'res.partner';

function many2one(store: Store, model: string, id: unknown, load: unknown): unknown {
  if (typeof id !== 'number') return false;
  return load === '_classic_read' ? [id, store.displayName(model, id)] : id;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

// -- companies --------------------------------------------------------------------------------------

function userCompany(env: Env): number | undefined {
  const company = env.store.row('res.users', env.user.uid)?.company_id;
  return typeof company === 'number' ? company : undefined;
}

function allowedCompanies(env: Env): number[] | undefined {
  const allowed = env.context.allowed_company_ids;
  if (!Array.isArray(allowed)) return undefined;
  const ids = allowed.filter(
    (id): id is number => typeof id === 'number' && !!env.store.row('res.company', id),
  );
  return ids.length ? ids : undefined;
}

/** self.env.company: the first allowed company of the context, else the user's company. */
export function envCompany(env: Env): number | undefined {
  return allowedCompanies(env)?.[0] ?? userCompany(env) ?? env.store.rows('res.company')[0]?.id;
}

/**
 * self.env.companies: the context's allowed companies, else all the user's companies. The seed does
 * not record users' company_ids: the administrator is taken to have every company (Odoo's demo data
 * gives it each company it creates) and other users their own company only.
 */
function envCompanies(env: Env): number[] {
  const allowed = allowedCompanies(env);
  if (allowed) return allowed;
  if (env.user.role === 'admin') return env.store.rows('res.company').map((row) => row.id);
  const own = userCompany(env);
  return own === undefined ? [] : [own];
}

/** A company's country: its partner's (res.company.country_id is related to partner_id.country_id). */
function companyCountry(store: Store, companyId: number | undefined): Row | undefined {
  const company = companyId === undefined ? undefined : store.row('res.company', companyId);
  const partner = typeof company?.partner_id === 'number' ? store.row(MODEL, company.partner_id) : undefined;
  return typeof partner?.country_id === 'number' ? store.row('res.country', partner.country_id) : undefined;
}

// -- hierarchy and counts ---------------------------------------------------------------------------

/** The partner and its descendants (child_of with active_test=False), memoised for the call. */
function tree(env: Env, id: number): Set<number> {
  const key = `partner-tree:${env.store.revision}:${id}`;
  let hit = env.memo.get(key) as Set<number> | undefined;
  if (!hit) {
    hit = descendants(env.store, id);
    env.memo.set(key, hit);
  }
  return hit;
}

/** Rows of `model` whose partner_id is in the partner's tree, record rules applied. */
function treeRows(env: Env, model: string, row: Row, accept: (doc: Row) => boolean = () => true): Row[] {
  const ids = tree(env, row.id);
  const rule = ruleFilter(env.store, env.user, model, 'read');
  return env.store
    .rows(model)
    .filter(
      (doc) =>
        typeof doc.partner_id === 'number' && ids.has(doc.partner_id) && accept(doc) && (!rule || rule(doc)),
    );
}

/**
 * calendar: the events of the partner and of its descendants (calendar_event_res_partner_rel),
 * counted once each. calendar.event is not seeded: the partners' meeting_ids are the relation, and
 * every event counts (archived events and private-event rules cannot be told apart here).
 */
function meetingCount(env: Env, row: Row): number {
  const events = new Set<number>();
  for (const id of tree(env, row.id)) {
    const ids = env.store.row(MODEL, id)?.meeting_ids;
    if (Array.isArray(ids)) for (const event of ids) if (typeof event === 'number') events.add(event);
  }
  return events.size;
}

/** crm: leads and opportunities of the partner's tree, archived ones included. */
function opportunityCount(env: Env, row: Row): number {
  return treeRows(env, 'crm.lead', row).length;
}

/** sale: sale orders of the partner's tree. */
function saleOrderCount(env: Env, row: Row): number {
  return treeRows(env, 'sale.order', row).length;
}

/** account (19.0): customer invoices and credit notes of the partner's tree, any state. */
function accountMoveCount(env: Env, row: Row): number {
  return treeRows(env, 'account.move', row, (move) =>
    ['out_invoice', 'out_refund'].includes(str(move.move_type)),
  ).length;
}

/** account: vendor bills and refunds of the partner's tree in the current company (or none). */
function supplierInvoiceCount(env: Env, row: Row): number {
  const company = envCompany(env);
  return treeRows(
    env,
    'account.move',
    row,
    (move) =>
      ['in_invoice', 'in_refund'].includes(str(move.move_type)) &&
      (move.company_id === false || move.company_id === undefined || move.company_id === company),
  ).length;
}

/**
 * application_statistics (19.0): the hooks of the installed modules, in their loading order
 * (calendar, account, crm, sale), each adding a tag when its count is not zero.
 */
function applicationStatistics(env: Env, row: Row): Array<Record<string, unknown>> {
  const stats: Array<Record<string, unknown>> = [];
  const meetings = meetingCount(env, row);
  if (meetings)
    stats.push({ iconClass: 'fa-calendar', value: meetings, label: 'Meetings', tagClass: 'o_tag_color_3' });
  if (hasGroups(env.user, 'account.group_account_invoice')) {
    const moves = accountMoveCount(env, row) + supplierInvoiceCount(env, row);
    if (moves)
      stats.push({
        iconClass: 'fa-pencil-square-o',
        value: moves,
        label: 'Invoices/Bills/Mandates',
        tagClass: 'o_tag_color_9',
      });
  }
  if (hasGroups(env.user, 'sales_team.group_sale_salesman')) {
    const opportunities = opportunityCount(env, row);
    if (opportunities)
      stats.push({
        iconClass: 'fa-star',
        value: opportunities,
        label: 'Opportunities',
        tagClass: 'o_tag_color_8',
      });
    const orders = saleOrderCount(env, row);
    if (orders)
      stats.push({ iconClass: 'fa-usd', value: orders, label: 'Sale Orders', tagClass: 'o_tag_color_2' });
  }
  return stats;
}

// -- addresses --------------------------------------------------------------------------------------

const DEFAULT_ADDRESS_FORMAT = '%(street)s\n%(street2)s\n%(city)s %(state_code)s %(zip)s\n%(country_name)s';

/** _display_address: the country's address_format (or Odoo's default) filled in, company name first. */
export function displayAddress(store: Store, row: Row, withoutCompany = false): string {
  const country = typeof row.country_id === 'number' ? store.row('res.country', row.country_id) : undefined;
  const state = typeof row.state_id === 'number' ? store.row('res.country.state', row.state_id) : undefined;
  let format = str(country?.address_format) || DEFAULT_ADDRESS_FORMAT;
  const company = str(row.commercial_company_name);
  const args: Record<string, string> = {
    state_code: str(state?.code),
    state_name: str(state?.name),
    country_code: str(country?.code),
    country_name: str(country?.name),
    company_name: withoutCompany ? '' : company,
    street: str(row.street),
    street2: str(row.street2),
    zip: str(row.zip),
    city: str(row.city),
    // Python formats the records themselves: 'res.country.state(13,)'.
    state_id: state ? `res.country.state(${state.id},)` : '',
    country_id: country ? `res.country(${country.id},)` : '',
  };
  if (!withoutCompany && company) format = `%(company_name)s\n${format}`;
  // defaultdict(str): unknown keys format as ''.
  return format.replace(/%\(([^)]*)\)s|%%/g, (match, key?: string) =>
    match === '%%' ? '%' : (args[key ?? ''] ?? ''),
  );
}

/** mail: the address on one line, runs of line breaks (and the blanks between) made ', '. */
function inlineAddress(address: string): string {
  return address
    .replace(/\n(\s|\n)*/g, ', ')
    .trim()
    .replace(/^,+|,+$/g, '');
}

// -- avatars ----------------------------------------------------------------------------------------

/** Active, non-share users of the partner (an inactive user is not in partner.user_ids). */
function hasInternalUser(store: Store, row: Row): boolean {
  const ids = Array.isArray(row.user_ids) ? row.user_ids : [];
  return ids.some((id) => {
    const user = typeof id === 'number' ? store.row('res.users', id) : undefined;
    return !!user && user.active !== false && user.share !== true;
  });
}

/**
 * avatar_<size>: the image of that size when there is one. Otherwise Odoo draws the initial SVG for
 * partners with an internal user (and, from 19.0, for every partner of type 'contact'), and gives
 * the others the placeholder picture of their kind, for which the emulator has a stand-in.
 */
function partnerAvatar(env: Env, row: Row, size: string): string {
  const image = row[`image_${size}`];
  if (typeof image === 'string' && image) return image;
  const drawn = hasInternalUser(env.store, row) || (env.version === '19.0' && row.type === 'contact');
  const name = str(row.name);
  return drawn && name ? initialAvatar(name, row.create_date) : PLACEHOLDER_AVATAR;
}

// -- other computes ---------------------------------------------------------------------------------

/** base_vat's _ref_vat examples, for the countries the seeds have (res.country is fully seeded). */
const VAT_EXAMPLES: Record<string, string> = { be: 'BE0477472701', sm: 'SM24165' };

function vatPlaceholder(env: Env, row: Row): string {
  const notApplicable = env.version === '18.0' ? '/ if not applicable' : 'not applicable';
  const country =
    typeof row.country_id === 'number' ? env.store.row('res.country', row.country_id) : undefined;
  const example = VAT_EXAMPLES[str(country?.code).toLowerCase()];
  return example ? `${example}, or ${notApplicable}` : notApplicable;
}

function fiscalCountryCodes(env: Env, row: Row): string {
  const companies = typeof row.company_id === 'number' ? [row.company_id] : envCompanies(env);
  // companies.mapped('account_fiscal_country_id.code'): the countries as a set, in order.
  const countries = [
    ...new Set(companies.map((id) => env.store.row('res.company', id)?.account_fiscal_country_id)),
  ].filter((id): id is number => typeof id === 'number');
  const codes = countries.map((id) => str(env.store.row('res.country', id)?.code));
  // 19.0 adds the partner's own country code (duplicates kept: "US,US").
  if (env.version === '19.0' && row.country_id) {
    const own = str(env.store.row('res.country', row.country_id as number)?.code);
    if (own) codes.push(own);
  }
  return codes.join(',');
}

/**
 * account_fiscal_country_group_codes of the companies: the codes of their fiscal country's groups,
 * or [''] for a country in no group. The seed's country groups carry no code, so a group counts as
 * one without code (the seeded companies' fiscal countries belong to no group anyway).
 */
function fiscalCountryGroupCodes(env: Env, row: Row): string[] {
  const companies = typeof row.company_id === 'number' ? [row.company_id] : envCompanies(env);
  const codes = new Set<string>();
  for (const id of companies) {
    const countryId = env.store.row('res.company', id)?.account_fiscal_country_id;
    if (typeof countryId !== 'number') {
      codes.add('');
      continue;
    }
    const groups = env.store.row('res.country', countryId)?.country_group_ids;
    const own = (Array.isArray(groups) ? groups : [])
      .map((g) => (typeof g === 'number' ? str(env.store.row('res.country.group', g)?.code) : ''))
      .filter(Boolean);
    for (const code of own.length ? own : ['']) codes.add(code);
  }
  return [...codes];
}

/** main_user_id (19.0): the current user for its own partner, else internal users first, lowest id. */
function mainUser(env: Env, row: Row): number | false {
  if (env.user.partnerId === row.id) return env.user.uid;
  const users = (Array.isArray(row.user_ids) ? row.user_ids : [])
    .map((id) => (typeof id === 'number' ? env.store.row('res.users', id) : undefined))
    .filter((user): user is Row => !!user && user.active !== false);
  if (!users.length) {
    // OdooBot's user is archived: its partner still has it as main user.
    const root = env.store.row('res.users', 1);
    return root?.partner_id === row.id ? 1 : false;
  }
  users.sort((a, b) => Number(a.share === true) - Number(b.share === true) || a.id - b.id);
  return users[0]?.id ?? false;
}

/**
 * The properties.base.definition of res.partner's `properties` (19.0). Odoo creates it the first
 * time it is asked for; so does the emulator, in the model's stand-in table.
 */
function propertiesDefinition(env: Env): number | false {
  const store = env.store;
  const table = store.table('properties.base.definition');
  if (!table) return false;
  for (const row of table.rows.values()) if (row.properties_model === MODEL) return row.id;
  const id = store.allocateId('properties.base.definition');
  const label = `${store.table(MODEL)?.description ?? MODEL} Properties`;
  store.insert('properties.base.definition', {
    id,
    name: label,
    display_name: label,
    properties_model: MODEL,
  });
  return id;
}

/** The value of a non-stored computed field of res.partner, or undefined when it is not one of these. */
export function partnerComputed(env: Env, row: Row, name: string, load: unknown): unknown {
  const store = env.store;
  const avatar = /^avatar_(\d+)$/.exec(name);
  if (avatar) return partnerAvatar(env, row, avatar[1] ?? '');
  switch (name) {
    case 'self':
      return many2one(store, MODEL, row.id, load);
    case 'company_type':
      return row.is_company ? 'company' : 'person';
    case 'parent_name': {
      const parent = typeof row.parent_id === 'number' ? store.row(MODEL, row.parent_id) : undefined;
      return parent?.name ?? false;
    }
    case 'country_code': {
      const country =
        typeof row.country_id === 'number' ? store.row('res.country', row.country_id) : undefined;
      return country?.code ?? false;
    }
    case 'email_formatted':
      return row.email ? `"${typeof row.name === 'string' ? row.name : 'False'}" <${row.email}>` : false;
    case 'active_lang_count':
      return 1;
    case 'is_public':
      return false;
    case 'im_status':
      return Array.isArray(row.user_ids) && row.user_ids.length ? 'offline' : 'im_partner';
    case 'trust':
      return row.trust ?? 'normal';
    case 'currency_id': {
      // account: the currency of the partner's company, else of the current company
      const companyId = typeof row.company_id === 'number' ? row.company_id : envCompany(env);
      const company = companyId === undefined ? undefined : store.row('res.company', companyId);
      return many2one(store, 'res.currency', company?.currency_id, load);
    }
    case 'contact_address':
      return displayAddress(store, row);
    case 'contact_address_inline':
      return inlineAddress(displayAddress(store, row));
    case 'type_address_label':
      if (row.type === 'invoice') return 'Invoice Address';
      if (row.type === 'delivery') return 'Delivery Address';
      return row.type === 'contact' && row.parent_id ? 'Company Address' : 'Address';
    case 'vat_label':
      return str(companyCountry(store, envCompany(env))?.vat_label) || 'Tax ID';
    case 'company_registry_label':
      // base has no label per country and no installed module adds one.
      return 'Company ID';
    case 'partner_vat_placeholder':
      return vatPlaceholder(env, row);
    case 'partner_company_registry_placeholder':
      // account's _ref_company_registry only knows jp, dk and fi: none of the seeded countries.
      return '';
    case 'fiscal_country_codes':
      return fiscalCountryCodes(env, row);
    case 'fiscal_country_group_codes':
      return fiscalCountryGroupCodes(env, row);
    case 'is_coa_installed': {
      const company = envCompany(env);
      return !!(company !== undefined && store.row('res.company', company)?.chart_template);
    }
    case 'display_invoice_edi_format': {
      // a non-stored field whose default is whether invoice_edi_format has choices
      const selection = store.fields(MODEL)?.invoice_edi_format?.selection;
      return Array.isArray(selection) && selection.length > 0;
    }
    case 'available_peppol_eas': {
      const selection = store.fields(MODEL)?.peppol_eas?.selection;
      return Array.isArray(selection) ? selection.map(([key]) => key) : false;
    }
    case 'available_invoice_template_pdf_report_ids': {
      // The invoice report actions of the company: ir.actions.report is not seeded, the ids are
      // the ones the recorded database answered (the same for every partner).
      const ids = store.recordedComputed(MODEL, name);
      return Array.isArray(ids) ? [...ids] : [];
    }
    case 'property_product_pricelist': {
      // 15.0/16.0: the company's first pricelist for every partner, as recorded (product.pricelist
      // is not seeded); from 17.0 it stays false while pricelists are not enabled.
      const pricelist = store.recordedComputed(MODEL, name);
      if (!Array.isArray(pricelist)) return false;
      return load === '_classic_read' ? [...pricelist] : pricelist[0];
    }
    case 'properties_base_definition_id':
      return many2one(store, 'properties.base.definition', propertiesDefinition(env), load);
    case 'main_user_id':
      return many2one(store, 'res.users', mainUser(env, row), load);
    case 'meeting_count':
      return meetingCount(env, row);
    case 'opportunity_count':
      return opportunityCount(env, row);
    case 'sale_order_count':
      return saleOrderCount(env, row);
    case 'account_move_count':
      return accountMoveCount(env, row);
    case 'supplier_invoice_count':
      return supplierInvoiceCount(env, row);
    case 'application_statistics':
      return applicationStatistics(env, row);
    default:
      return undefined;
  }
}
