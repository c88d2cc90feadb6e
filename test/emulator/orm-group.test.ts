// Grouping and web reads: read_group granularities, ranges and domains, lazy and eager modes,
// group_expand stages; formatted_read_group (19.0); web_search_read / web_read specifications.
import { describe, expect, it } from 'vitest';
import { call, makeOrm, raised } from './orm-helpers.js';

describe('read_group', () => {
  const orm = makeOrm('17.0');
  const group = (groupby: string, extra: Record<string, unknown> = {}) =>
    call(orm, 'sale.order', 'read_group', [[['id', 'in', [1, 2]]]], {
      fields: ['amount_total:sum'],
      groupby: [groupby],
      ...extra,
    });

  it('labels date groups per granularity with their range and domain', () => {
    const expected: Array<[string, string, string, string]> = [
      ['day', '24 Dec 2026', '2026-12-24', '2026-12-25'],
      ['week', 'W52 2026', '2026-12-21', '2026-12-28'],
      ['month', 'December 2026', '2026-12-01', '2027-01-01'],
      ['quarter', 'Q4 2026', '2026-10-01', '2027-01-01'],
      ['year', '2026', '2026-01-01', '2027-01-01'],
    ];
    for (const [granularity, label, from, to] of expected) {
      const key = `validity_date:${granularity}`;
      expect(group(key)).toEqual([
        {
          [key]: label,
          validity_date_count: 2,
          amount_total: 5390.63,
          __domain: [
            '&',
            ['id', 'in', [1, 2]],
            '&',
            ['validity_date', '>=', from],
            ['validity_date', '<', to],
          ],
          __range: { [key]: { from, to } },
        },
      ]);
    }
    // month is the default granularity
    expect((group('validity_date') as Record<string, unknown>[])[0]?.validity_date).toBe('December 2026');
  });

  it('buckets datetimes in the context timezone and gives UTC ranges', () => {
    const [utc] = call(orm, 'sale.order', 'read_group', [[['id', '=', 1]]], {
      fields: [],
      groupby: ['date_order:day'],
    }) as Record<string, unknown>[];
    expect(utc?.__range).toEqual({
      'date_order:day': { from: '2026-10-24 00:00:00', to: '2026-10-25 00:00:00' },
    });
    const [tokyo] = call(orm, 'sale.order', 'read_group', [[['id', '=', 1]]], {
      fields: [],
      groupby: ['date_order:day'],
      context: { tz: 'Asia/Tokyo' },
    }) as Record<string, unknown>[];
    expect(tokyo?.['date_order:day']).toBe('24 Oct 2026');
    expect(tokyo?.__range).toEqual({
      'date_order:day': { from: '2026-10-23 15:00:00', to: '2026-10-24 15:00:00' },
    });
  });

  it('groups by every field at once when not lazy, with __count and named aggregates', () => {
    expect(
      call(orm, 'sale.order', 'read_group', [[['id', 'in', [1, 2, 3]]]], {
        fields: ['amount_total:max', 'n:count(id)'],
        groupby: ['partner_id', 'state'],
        lazy: false,
      }),
    ).toEqual([
      {
        partner_id: [10, 'Deco Addict'],
        state: 'draft',
        __count: 1,
        amount_total: 2001,
        n: 1,
        __domain: ['&', '&', ['id', 'in', [1, 2, 3]], ['partner_id', '=', 10], ['state', '=', 'draft']],
      },
      {
        partner_id: [12, 'Ready Mat'],
        state: 'draft',
        __count: 2,
        amount_total: 3389.63,
        n: 2,
        __domain: ['&', '&', ['id', 'in', [1, 2, 3]], ['partner_id', '=', 12], ['state', '=', 'draft']],
      },
    ]);
  });

  it('passes the remaining groupbys in __context when lazy, orders and limits groups', () => {
    const rows = call(orm, 'sale.order', 'read_group', [[]], {
      fields: ['amount_total:sum'],
      groupby: ['partner_id', 'state'],
      orderby: 'amount_total desc',
      limit: 2,
    }) as Record<string, unknown>[];
    expect(rows.map((r) => r.partner_id)).toEqual([
      [11, 'Gemini Furniture'],
      [8, 'YourCompany, Joel Willis'],
    ]);
    expect(rows[0]?.__context).toEqual({ group_by: ['state'] });
    expect(
      call(orm, 'sale.order', 'read_group', [[]], { fields: ['amount_total:sum'], groupby: [] }),
    ).toEqual([{ __count: 20, amount_total: 28612.62, __domain: [] }]);
  });

  it('expands crm stages (empty ones too) with __fold', () => {
    const rows = call(orm, 'crm.lead', 'read_group', [[['probability', '<', 100]]], {
      fields: ['expected_revenue:sum'],
      groupby: ['stage_id'],
    }) as Record<string, unknown>[];
    expect(rows.map((r) => [r.stage_id, r.stage_id_count, r.__fold])).toEqual([
      [[1, 'New'], 13, false],
      [[2, 'Qualified'], 13, false],
      [[3, 'Proposition'], 10, false],
      [[4, 'Won'], 0, false],
    ]);
    expect(rows[3]).toEqual({
      stage_id_count: 0,
      expected_revenue: 0,
      stage_id: [4, 'Won'],
      __domain: ['&', ['probability', '<', 100], ['stage_id', '=', 4]],
      __fold: false,
    });
  });

  it('rejects unknown aggregates, granularities and fields', () => {
    expect(raised(() => group('date_order:hour'))).toEqual([
      'builtins.ValueError',
      "Invalid granularity 'hour' on field 'date_order'",
    ]);
    expect(
      raised(() =>
        call(orm, 'sale.order', 'read_group', [[]], {
          fields: ['amount_total:bogus'],
          groupby: ['partner_id'],
        }),
      ),
    ).toEqual(['builtins.ValueError', "Invalid aggregation function 'bogus'."]);
    expect(raised(() => group('bogus'))).toEqual([
      'builtins.ValueError',
      "Invalid field 'bogus' on model 'sale.order'",
    ]);
  });
});

describe('formatted_read_group (19.0)', () => {
  const orm = makeOrm('19.0');

  it('names aggregates by their spec and gives __extra_domain', () => {
    expect(
      call(orm, 'sale.order', 'formatted_read_group', [[['id', 'in', [1, 2]]]], {
        groupby: ['partner_id'],
        aggregates: ['amount_total:sum', '__count'],
      }),
    ).toEqual([
      {
        partner_id: [9, 'Deco Addict'],
        __extra_domain: [['partner_id', '=', 9]],
        'amount_total:sum': 2001,
        __count: 1,
      },
      {
        partner_id: [11, 'Ready Mat'],
        __extra_domain: [['partner_id', '=', 11]],
        'amount_total:sum': 3389.63,
        __count: 1,
      },
    ]);
  });

  it('filters groups with having', () => {
    expect(
      call(orm, 'sale.order', 'formatted_read_group', [[]], {
        groupby: ['partner_id'],
        aggregates: ['__count'],
        having: [['__count', '>', 2]],
      }),
    ).toEqual([
      { partner_id: [10, 'Gemini Furniture'], __extra_domain: [['partner_id', '=', 10]], __count: 13 },
    ]);
  });

  it('does not exist before 19.0', () => {
    expect(raised(() => call(makeOrm('18.0'), 'sale.order', 'formatted_read_group', [[]]))[0]).toBe(
      'builtins.AttributeError',
    );
  });
});

describe('web_search_read and web_read', () => {
  const orm = makeOrm('17.0');

  it('reads nested specifications: many2one sub-fields, x2many order and limit', () => {
    expect(
      call(
        orm,
        'sale.order',
        'web_search_read',
        [
          [['state', '=', 'draft']],
          {
            name: {},
            partner_id: { fields: { display_name: {} } },
            order_line: { fields: { product_uom_qty: {} }, order: 'id desc', limit: 1 },
          },
        ],
        { limit: 2, order: 'id' },
      ),
    ).toEqual({
      length: 4,
      records: [
        {
          id: 1,
          name: 'S00001',
          partner_id: { id: 10, display_name: 'Deco Addict' },
          order_line: [{ id: 3, product_uom_qty: 2 }, { id: 2 }, { id: 1 }],
        },
        {
          id: 2,
          name: 'S00002',
          partner_id: { id: 12, display_name: 'Ready Mat' },
          order_line: [{ id: 5, product_uom_qty: 30 }, { id: 4 }],
        },
      ],
    });
  });

  it('counts up to count_limit, and answers empty results and id-only specifications', () => {
    expect(
      call(orm, 'sale.order', 'web_search_read', [[], { name: {} }], { limit: 2, count_limit: 5 }),
    ).toMatchObject({
      length: 5,
    });
    expect(call(orm, 'sale.order', 'web_search_read', [[['id', '<', 0]], { name: {} }])).toEqual({
      length: 0,
      records: [],
    });
    expect(call(orm, 'sale.order', 'web_search_read', [[['id', '<', 3]], {}], { order: 'id' })).toEqual({
      length: 2,
      records: [{ id: 1 }, { id: 2 }],
    });
  });

  it('leaves many2one as ids and x2many as id lists without sub-specification', () => {
    expect(call(orm, 'sale.order', 'web_read', [[2], { partner_id: {}, tag_ids: {} }])).toEqual([
      { id: 2, partner_id: 12, tag_ids: [7] },
    ]);
    expect(call(orm, 'sale.order', 'web_read', [[2], { tag_ids: { fields: { display_name: {} } } }])).toEqual(
      [{ id: 2, tag_ids: [{ id: 7, display_name: 'Consulting' }] }],
    );
  });
});
