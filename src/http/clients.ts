// Who a request comes from, for the per-client rate limit and session caps: never the session
// (a client opens as many as it likes), but the client itself:
// - the bearer token it authenticated with (a static token's fingerprint; an OAuth token's subject),
// - and, in per-user mode, the Odoo login Odoo has accepted for its credentials;
// - else (nothing verified) its network address: the IPv4 address, or the /64 prefix of an IPv6
//   one (one host usually holds a whole /64), behind a trusted proxy the address it forwards for.
// A login a request merely claims (X-Odoo-Login before Odoo has checked it) never names the client:
// anyone could spend someone else's allowance, or mint fresh ones with wrong keys.
import { isIPv4, isIPv6 } from 'node:net';
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { OdooIdentity } from './identity.js';

/** `::ffff:1.2.3.4` as `1.2.3.4`; other addresses as they are. */
function unmapped(address: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return m?.[1] ?? address;
}

/** The first four groups of an IPv6 address, expanded (`2001:db8:0:1`). */
function prefix64(address: string): string {
  const bare = address.replace(/%.*$/, '');
  const [head = '', tail] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 tail counts as two groups.
  const width = (parts: string[]) => parts.reduce((n, p) => n + (p.includes('.') ? 2 : 1), 0);
  const missing = tail === undefined ? 0 : 8 - width(left) - width(right);
  const groups = [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right];
  return groups
    .slice(0, 4)
    .map((g) => (g.includes('.') ? '0' : g.toLowerCase().replace(/^0+(?=.)/, '')))
    .join(':');
}

/** The rate-limit and session key of a network address. */
export function addressKey(address: string | undefined): string {
  if (!address) return 'ip:unknown';
  const a = unmapped(address.trim());
  if (isIPv4(a)) return `ip:${a}`;
  if (isIPv6(a)) return a === '::1' ? 'ip:::1' : `ip6:${prefix64(a)}::/64`;
  return `ip:${a.slice(0, 64)}`;
}

/**
 * The client's address: the socket's peer, or, when that peer is a trusted proxy, the nearest
 * X-Forwarded-For entry that is not itself a trusted proxy.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: ReadonlySet<string>,
): string | undefined {
  const trusted = (a: string | undefined) => a !== undefined && trustedProxies.has(unmapped(a));
  if (!trusted(peer) || forwardedFor === undefined) return peer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h.length > 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!trusted(hop)) return isIPv4(unmapped(hop)) || isIPv6(hop) ? hop : peer;
  }
  return hops[0] ?? peer;
}

/** The client's key from what was verified about it; its address when nothing was. */
export function clientKey(opts: {
  authInfo?: AuthInfo;
  /** The key of an Odoo login that Odoo accepted for these credentials (see userKey). */
  verifiedUser?: string;
  address: string | undefined;
}): string {
  const parts: string[] = [];
  if (opts.authInfo) {
    const client = opts.authInfo.extra?.client;
    parts.push(typeof client === 'string' ? client : `client:${opts.authInfo.clientId}`);
  }
  if (opts.verifiedUser) parts.push(opts.verifiedUser);
  return parts.length > 0 ? parts.join('|') : addressKey(opts.address);
}

/** The key of a per-user identity: its login and database, or (API key only) its fingerprint. */
export function userKey(identity: OdooIdentity): string {
  const db = identity.database ?? '';
  return identity.login
    ? `user:${db}:${identity.login.toLowerCase().slice(0, 200)}`
    : `user:${db}:#${identity.fingerprint.slice(0, 24)}`;
}

/** Identities Odoo has accepted lately (fingerprint -> user key), the least recently seen dropped first. */
export class VerifiedUsers {
  private readonly known = new Map<string, string>();

  constructor(private readonly max = 10_000) {}

  get size(): number {
    return this.known.size;
  }

  remember(identity: OdooIdentity): void {
    this.known.delete(identity.fingerprint);
    this.known.set(identity.fingerprint, userKey(identity));
    if (this.known.size > this.max) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
  }

  /** The user key of an identity Odoo accepted, or undefined when it was never checked. */
  keyOf(identity: OdooIdentity | undefined): string | undefined {
    if (!identity) return undefined;
    const key = this.known.get(identity.fingerprint);
    if (key !== undefined) {
      this.known.delete(identity.fingerprint);
      this.known.set(identity.fingerprint, key);
    }
    return key;
  }

  forget(identity: OdooIdentity): void {
    this.known.delete(identity.fingerprint);
  }
}
