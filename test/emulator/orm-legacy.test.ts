// What Odoo 15.0 and 16.0 do differently at the ORM seam, beyond the recorded exchanges the
// contract test replays: signatures (search's `args` and `count`, search_count's `limit`),
// web_search_read's field-list form, methods that do not exist yet, read_group's key order, the
// `any` operator, __last_update.
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { call, FIXED_NOW, makeOrm, raised } from './orm-helpers.js';

const LEGACY = ['15.0', '16.0'] as const;

describe('signatures of 15.0', () => {
  const orm = makeOrm('15.0');

  it("names search()'s domain `args` and counts with count=True", () => {
    expect(raised(() => call(orm, 'res.partner', 'search', []))).toEqual([
      'builtins.TypeError',
      "BaseModel.search() missing 1 required positional argument: 'args'",
    ]);
    expect(
      call(orm, 'res.partner', 'search', [], { args: [['is_company', '=', true]], limit: 2 }),
    ).toHaveLength(2);
    expect(call(orm, 'res.partner', 'search', [[['is_company', '=', true]]], { count: true, limit: 2 })).toBe(
      8,
    );
  });

  it('has no limit on search_count', () => {
    expect(raised(() => call(orm, 'res.partner', 'search_count', [[], 5]))).toEqual([
      'builtins.TypeError',
      'BaseModel.search_count() takes 2 positional arguments but 3 were given',
    ]);
  });
});

describe.each(LEGACY)('Odoo %s', (version) => {
  const orm = makeOrm(version);

  it('search_count takes a limit from 16.0, search a count up to 16.0', () => {
    const domain = [['is_company', '=', true]];
    if (version === '16.0') expect(call(orm, 'res.partner', 'search_count', [domain, 3])).toBe(3);
    expect(call(orm, 'res.partner', 'search', [domain, 0, null, null, true])).toBe(8);
  });

  it('web_search_read reads a field list flat, and a specification by its keys', () => {
    const list = call(orm, 'sale.order', 'web_search_read', [[], ['name', 'partner_id', 'order_line']], {
      limit: 1,
      order: 'id',
    }) as { length: number; records: Array<Record<string, unknown>> };
    expect(list.length).toBe(20);
    expect(list.records[0]).toEqual({
      id: 1,
      name: 'S00001',
      partner_id: [10, 'Deco Addict'],
      order_line: [1, 2, 3],
    });
    const spec = call(
      orm,
      'sale.order',
      'web_search_read',
      [[], { name: {}, partner_id: { fields: { email: {} } } }],
      { limit: 1, order: 'id' },
    ) as { records: unknown[] };
    expect(spec.records).toEqual([{ id: 1, name: 'S00001', partner_id: [10, 'Deco Addict'] }]);
    expect(
      raised(() => call(orm, 'sale.order', 'web_search_read', [[]], { specification: { name: {} } })),
    ).toEqual([
      'builtins.TypeError',
      "Base.web_search_read() got an unexpected keyword argument 'specification'",
    ]);
  });

  it('has no web_read, has_access nor formatted_read_group', () => {
    for (const method of ['web_read', 'has_access', 'formatted_read_group']) {
      expect(raised(() => call(orm, 'sale.order', method, [[1], {}]))).toEqual([
        'builtins.AttributeError',
        `type object 'sale.order' has no attribute '${method}'`,
      ]);
    }
  });

  it('puts the count and the aggregates before the group-by value in read_group', () => {
    const groups = call(orm, 'sale.order', 'read_group', [[], ['amount_total:sum'], ['partner_id']]) as Array<
      Record<string, unknown>
    >;
    expect(Object.keys(groups[0] ?? {})).toEqual([
      'partner_id_count',
      'amount_total',
      'partner_id',
      '__domain',
    ]);
    const stages = call(orm, 'crm.lead', 'read_group', [[], ['expected_revenue:sum'], ['stage_id']]) as Array<
      Record<string, unknown>
    >;
    expect(Object.keys(stages[0] ?? {})).toEqual([
      'stage_id_count',
      'expected_revenue',
      'stage_id',
      '__domain',
      '__fold',
    ]);
  });

  it('refuses the `any` operator, which came with 17.0, but follows dotted paths', () => {
    expect(
      raised(() => call(orm, 'sale.order', 'search_count', [[['partner_id', 'any', [['name', '=', 'x']]]]])),
    ).toEqual(['builtins.ValueError', "Invalid leaf ('partner_id', 'any', [['name', '=', 'x']])"]);
    expect(
      call(orm, 'sale.order', 'search_count', [[['partner_id.name', '=', 'Deco Addict']]]),
    ).toBeGreaterThan(0);
  });

  it('answers __last_update (write_date, else create_date) and copy() with one id', () => {
    const [partner] = call(orm, 'res.partner', 'read', [[9], ['write_date', '__last_update']]) as Array<
      Record<string, unknown>
    >;
    expect(partner?.__last_update).toBe(partner?.write_date);
    const id = call(orm, 'res.partner', 'create', [{ name: 'Fresh' }]) as number;
    const [fresh] = call(orm, 'res.partner', 'read', [[id], ['__last_update']]) as Array<
      Record<string, unknown>
    >;
    expect(fresh?.__last_update).toBe(FIXED_NOW.toISOString().slice(0, 19).replace('T', ' '));
    expect(typeof call(orm, 'res.partner', 'copy', [id])).toBe('number');
  });
});

describe('the HTTP layer of 15.0 and 16.0', () => {
  const post = (url: string, body: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('15.0 answers a JSON body on any unknown path with a JSON-RPC NotFound envelope', async () => {
    const emu = await startEmulator({ odooVersion: '15.0' });
    try {
      const res = await post(
        `${emu.url}/web/dataset/no_such_route`,
        '{"jsonrpc": "2.0", "id": 7, "params": {}}',
      );
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/json');
      const body = (await res.json()) as { id: number; error: Record<string, unknown> };
      expect(body.id).toBe(7);
      expect(body.error).toMatchObject({ code: 404, message: '404: Not Found', http_status: 404 });
      expect((body.error.data as { name: string }).name).toBe('werkzeug.exceptions.NotFound');
      const bad = await post(`${emu.url}/jsonrpc`, '{"jsonrpc": ');
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain("<p>Invalid JSON data: '{&quot;jsonrpc&quot;: '</p>");
    } finally {
      await emu.close();
    }
  });

  it('16.0 leaves it to the website 404 page, and names the charset of JSON answers', async () => {
    const emu = await startEmulator({ odooVersion: '16.0' });
    try {
      const res = await post(`${emu.url}/web/dataset/no_such_route`, '{}');
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('text/html;charset=utf-8');
      const ok = await post(
        `${emu.url}/jsonrpc`,
        '{"jsonrpc": "2.0", "id": 1, "params": {"service": "common", "method": "version", "args": []}}',
      );
      expect(ok.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(((await ok.json()) as { result: { server_version: string } }).result.server_version).toBe(
        '16.0-20231208',
      );
    } finally {
      await emu.close();
    }
  });
});
