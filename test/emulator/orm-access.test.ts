// Users, credentials and access control of the emulator's ORM: admin has every right, apiuser
// (internal, base.group_user only) reads but does not create contacts nor see sales, apiportal
// (portal) sees its own partner only. Texts are the corpus's, per version.
import { describe, expect, it } from 'vitest';
import { DEMO_API_KEYS, type OdooVersion } from '../../src/emulator/orm/index.js';
import { call, makeOrm, named, raised, uids } from './orm-helpers.js';

const VERSIONS: OdooVersion[] = ['15.0', '16.0', '17.0', '18.0', '19.0'];

const CONTACT_GROUPS: Record<OdooVersion, string> = {
  '15.0': '\t- Extra Rights/Contact Creation\n\t- Sales/Administrator\n\t- Sales/User: Own Documents Only',
  '16.0': '\t- Extra Rights/Contact Creation\n\t- Sales/Administrator\n\t- Sales/User: Own Documents Only',
  '17.0': '\t- Extra Rights/Contact Creation\n\t- Sales/Administrator\n\t- Sales/User: Own Documents Only',
  '18.0': '\t- Extra Rights/Contact Creation\n\t- Sales/Administrator\n\t- Sales/User: Own Documents Only',
  '19.0': '\t- Contact/Creation\n\t- Sales/Administrator\n\t- Sales/User: Own Documents Only',
};

describe('credentials', () => {
  const orm = makeOrm('17.0');

  it('authenticates with the password, the login-as-password convention or the API key', () => {
    expect(orm.authenticate('odoo', 'admin', 'admin')).toBe(2);
    expect(orm.authenticate('odoo', 'admin', DEMO_API_KEYS.admin ?? '')).toBe(2);
    expect(orm.authenticate('odoo', 'apiuser', 'apiuser')).toBe(8);
    expect(orm.authenticate('odoo', 'apiportal', DEMO_API_KEYS.apiportal ?? '')).toBe(9);
    expect(orm.authenticate('odoo', 'admin', 'wrong-password')).toBe(false);
    expect(orm.authenticate('odoo', 'nobody', 'nobody')).toBe(false);
    // inactive users (OdooBot, templates) cannot log in
    expect(orm.authenticate('odoo', '__system__', '__system__')).toBe(false);
  });

  it('names an unknown database as PostgreSQL does', () => {
    expect(raised(() => orm.authenticate('no_such_db', 'admin', 'admin'))).toEqual([
      'psycopg2.OperationalError',
      'connection to server at "localhost", port 5432 failed: FATAL:  database "no_such_db" does not exist\n',
    ]);
  });

  it('checks uid/secret pairs and resolves API keys', () => {
    expect(orm.checkUid(2, DEMO_API_KEYS.admin ?? '')).toBe(true);
    expect(orm.checkUid(2, 'admin')).toBe(true);
    expect(orm.checkUid(2, '0123456789abcdef0123456789abcdef01234567')).toBe(false);
    expect(orm.checkUid(8, DEMO_API_KEYS.admin ?? '')).toBe(false);
    expect(orm.uidForApiKey(DEMO_API_KEYS.apiuser ?? '')).toBe(8);
    expect(orm.uidForApiKey('nope')).toBeUndefined();
    expect(makeOrm('19.0').uidForApiKey(DEMO_API_KEYS.apiportal ?? '')).toBe(8);
  });
});

describe.each(VERSIONS)('model access rights on %s', (version) => {
  const orm = makeOrm(version);
  const { apiuser, apiportal } = uids(version);

  it('lets apiuser read contacts but not create or modify them', () => {
    expect((call(orm, 'res.partner', 'search', [[]], { limit: 1 }, apiuser) as number[]).length).toBe(1);
    const tail = `\n\nThis operation is allowed for the following groups:\n${CONTACT_GROUPS[version]}\n\nContact your administrator to request access if necessary.`;
    expect(raised(() => call(orm, 'res.partner', 'create', [{ name: 'x' }], {}, apiuser))).toEqual([
      'odoo.exceptions.AccessError',
      `You are not allowed to create 'Contact' (res.partner) records.${tail}`,
    ]);
    expect(raised(() => call(orm, 'res.partner', 'write', [[1], { name: 'x' }], {}, apiuser))).toEqual([
      'odoo.exceptions.AccessError',
      `You are not allowed to modify 'Contact' (res.partner) records.${tail}`,
    ]);
  });

  it('keeps sales and leads away from apiuser', () => {
    const [type, message] = raised(() => call(orm, 'sale.order', 'read', [[1], ['name']], {}, apiuser));
    expect(type).toBe('odoo.exceptions.AccessError');
    expect(message.startsWith("You are not allowed to access 'Sales Order' (sale.order) records.")).toBe(
      true,
    );
    // ir.model names crm.lead 'Lead/Opportunity' up to 18.0 and 'Lead' in 19.0
    const lead = version === '19.0' ? 'Lead' : 'Lead/Opportunity';
    expect(raised(() => call(orm, 'crm.lead', 'search_read', [[]], {}, apiuser))[1]).toMatch(
      new RegExp(`^You are not allowed to access '${lead}' \\(crm.lead\\) records\\.`),
    );
  });

  it('answers check_access_rights (and has_access from 18.0)', () => {
    expect(
      call(orm, 'res.partner', 'check_access_rights', ['read'], { raise_exception: false }, apiuser),
    ).toBe(true);
    expect(
      call(orm, 'res.partner', 'check_access_rights', ['create'], { raise_exception: false }, apiuser),
    ).toBe(false);
    expect(
      call(orm, 'sale.order', 'check_access_rights', ['read'], { raise_exception: false }, apiuser),
    ).toBe(false);
    expect(raised(() => call(orm, 'sale.order', 'check_access_rights', ['read'], {}, apiuser))[0]).toBe(
      'odoo.exceptions.AccessError',
    );
    if (version === '15.0' || version === '16.0') {
      expect(raised(() => call(orm, 'res.partner', 'has_access', [[], 'read'], {}, apiuser))).toEqual([
        'builtins.AttributeError',
        "type object 'res.partner' has no attribute 'has_access'",
      ]);
    } else if (version === '17.0') {
      expect(raised(() => call(orm, 'res.partner', 'has_access', [[], 'read'], {}, apiuser))).toEqual([
        'builtins.AttributeError',
        "The method 'has_access' does not exist on the model 'res.partner'",
      ]);
    } else {
      expect(call(orm, 'res.partner', 'has_access', [[], 'read'], {}, apiuser)).toBe(true);
      expect(call(orm, 'res.partner', 'has_access', [[], 'create'], {}, apiuser)).toBe(false);
      expect(call(orm, 'res.partner', 'has_access', [[1], 'read'], {}, apiportal)).toBe(false);
    }
  });

  it('shows portal users their own partner only and names the rule on others', () => {
    const own = call(orm, 'res.partner', 'search_read', [[]], { fields: ['name'] }, apiportal) as {
      id: number;
      name: string;
    }[];
    // the recorded databases named the portal user's partner 'API Portal' up to 16.0
    const legacy = version === '15.0' || version === '16.0';
    expect(own).toEqual([{ id: expect.any(Number), name: legacy ? 'API Portal' : 'API Portal User' }]);
    const expected = [
      'odoo.exceptions.AccessError',
      legacy
        ? "Due to security restrictions, you are not allowed to access 'Contact' (res.partner) records.\n\n" +
          'Contact your administrator to request access if necessary.'
        : 'Uh-oh! Looks like you have stumbled upon some top-secret records.\n\n' +
          `Sorry, API Portal User (id=${apiportal}) doesn't have 'read' access to:\n- Contact (res.partner)\n\n` +
          'If you really, really need access, perhaps you can win over your friendly administrator with a batch of freshly baked cookies.',
    ];
    expect(raised(() => call(orm, 'res.partner', 'read', [[1], ['name']], {}, apiportal))).toEqual(expected);
    expect(raised(() => call(orm, 'res.partner', 'write', [[1], { name: 'Hacked' }], {}, apiportal))).toEqual(
      expected,
    );
    // its own partner passes the rule, then portal has no write right at all
    const ownId = own[0]?.id ?? 0;
    expect(
      raised(() => call(orm, 'res.partner', 'write', [[ownId], { name: 'x' }], {}, apiportal))[1],
    ).toMatch(/^You are not allowed to modify 'Contact'/);
  });
});

describe('field access', () => {
  const orm = makeOrm('17.0');

  it('hides fields of groups the user is not in from fields_get and read', () => {
    const all = call(orm, 'res.partner', 'fields_get', [], { attributes: ['type'] }) as Record<
      string,
      unknown
    >;
    const user = call(orm, 'res.partner', 'fields_get', [], { attributes: ['type'] }, 8) as Record<
      string,
      unknown
    >;
    expect('credit' in all).toBe(true);
    expect('credit' in user).toBe(false);
    expect('signup_type' in user).toBe(false);
    expect(Object.keys(user).length).toBeLessThan(Object.keys(all).length);
    expect(raised(() => call(orm, 'res.partner', 'read', [[9], ['name', 'credit']], {}, 8))).toEqual([
      'odoo.exceptions.AccessError',
      'You do not have enough rights to access the fields "credit" on Contact (res.partner). Please contact your system administrator.\n\n(Operation: read, User: 8)',
    ]);
    const [row] = call(orm, 'res.partner', 'read', [[9]], {}, 8) as Record<string, unknown>[];
    expect(row && 'credit' in row).toBe(false);
  });

  it('filters fields_get by allfields and attributes', () => {
    expect(
      call(orm, 'res.partner', 'fields_get', [['name', 'type']], {
        attributes: ['string', 'type', 'required'],
      }),
    ).toEqual({
      name: { required: false, string: 'Name', type: 'char' },
      type: { required: false, string: 'Address Type', type: 'selection' },
    });
  });

  it('answers context_get from the user and its partner', () => {
    expect(call(orm, 'res.users', 'context_get')).toEqual({ lang: 'en_US', tz: 'Europe/Brussels', uid: 2 });
    expect(call(orm, 'res.users', 'context_get', [], {}, 8)).toEqual({ lang: 'en_US', tz: false, uid: 8 });
    expect(named(makeOrm('19.0'), 'res.users', 'context_get', {}, [], 7)).toEqual({
      lang: 'en_US',
      tz: false,
      uid: 7,
    });
    // 15.0 gives the preferences only; the uid came with 16.0
    expect(call(makeOrm('15.0'), 'res.users', 'context_get')).toEqual({
      lang: 'en_US',
      tz: 'Europe/Brussels',
    });
    expect(call(makeOrm('16.0'), 'res.users', 'context_get')).toEqual({
      lang: 'en_US',
      tz: 'Europe/Brussels',
      uid: 2,
    });
  });
});
