// OAuth 2.1 resource-server side: JWT access tokens from the configured authorization server are
// verified with `jose` (signature against the issuer's JWKS, issuer, audience, expiry), and the
// RFC 9728 protected-resource metadata tells clients where to get one.
import {
  type AuthInfo,
  getOAuthProtectedResourceMetadataUrl,
  OAuthError,
  OAuthErrorCode,
  type OAuthTokenVerifier,
} from '@modelcontextprotocol/server';
import { createRemoteJWKSet, type JWTPayload, errors as joseErrors, jwtVerify } from 'jose';
import type { Config } from '../config/schema.js';

export type OAuthSettings = NonNullable<Config['http']['oauth']>;

type KeySet = ReturnType<typeof createRemoteJWKSet>;

/** Scopes of a token: the `scope` string of RFC 9068, or an `scp` list/string. */
export function scopesOf(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return [];
}

/** Finds the issuer's jwks_uri in its RFC 8414 (or OpenID Connect) metadata. */
async function discoverJwksUrl(issuer: string, fetchImpl: typeof fetch): Promise<URL> {
  const base = issuer.replace(/\/$/, '');
  const iss = new URL(issuer);
  const candidates = [
    `${iss.origin}/.well-known/oauth-authorization-server${iss.pathname === '/' ? '' : iss.pathname.replace(/\/$/, '')}`,
    `${base}/.well-known/openid-configuration`,
  ];
  for (const url of candidates) {
    try {
      const res = await fetchImpl(url, { headers: { accept: 'application/json' } });
      if (!res.ok) continue;
      const meta = (await res.json()) as { jwks_uri?: unknown };
      if (typeof meta.jwks_uri === 'string') return new URL(meta.jwks_uri);
    } catch {
      // try the next well-known location
    }
  }
  throw new Error(`no jwks_uri found in the metadata of ${issuer}; set http.oauth.jwks_url`);
}

export function createJwtVerifier(
  settings: OAuthSettings,
  fetchImpl: typeof fetch = fetch,
): OAuthTokenVerifier {
  let keySet: Promise<KeySet> | undefined;
  const keys = (): Promise<KeySet> => {
    keySet ??= (
      settings.jwks_url
        ? Promise.resolve(new URL(settings.jwks_url))
        : discoverJwksUrl(settings.issuer, fetchImpl)
    )
      .then((url) => createRemoteJWKSet(url, { cooldownDuration: 30_000, cacheMaxAge: 600_000 }))
      .catch((err: unknown) => {
        keySet = undefined;
        throw err;
      });
    return keySet;
  };
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      let jwks: KeySet;
      try {
        jwks = await keys();
      } catch (err) {
        throw new OAuthError(
          OAuthErrorCode.ServerError,
          `Cannot fetch the authorization server's keys: ${(err as Error).message}`,
        );
      }
      try {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: settings.issuer,
          audience: settings.audience,
          requiredClaims: ['exp'],
          clockTolerance: 5,
        });
        const clientId = String(payload.client_id ?? payload.azp ?? payload.sub ?? 'unknown');
        return {
          token,
          clientId,
          scopes: scopesOf(payload),
          expiresAt: payload.exp,
          // The rate limit and session caps count per subject (the user), not per token: a client
          // that refreshes its token stays the same client (clients.ts).
          extra: { subject: payload.sub, client: `jwt:${String(payload.sub ?? clientId).slice(0, 200)}` },
        };
      } catch (err) {
        if (err instanceof joseErrors.JWTExpired)
          throw new OAuthError(OAuthErrorCode.InvalidToken, 'Token has expired');
        if (err instanceof joseErrors.JWTClaimValidationFailed) {
          throw new OAuthError(
            OAuthErrorCode.InvalidToken,
            `Token rejected: ${err.claim} claim check failed`,
          );
        }
        if (err instanceof joseErrors.JOSEError) {
          throw new OAuthError(OAuthErrorCode.InvalidToken, 'Invalid access token');
        }
        throw new OAuthError(OAuthErrorCode.ServerError, 'Token verification failed');
      }
    },
  };
}

/** The resource identifier of this server: configured, or the URL of /mcp as the client reached it. */
export function resourceUrl(settings: OAuthSettings, request: Request): URL {
  if (settings.resource) return new URL(settings.resource);
  const url = new URL(request.url);
  return new URL('/mcp', url.origin);
}

export function resourceMetadataUrl(settings: OAuthSettings, request: Request): string {
  return getOAuthProtectedResourceMetadataUrl(resourceUrl(settings, request));
}

/** RFC 9728 metadata for GET /.well-known/oauth-protected-resource[/mcp]. */
export function protectedResourceMetadata(
  settings: OAuthSettings,
  request: Request,
): Record<string, unknown> {
  return {
    resource: resourceUrl(settings, request).href,
    authorization_servers: [settings.issuer],
    bearer_methods_supported: ['header'],
    ...(settings.required_scopes.length > 0 ? { scopes_supported: settings.required_scopes } : {}),
    resource_name: 'Odoo MCP server',
  };
}
