// res.partner's computed fields on records the corpus does not read: avatars (image, initial SVG,
// placeholder), images following writes, addresses, counts over the partner tree, company-dependent
// defaults (17.0) and the 19.0 statistics, definitions and labels.
import { describe, expect, it } from 'vitest';
import type { EmulatedOrm, OdooVersion } from '../../src/emulator/orm/index.js';
import { findCase, VERSIONS } from '../helpers/corpus.js';
import { call, makeOrm, uids } from './orm-helpers.js';

function read(orm: EmulatedOrm, ids: number[], fields: string[], uid = 2, kwargs = {}) {
  return call(orm, 'res.partner', 'read', [ids, fields], kwargs, uid) as Record<string, unknown>[];
}

function one(orm: EmulatedOrm, id: number, fields: string[], uid = 2): Record<string, unknown> {
  const [row] = read(orm, [id], fields, uid);
  if (!row) throw new Error(`no partner ${id}`);
  return row;
}

function decoded(value: unknown): string {
  return Buffer.from(String(value), 'base64').toString('utf8');
}

/** The SVG Odoo draws, for a name and colour computed independently (Python's hashlib, create_date as in the seed). */
function svg(colour: string, initial: string): string {
  return (
    "<?xml version='1.0' encoding='UTF-8' ?>" +
    "<svg height='180' width='180' xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'>" +
    `<rect fill='${colour}' height='180' width='180'/>` +
    `<text fill='#ffffff' font-size='96' text-anchor='middle' x='90' y='125' font-family='sans-serif'>${initial}</text>` +
    '</svg>'
  );
}

describe('avatars and images', () => {
  it.each([
    ['17.0', 'hsl(268, 46%, 45%)'],
    ['18.0', 'hsl(95, 59%, 45%)'],
    ['19.0', 'hsl(10, 48%, 45%)'],
  ] as const)('%s: a partner with an internal user and no image gets the initial SVG', (version, colour) => {
    const orm = makeOrm(version);
    const row = one(orm, 3, ['image_128', 'avatar_128', 'avatar_1920']);
    expect(row.image_128).toBe(false);
    expect(decoded(row.avatar_128)).toBe(svg(colour, 'M'));
    expect(row.avatar_1920).toBe(row.avatar_128);
  });

  it.each(['17.0', '18.0'] as const)(
    '%s: a partner without internal user nor image gets a placeholder picture',
    (version) => {
      const orm = makeOrm(version);
      const row = one(orm, 10, ['image_128', 'avatar_128', 'user_ids']);
      expect(row).toMatchObject({ image_128: false, user_ids: [] });
      expect(decoded(row.avatar_128)).toMatch(/^<\?xml.*<svg .*<rect fill='#d9d9d9'/);
    },
  );

  it('19.0: every contact without an image gets the initial SVG', () => {
    const orm = makeOrm('19.0');
    const row = one(orm, 9, ['name', 'type', 'avatar_128']);
    expect(row).toMatchObject({ name: 'Deco Addict', type: 'contact' });
    expect(decoded(row.avatar_128)).toBe(svg('hsl(123, 43%, 45%)', 'D'));
  });

  it.each([
    ['17.0', 9, 22],
    ['18.0', 9, 23],
    ['19.0', 8, 23],
  ] as const)(
    '%s: recorded images are served in every size, and avatars are the images',
    (version, full, small) => {
      const orm = makeOrm(version);
      const sizes = ['image_1920', 'image_1024', 'image_512', 'image_256', 'image_128'];
      const [a, b] = read(orm, [full, small], [...sizes, 'avatar_1920', 'avatar_128']);
      // 200x200 PNG: kept as is up to 256, resized for 128
      expect(a?.image_1024).toBe(a?.image_1920);
      expect(a?.image_256).toBe(a?.image_1920);
      expect(a?.image_128).not.toBe(a?.image_1920);
      expect(String(a?.image_128)).toMatch(/^iVBORw0KGgo/);
      expect(a?.avatar_1920).toBe(a?.image_1920);
      expect(a?.avatar_128).toBe(a?.image_128);
      // only image_128 was recorded for the other one: every size serves it
      expect(String(b?.image_128)).toMatch(/^\/9j\//);
      for (const size of sizes) expect(b?.[size]).toBe(b?.image_128);
    },
  );

  it('writing image_1920 updates the other sizes and the avatars; clearing it brings the SVG back', () => {
    const orm = makeOrm('17.0');
    const picture = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64');
    call(orm, 'res.partner', 'write', [[3], { image_1920: picture }]);
    expect(one(orm, 3, ['image_128', 'image_512', 'avatar_128'])).toEqual({
      id: 3,
      image_128: picture,
      image_512: picture,
      avatar_128: picture,
    });
    call(orm, 'res.partner', 'write', [[3], { image_1920: false }]);
    const row = one(orm, 3, ['image_128', 'avatar_128']);
    expect(row.image_128).toBe(false);
    expect(decoded(row.avatar_128)).toContain('>M</text>');
  });

  it('a new partner has no image and, with a name, an avatar', () => {
    const orm = makeOrm('19.0');
    const id = call(orm, 'res.partner', 'create', [{ name: 'Éva' }]) as number;
    const row = one(orm, id, ['image_1920', 'avatar_128']);
    expect(row.image_1920).toBe(false);
    expect(decoded(row.avatar_128)).toContain('>É</text>');
  });
});

describe('addresses', () => {
  it('follow the country format, the state code and the company name, and follow writes', () => {
    const orm = makeOrm('18.0');
    expect(one(orm, 10, ['contact_address', 'contact_address_inline'])).toEqual({
      id: 10,
      contact_address: 'Deco Addict\n77 Santa Barbara Rd\n\nPleasant Hill CA 94523\nUnited States',
      contact_address_inline: 'Deco Addict, 77 Santa Barbara Rd, Pleasant Hill CA 94523, United States',
    });
    call(orm, 'res.partner', 'write', [[10], { street2: 'Suite 4', state_id: 47, city: 'Erie' }]);
    expect(one(orm, 10, ['contact_address_inline']).contact_address_inline).toBe(
      'Deco Addict, 77 Santa Barbara Rd, Suite 4, Erie PA 94523, United States',
    );
  });

  it("use the country's own format (zip before city in Belgium) and Odoo's default without a country", () => {
    const orm = makeOrm('18.0');
    const be = call(orm, 'res.partner', 'create', [
      { name: 'Bruxelles SA', street: 'Rue Haute 1', zip: '1000', city: 'Bruxelles', country_id: 20 },
    ]) as number;
    const bare = call(orm, 'res.partner', 'create', [{ name: 'Nowhere', city: 'Springfield' }]) as number;
    const [a, b] = read(orm, [be, bare], ['contact_address', 'contact_address_inline']);
    expect(a?.contact_address).toBe('Rue Haute 1\n\n1000 Bruxelles\nBelgium');
    // mail's inline form keeps what Python's strip().strip(',') keeps
    expect(b).toMatchObject({
      contact_address: '\n\nSpringfield  \n',
      contact_address_inline: ' Springfield  ',
    });
  });
});

describe('counts and statistics', () => {
  it("meeting_count counts the events of the partner's contacts once each", () => {
    const orm = makeOrm('17.0');
    const before = one(orm, 9, ['meeting_count', 'meeting_ids', 'child_ids']);
    expect(before).toMatchObject({ meeting_count: 3, meeting_ids: [4, 6, 1] });
    const child = (before.child_ids as number[])[0] as number;
    call(orm, 'res.partner', 'write', [[child], { meeting_ids: [[6, 0, [1, 99]]] }]);
    expect(one(orm, 9, ['meeting_count']).meeting_count).toBe(4);
    expect(one(orm, child, ['meeting_count']).meeting_count).toBe(2);
  });

  it("19.0: application_statistics tags what the user's groups may see", () => {
    const orm = makeOrm('19.0');
    const { apiuser } = uids('19.0');
    const admin = one(orm, 15, ['application_statistics', 'meeting_count', 'opportunity_count']);
    const labels = (admin.application_statistics as Array<{ label: string; value: number }>).map(
      (s) => s.label,
    );
    expect(labels).toEqual(['Meetings', 'Invoices/Bills/Mandates', 'Opportunities']);
    expect(admin.application_statistics).toContainEqual({
      iconClass: 'fa-calendar',
      value: admin.meeting_count,
      label: 'Meetings',
      tagClass: 'o_tag_color_3',
    });
    // an internal user without accounting nor sales rights only sees the meetings
    const plain = one(orm, 15, ['application_statistics'], apiuser);
    expect((plain.application_statistics as Array<{ label: string }>).map((s) => s.label)).toEqual([
      'Meetings',
    ]);
  });

  it('sale_order_count follows new orders of a contact', () => {
    const orm = makeOrm('18.0');
    const before = one(orm, 10, ['sale_order_count', 'child_ids']);
    const contact = (before.child_ids as number[])[0] as number;
    call(orm, 'sale.order', 'create', [{ partner_id: contact }]);
    expect(one(orm, 10, ['sale_order_count']).sale_order_count).toBe((before.sale_order_count as number) + 1);
  });
});

describe('company-dependent and company-wide values', () => {
  it('17.0: the chart of accounts defaults apply to every partner and to default_get', () => {
    const orm = makeOrm('17.0');
    const fields = [
      'property_account_payable_id',
      'property_account_receivable_id',
      'property_supplier_payment_term_id',
    ];
    expect(one(orm, 10, fields)).toEqual({
      id: 10,
      property_account_payable_id: [14, '211000 Account Payable'],
      property_account_receivable_id: [6, '121000 Account Receivable'],
      property_supplier_payment_term_id: false,
    });
    expect(call(orm, 'res.partner', 'default_get', [['property_account_payable_id', 'name']])).toEqual({
      property_account_payable_id: 14,
    });
    const id = call(orm, 'res.partner', 'create', [{ name: 'New Vendor' }]) as number;
    expect(one(orm, id, ['property_account_receivable_id']).property_account_receivable_id).toEqual([
      6,
      '121000 Account Receivable',
    ]);
  });

  it.each([
    [
      '18.0',
      10,
      { vat_label: 'Tax ID', is_coa_installed: true, partner_vat_placeholder: '/ if not applicable' },
    ],
    [
      '19.0',
      9,
      { vat_label: 'Tax ID', type_address_label: 'Address', partner_vat_placeholder: 'not applicable' },
    ],
    ['19.0', 10, { partner_vat_placeholder: 'SM24165, or not applicable', fiscal_country_codes: 'US,SM' }],
  ] as const)('%s: labels and placeholders of partner %i', (version: OdooVersion, id, expected) => {
    const orm = makeOrm(version);
    expect(one(orm, id, Object.keys(expected))).toMatchObject(expected);
  });

  it('18.0: the VAT placeholder shows the example of the partner country', () => {
    const orm = makeOrm('18.0');
    const id = call(orm, 'res.partner', 'create', [{ name: 'Gent NV', country_id: 20 }]) as number;
    expect(one(orm, id, ['partner_vat_placeholder']).partner_vat_placeholder).toBe(
      'BE0477472701, or / if not applicable',
    );
  });

  it('19.0: type_address_label, fiscal codes, the properties definition and the main user', () => {
    const orm = makeOrm('19.0');
    const child = call(orm, 'res.partner', 'create', [
      { name: 'Kid', parent_id: 9, country_id: 233 },
    ]) as number;
    const invoice = call(orm, 'res.partner', 'create', [{ name: 'Billing', type: 'invoice' }]) as number;
    const bare = call(orm, 'res.partner', 'create', [{ name: 'No Country', country_id: false }]) as number;
    const rows = read(
      orm,
      [child, invoice, bare, 3],
      [
        'type_address_label',
        'fiscal_country_codes',
        'fiscal_country_group_codes',
        'properties_base_definition_id',
        'main_user_id',
      ],
    );
    expect(rows.map((r) => r.type_address_label)).toEqual([
      'Company Address',
      'Invoice Address',
      'Address',
      'Address',
    ]);
    expect(rows.map((r) => r.fiscal_country_codes)).toEqual(['US,US', 'US', 'US', 'US,US']);
    expect(rows.every((r) => JSON.stringify(r.fiscal_country_group_codes) === '[""]')).toBe(true);
    expect(rows.map((r) => r.properties_base_definition_id)).toEqual(
      Array(4).fill([1, 'Contact Properties']),
    );
    expect(rows.map((r) => r.main_user_id)).toEqual([false, false, false, [2, 'Mitchell Admin']]);
  });
});

describe('read() without fields on every partner', () => {
  /** Field types whose empty value read() gives as false. */
  const FALSY = new Set([
    'char',
    'text',
    'html',
    'binary',
    'many2one',
    'date',
    'datetime',
    'selection',
    'json',
    'reference',
    'many2one_reference',
  ]);

  it.each(VERSIONS)('%s: the recorded key set, and values of the recorded kinds', (version) => {
    const recorded = JSON.parse(findCase(version, 'partner_read_all_fields', 'jsonrpc').response.body) as {
      result: Record<string, unknown>[];
    };
    const sample = recorded.result[0] ?? {};
    const orm = makeOrm(version);
    const fields = call(orm, 'res.partner', 'fields_get', [], { attributes: ['type'] }) as Record<
      string,
      { type: string }
    >;
    const ids = call(orm, 'res.partner', 'search', [[]], { context: { active_test: false } }) as number[];
    const kind = (v: unknown) => (Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v);
    const problems: string[] = [];
    for (const row of read(orm, ids, [])) {
      expect(Object.keys(row).sort()).toEqual(Object.keys(sample).sort());
      for (const [key, value] of Object.entries(row)) {
        if (kind(value) === kind(sample[key])) continue;
        if (value === false && FALSY.has(fields[key]?.type ?? '')) continue;
        if (sample[key] === false && FALSY.has(fields[key]?.type ?? '')) continue;
        problems.push(`${row.id}.${key}: ${kind(value)} where Odoo gave ${kind(sample[key])}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
