// Who a request counts as (src/http/clients.ts) and how the session store shares room between
// clients (src/http/sessions.ts), in isolation.
import { describe, expect, it, vi } from 'vitest';
import { addressKey, clientAddress, clientKey, userKey, VerifiedUsers } from '../../src/http/clients.js';
import { identityFromHeaders } from '../../src/http/identity.js';
import { type SessionEntry, SessionStore } from '../../src/http/sessions.js';

describe('client keys', () => {
  it('keys an address by IPv4, or by the /64 of an IPv6 address', () => {
    expect(addressKey('10.0.0.1')).toBe('ip:10.0.0.1');
    expect(addressKey('::ffff:10.0.0.1')).toBe('ip:10.0.0.1');
    expect(addressKey('::1')).toBe('ip:::1');
    expect(addressKey('2001:db8:1:2:3:4:5:6')).toBe('ip6:2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002::9')).toBe('ip6:2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('ip6:2001:db8:0:0::/64');
    expect(addressKey(undefined)).toBe('ip:unknown');
  });

  it('believes X-Forwarded-For only from a trusted proxy, and only its untrusted hops', () => {
    const proxies = new Set(['10.0.0.5', '10.0.0.6']);
    expect(clientAddress('203.0.113.9', '198.51.100.1', proxies)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.5', '198.51.100.1', proxies)).toBe('198.51.100.1');
    // A client may prepend anything: the nearest hop not a proxy is the one the proxies saw.
    expect(clientAddress('10.0.0.5', '1.2.3.4, 198.51.100.1, 10.0.0.6', proxies)).toBe('198.51.100.1');
    expect(clientAddress('::ffff:10.0.0.5', 'not-an-ip', proxies)).toBe('::ffff:10.0.0.5');
    expect(clientAddress('10.0.0.5', undefined, proxies)).toBe('10.0.0.5');
  });

  it('names a client by its token or verified login, else its address; never by a claimed login', () => {
    const token = { token: 't', clientId: 'token:abc', scopes: [], extra: { client: 'token:abc' } };
    expect(clientKey({ authInfo: token, address: '10.0.0.1' })).toBe('token:abc');
    expect(clientKey({ address: '10.0.0.1' })).toBe('ip:10.0.0.1');
    const identity = identityFromHeaders(
      new Headers({ 'x-odoo-login': 'Admin', 'x-odoo-api-key': 'secret-key', 'x-odoo-database': 'odoo' }),
    );
    if (!identity) throw new Error('no identity');
    const verified = new VerifiedUsers(2);
    // Not yet accepted by Odoo: the login it claims does not count.
    expect(clientKey({ verifiedUser: verified.keyOf(identity), address: '10.0.0.1' })).toBe('ip:10.0.0.1');
    verified.remember(identity);
    expect(clientKey({ verifiedUser: verified.keyOf(identity), address: '10.0.0.1' })).toBe(
      'user:odoo:admin',
    );
    expect(userKey(identity)).toBe('user:odoo:admin');
    // Bounded: the least recently seen identities are forgotten first.
    for (const key of ['k1', 'k2']) {
      const other = identityFromHeaders(new Headers({ 'x-odoo-login': key, 'x-odoo-api-key': key }));
      if (other) verified.remember(other);
    }
    expect(verified.size).toBe(2);
    expect(verified.keyOf(identity)).toBeUndefined();
  });
});

describe('the session store', () => {
  let t = 0;
  const closed: string[] = [];
  const store = (max: number, maxPerClient: number) =>
    new SessionStore({ idleMs: 3_600_000, max, maxPerClient, now: () => t });
  const entry = (id: string, client: string): SessionEntry => ({
    id,
    kind: 'streamable',
    principal: 'anonymous',
    client,
    close: async () => {
      closed.push(id);
    },
  });

  it("evicts the client's own least recently used session, idle ones before busy ones", () => {
    closed.length = 0;
    const s = store(100, 3);
    for (const id of ['a1', 'a2', 'a3']) {
      t++;
      s.add(entry(id, 'A'));
    }
    s.begin('a1'); // a1 is the oldest but has a request in progress
    t++;
    s.add(entry('a4', 'A'));
    expect(closed).toEqual(['a2']);
    expect(s.get('a1')).toBeDefined();
    s.end('a1');
    t++;
    s.add(entry('a5', 'A'));
    expect(closed).toEqual(['a2', 'a3']);
    expect(s.countFor('A')).toBe(3);
  });

  it('when full, takes the session from the client holding the most, never from the newcomer', () => {
    closed.length = 0;
    const s = store(5, 4);
    for (const [id, client] of [
      ['b1', 'B'],
      ['a1', 'A'],
      ['a2', 'A'],
      ['a3', 'A'],
      ['b2', 'B'],
    ] as const) {
      t++;
      s.add(entry(id, client));
    }
    t++;
    s.add(entry('c1', 'C'));
    // A holds the most: its oldest goes, although B's b1 is older.
    expect(closed).toEqual(['a1']);
    expect(s.size).toBe(5);
    expect(s.get('c1')).toBeDefined();
    expect(s.clients).toBe(3);
    expect(s.evicted).toBe(1);
    for (const id of ['b1', 'a2', 'a3', 'b2', 'c1']) s.delete(id);
    expect(s.size).toBe(0);
    expect(s.clients).toBe(0);
  });

  it('keeps an idle session whose entry says it is still used elsewhere, and expires it once not', async () => {
    vi.useFakeTimers();
    try {
      closed.length = 0;
      const s = new SessionStore({ idleMs: 1000, max: 10, maxPerClient: 10 });
      let used = true;
      s.add({ ...entry('r1', 'R'), stillUsed: async () => used });
      await vi.advanceTimersByTimeAsync(2500);
      expect(s.get('r1')).toBeDefined();
      expect(closed).toEqual([]);
      used = false;
      await vi.advanceTimersByTimeAsync(1100);
      expect(s.get('r1')).toBeUndefined();
      expect(closed).toEqual(['r1']);
    } finally {
      vi.useRealTimers();
    }
  });
});
