// The pure parts of the record service: input encoding, domain checks, default fields, file types.
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import type { FieldsMeta } from '../../src/odoo/values.js';
import { defaultFieldNames } from '../../src/services/metadata.js';
import { AccessPolicy, globToRegExp } from '../../src/services/policy.js';
import { cutText, domainFields, encodeValues, InputError, sniffMime } from '../../src/services/records.js';

const FIELDS: FieldsMeta = {
  name: { type: 'char', required: true, store: true },
  partner_id: { type: 'many2one', relation: 'res.partner', store: true },
  tag_ids: { type: 'many2many', relation: 'crm.tag', store: true },
  order_line: { type: 'one2many', relation: 'sale.order.line', store: true },
  active: { type: 'boolean', store: true },
  note: { type: 'html', store: true },
};

describe('encodeValues', () => {
  it('takes many2one as an id or {id}, and null as false', () => {
    expect(encodeValues({ partner_id: 7 }, FIELDS)).toEqual({ partner_id: 7 });
    expect(encodeValues({ partner_id: { id: 7, name: 'x' } }, FIELDS)).toEqual({ partner_id: 7 });
    expect(encodeValues({ partner_id: null, name: null, active: null }, FIELDS)).toEqual({
      partner_id: false,
      name: false,
      active: false,
    });
    expect(() => encodeValues({ partner_id: 'Deco' }, FIELDS)).toThrow(InputError);
  });

  it('turns a plain id list into SET, objects into CREATE, and keeps tuple and named commands', () => {
    expect(encodeValues({ tag_ids: [1, 2] }, FIELDS)).toEqual({ tag_ids: [[6, 0, [1, 2]]] });
    expect(encodeValues({ tag_ids: [] }, FIELDS)).toEqual({ tag_ids: [[6, 0, []]] });
    expect(encodeValues({ order_line: [{ product_id: 5, product_uom_qty: 2 }] }, FIELDS)).toEqual({
      order_line: [[0, 0, { product_id: 5, product_uom_qty: 2 }]],
    });
    expect(
      encodeValues(
        {
          tag_ids: [
            [4, 9],
            [3, 2, 0],
          ],
        },
        FIELDS,
      ),
    ).toEqual({
      tag_ids: [
        [4, 9, 0],
        [3, 2, 0],
      ],
    });
    expect(
      encodeValues(
        {
          tag_ids: [
            { link: 9 },
            { unlink: 2 },
            { set: [1, 3] },
            { clear: true },
            { delete: 4 },
            { create: { name: 'new' } },
            { update: { id: 5, values: { name: 'renamed' } } },
          ],
        },
        FIELDS,
      ),
    ).toEqual({
      tag_ids: [
        [4, 9, 0],
        [3, 2, 0],
        [6, 0, [1, 3]],
        [5, 0, 0],
        [2, 4, 0],
        [0, 0, { name: 'new' }],
        [1, 5, { name: 'renamed' }],
      ],
    });
    expect(encodeValues({ tag_ids: null }, FIELDS)).toEqual({ tag_ids: [[5, 0, 0]] });
    expect(() => encodeValues({ tag_ids: 'a,b' }, FIELDS)).toThrow(/give a list of ids/);
    expect(() => encodeValues({ tag_ids: ['x'] }, FIELDS)).toThrow(/is not an id, a command/);
  });
});

describe('domainFields', () => {
  it('returns the first segment of each leaf and accepts prefix operators and TRUE/FALSE leaves', () => {
    expect(
      domainFields([
        '|',
        ['name', 'ilike', 'a'],
        '!',
        ['partner_id.country_id.code', '=', 'BE'],
        [1, '=', 1],
      ]),
    ).toEqual(['name', 'partner_id']);
  });

  it('explains malformed domains', () => {
    expect(() => domainFields('name = x')).toThrow(/domain must be a JSON array/);
    expect(() => domainFields([['name', '=']])).toThrow(/must be \[field, operator, value\]/);
    expect(() => domainFields(['&&'])).toThrow(/not one of "&", "\|", "!"/);
    expect(() => domainFields([['', '=', 1]])).toThrow(/must start with a field name/);
  });
});

describe('defaultFieldNames', () => {
  it('prefers identity and business fields and leaves out heavy and technical ones', () => {
    const fields: FieldsMeta = {
      id: { type: 'integer' },
      display_name: { type: 'char', store: false },
      name: { type: 'char', store: true, required: true },
      email: { type: 'char', store: true },
      image_1920: { type: 'binary', store: true },
      comment: { type: 'html', store: true },
      child_ids: { type: 'one2many', store: true },
      message_ids: { type: 'one2many', store: true },
      write_date: { type: 'datetime', store: true },
      country_id: { type: 'many2one', store: true },
      x_custom_required: { type: 'char', store: true, required: true },
      computed_thing: { type: 'char', store: false },
    };
    expect(defaultFieldNames(fields)).toEqual([
      'display_name',
      'name',
      'email',
      'country_id',
      'x_custom_required',
    ]);
  });
});

describe('policy', () => {
  it('matches globs across dots and applies deny over allow', () => {
    expect(globToRegExp('res.*').test('res.partner.category')).toBe(true);
    expect(globToRegExp('sale.order').test('sale.order.line')).toBe(false);
    const policy = new AccessPolicy(configSchema.parse({ models: { allow: ['res.*'] } }));
    expect(policy.modelAllowed('res.partner')).toBe(true);
    expect(policy.modelAllowed('sale.order')).toBe(false);
    expect(policy.modelAllowed('res.users.apikeys')).toBe(false);
  });
});

describe('cutText and sniffMime', () => {
  it('cuts long text with a note', () => {
    const { value, cut } = cutText('x'.repeat(120), 100);
    expect(cut).toBe(true);
    expect(value).toBe(`${'x'.repeat(100)}… [20 more characters cut]`);
    expect(cutText('short', 100)).toEqual({ value: 'short', cut: false });
  });

  it('recognises common file types', () => {
    expect(sniffMime(Buffer.from('89504e470d0a1a0a', 'hex'))).toBe('image/png');
    expect(sniffMime(Buffer.from('%PDF-1.7'))).toBe('application/pdf');
    expect(sniffMime(Buffer.from('ffd8ffe0', 'hex'))).toBe('image/jpeg');
    expect(sniffMime(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('image/svg+xml');
    expect(sniffMime(Buffer.from('hello'))).toBe('text/plain');
    expect(sniffMime(Buffer.from([0, 1, 2, 3]))).toBe('application/octet-stream');
  });
});
