// Client authentication of the HTTP transports: static bearer tokens (config or ODOO_MCP_HTTP_TOKEN),
// compared in constant time on their SHA-256 hashes, and/or OAuth JWT access tokens (oauth.ts).
// Failures answer 401 (403 for a missing scope) with a `WWW-Authenticate: Bearer` challenge.
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type AuthInfo,
  bearerAuthChallengeResponse,
  OAuthError,
  OAuthErrorCode,
  type OAuthTokenVerifier,
  verifyBearerToken,
} from '@modelcontextprotocol/server';

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The configured tokens plus those of ODOO_MCP_HTTP_TOKEN (comma-separated), without blanks or duplicates. */
export function resolveAuthTokens(configured: readonly string[], envValue: string | undefined): string[] {
  const fromEnv = (envValue ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  return [...new Set([...configured, ...fromEnv])];
}

/** Shortest bearer token accepted on a non-loopback address (about 190 bits as hex or base64). */
export const MIN_REMOTE_TOKEN_LENGTH = 32;
/**
 * Shortest bearer token accepted on a loopback address, whatever its source (the config's own
 * minimum). Shorter than remotely: only processes of this machine can reach the port to guess, and
 * failed attempts are rate limited per address; still long enough that guessing takes ages.
 */
export const MIN_LOOPBACK_TOKEN_LENGTH = 16;

export class WeakTokenError extends Error {
  constructor(length: number, min: number, host: string) {
    super(
      `Refusing to listen on ${host}: a bearer token (http.auth_tokens or ODOO_MCP_HTTP_TOKEN) has only ${length} characters; ` +
        `use at least ${min} random characters${min === MIN_REMOTE_TOKEN_LENGTH ? ' on an address other machines can reach' : ''}, ` +
        'e.g. one made with `openssl rand -hex 32`.',
    );
    this.name = 'WeakTokenError';
  }
}

/**
 * Refuses tokens too short to withstand guessing, from the config file and ODOO_MCP_HTTP_TOKEN
 * alike: at least MIN_REMOTE_TOKEN_LENGTH characters unless the server listens on loopback only.
 */
export function checkTokenStrength(tokens: readonly string[], host: string, loopback: boolean): void {
  const min = loopback ? MIN_LOOPBACK_TOKEN_LENGTH : MIN_REMOTE_TOKEN_LENGTH;
  for (const t of tokens) {
    if (t.length < min) throw new WeakTokenError(t.length, min, host);
  }
}

/** Checks a presented token against every configured one, always comparing all (no early exit). */
export function staticTokenVerifier(tokens: readonly string[]): (token: string) => boolean {
  const hashes = tokens.map(sha256);
  return (token) => {
    const presented = sha256(token);
    let found = false;
    for (const h of hashes) found = timingSafeEqual(h, presented) || found;
    return found;
  };
}

export interface Authenticator {
  /** The verified identity, or the 401/403 answer to send. */
  authenticate(request: Request): Promise<AuthInfo | Response>;
  /** Whether clients must authenticate at all. */
  readonly required: boolean;
}

export interface AuthenticatorOptions {
  tokens: readonly string[];
  /** Verifies JWT access tokens (issuer, audience, expiry); scopes are checked here. */
  jwt?: OAuthTokenVerifier;
  requiredScopes?: readonly string[];
  /** Announced in challenges so OAuth clients find the authorization server. */
  resourceMetadataUrl?: (request: Request) => string | undefined;
}

/** The `clientId` of requests that came with a static token: a short fingerprint, never the token. */
function tokenClientId(token: string): string {
  return `token:${sha256(token).toString('hex').slice(0, 12)}`;
}

export function createAuthenticator(opts: AuthenticatorOptions): Authenticator {
  const matchesStatic = staticTokenVerifier(opts.tokens);
  const requiredScopes = [...(opts.requiredScopes ?? [])];
  const required = opts.tokens.length > 0 || opts.jwt !== undefined;
  const verifier: OAuthTokenVerifier = {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      if (opts.tokens.length > 0 && matchesStatic(token)) {
        // A static token grants everything: it carries the required scopes and does not expire.
        return {
          token,
          clientId: tokenClientId(token),
          scopes: requiredScopes,
          expiresAt: Math.floor(Date.now() / 1000) + 86_400,
          extra: { client: tokenClientId(token) },
        };
      }
      if (opts.jwt) return opts.jwt.verifyAccessToken(token);
      throw new OAuthError(OAuthErrorCode.InvalidToken, 'Invalid bearer token');
    },
  };
  return {
    required,
    async authenticate(request) {
      const resourceMetadataUrl = opts.jwt ? opts.resourceMetadataUrl?.(request) : undefined;
      const header = (request.headers.get('authorization') ?? '').split(',')[0]?.trim();
      try {
        return await verifyBearerToken(header || undefined, {
          verifier,
          requiredScopes,
          resourceMetadataUrl,
        });
      } catch (err) {
        return bearerAuthChallengeResponse(err, { requiredScopes, resourceMetadataUrl });
      }
    },
  };
}
