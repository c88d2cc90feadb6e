// Browser-facing checks made on every request before anything else: the Host header against DNS
// rebinding, the Origin header against an allow-list, and the CORS headers that let allowed browser
// origins call the server (and read Mcp-Session-Id).

const LOOPBACK_NAMES = new Set(['localhost', '[::1]', '::1']);

/** Whether a bind address or a host name points at this machine only. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase();
  if (LOOPBACK_NAMES.has(h) || h.endsWith('.localhost')) return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export interface SecurityOptions {
  /** The address the server is bound to. */
  bindHost: string;
  /** Host names (optionally host:port) accepted when bound to a non-loopback address. */
  allowedHosts: readonly string[];
  /** Browser origins allowed; "*" allows any. */
  corsOrigins: readonly string[];
}

export const CORS_ALLOWED_HEADERS = [
  'Content-Type',
  'Accept',
  'Authorization',
  'Mcp-Session-Id',
  'MCP-Protocol-Version',
  'Mcp-Method',
  'Mcp-Name',
  'Last-Event-ID',
  'X-Odoo-Login',
  'X-Odoo-Api-Key',
  'X-Odoo-Database',
].join(', ');

export const CORS_EXPOSED_HEADERS = [
  'Mcp-Session-Id',
  'MCP-Protocol-Version',
  'WWW-Authenticate',
  'Retry-After',
].join(', ');

export interface RequestGuard {
  /** An error text when the Host header must be refused (403), else undefined. */
  checkHost(host: string | null): string | undefined;
  /** An error text when the Origin header must be refused (403), else undefined. */
  checkOrigin(origin: string | null): string | undefined;
  /** CORS headers for a response to a request from `origin` (none for non-browser callers). */
  corsHeaders(origin: string | null): Record<string, string>;
  /** Headers answering a CORS preflight (OPTIONS). */
  preflightHeaders(origin: string | null): Record<string, string>;
  /** Whether any Host is accepted (non-loopback bind without allowed_hosts). */
  readonly anyHost: boolean;
}

function hostnameOf(hostHeader: string): string | undefined {
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

export function createRequestGuard(opts: SecurityOptions): RequestGuard {
  const boundToLoopback = isLoopback(opts.bindHost);
  const allowedHosts = new Set(opts.allowedHosts.map((h) => h.trim().toLowerCase()));
  const anyHost = !boundToLoopback && allowedHosts.size === 0;
  const anyOrigin = opts.corsOrigins.includes('*');
  const origins = new Set(opts.corsOrigins.filter((o) => o !== '*').flatMap((o) => originOf(o) ?? []));

  const originAllowed = (origin: string): boolean => {
    if (anyOrigin) return true;
    const normalized = originOf(origin);
    if (!normalized) return false;
    if (origins.has(normalized)) return true;
    return boundToLoopback && isLoopback(new URL(normalized).hostname);
  };

  return {
    anyHost,
    checkHost(host) {
      if (!host) return 'Missing Host header';
      const hostname = hostnameOf(host);
      if (!hostname) return 'Invalid Host header';
      if (isLoopback(hostname)) return undefined;
      if (anyHost) return undefined;
      if (!boundToLoopback && (allowedHosts.has(hostname) || allowedHosts.has(host.toLowerCase()))) {
        return undefined;
      }
      return `Host "${hostname}" is not allowed${boundToLoopback ? ' (the server listens on loopback only)' : '; add it to http.allowed_hosts'}`;
    },
    checkOrigin(origin) {
      if (origin === null) return undefined;
      return originAllowed(origin)
        ? undefined
        : `Origin "${origin.slice(0, 100)}" is not allowed; add it to http.cors_origins`;
    },
    corsHeaders(origin) {
      if (origin === null || !originAllowed(origin)) return {};
      return {
        'Access-Control-Allow-Origin': anyOrigin ? '*' : origin,
        'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS,
        ...(anyOrigin ? {} : { Vary: 'Origin' }),
      };
    },
    preflightHeaders(origin) {
      const base = this.corsHeaders(origin);
      if (Object.keys(base).length === 0) return {};
      return {
        ...base,
        'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS,
        'Access-Control-Max-Age': '600',
      };
    },
  };
}
