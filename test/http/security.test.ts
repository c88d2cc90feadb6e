// Client authentication (bearer tokens, OAuth JWTs with a local key set), Origin/Host checks, CORS,
// and the refusal to serve a non-loopback address without client auth.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { resolveAuthTokens, staticTokenVerifier } from '../../src/http/auth.js';
import { createRequestGuard, isLoopback } from '../../src/http/security.js';
import { createHttpServer, InsecureBindError } from '../../src/http/server.js';
import { OdooClient } from '../../src/odoo/client.js';
import {
  connectStreamable,
  type Era,
  type HttpHarness,
  INIT_BODY,
  rawHttp,
  rawPost,
  startHttp,
} from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ odooVersion: '19.0' });
});
afterAll(async () => {
  await emulator.close();
});

const TOKEN = 'test-token-0123456789abcdef';
const OTHER = 'other-token-0123456789abcdef';

describe('bearer tokens', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttp({ emulator, authTokens: resolveAuthTokens([TOKEN], ` ${OTHER} ,`) });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers 401 with a Bearer challenge when the token is missing or wrong', async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong-token-0123456789' },
      { authorization: TOKEN },
    ];
    for (const headers of attempts) {
      const res = await rawPost(h.url, INIT_BODY, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
    expect(h.server.sessionCount).toBe(0);
  });

  it.each(['modern', 'legacy'] as Era[])('lets a client with a configured token in (%s era)', async (era) => {
    for (const token of [TOKEN, OTHER]) {
      const { client } = await connectStreamable(h.url, era, { authorization: `Bearer ${token}` });
      const r = await client.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
      expect(r.isError).toBeFalsy();
      await client.close();
    }
  });

  it('binds a session to the token that opened it', async () => {
    const init = await rawPost(h.url, INIT_BODY, { authorization: `Bearer ${TOKEN}` });
    const sid = init.headers.get('mcp-session-id') ?? '';
    expect(sid).not.toBe('');
    const stolen = await rawPost(h.url, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), {
      authorization: `Bearer ${OTHER}`,
      'mcp-session-id': sid,
      'mcp-protocol-version': '2025-11-25',
    });
    expect(stolen.status).toBe(404);
  });

  it('never writes a token to the log', () => {
    const all = h.logs.join('');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(OTHER);
  });

  it('compares tokens by hash, all of them', () => {
    const check = staticTokenVerifier(['a'.repeat(20), 'b'.repeat(20)]);
    expect(check('b'.repeat(20))).toBe(true);
    expect(check('b'.repeat(19))).toBe(false);
    expect(check('')).toBe(false);
  });
});

describe('OAuth access tokens (JWT, local JWKS)', () => {
  let h: HttpHarness;
  let issuerServer: Server;
  let issuer = '';
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  let jwksFetches = 0;
  const audience = 'https://odoo-mcp.test/mcp';

  const sign = (
    claims: Record<string, unknown>,
    opts: { iss?: string; aud?: string; exp?: string | number } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(opts.iss ?? issuer)
      .setAudience(opts.aud ?? audience)
      .setSubject('user-42')
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '5m')
      .sign(privateKey);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    issuerServer = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/oauth-authorization-server') {
        res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
      } else if (req.url === '/jwks') {
        jwksFetches++;
        res.end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((r) => issuerServer.listen(0, '127.0.0.1', () => r()));
    issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
    // No jwks_url: the key set is found through the issuer's metadata.
    h = await startHttp({
      emulator,
      config: { http: { oauth: { issuer, audience, required_scopes: ['odoo.read'] } } },
    });
  });
  afterAll(async () => {
    await h.close();
    issuerServer.close();
  });

  it('serves RFC 9728 protected-resource metadata', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/mcp',
    ]) {
      const res = await fetch(new URL(path, h.url));
      expect(res.status).toBe(200);
      const meta = (await res.json()) as Record<string, unknown>;
      expect(meta.authorization_servers).toEqual([issuer]);
      expect(meta.resource).toBe(new URL('/mcp', h.url).href);
      expect(meta.scopes_supported).toEqual(['odoo.read']);
    }
  });

  it('challenges a request without a token, pointing at the metadata', async () => {
    const res = await rawPost(h.url, INIT_BODY);
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain('resource_metadata="');
    expect(challenge).toContain('/.well-known/oauth-protected-resource/mcp');
  });

  it.each(['modern', 'legacy'] as Era[])('accepts a valid token (%s era)', async (era) => {
    const token = await sign({ scope: 'odoo.read odoo.write' });
    const { client } = await connectStreamable(h.url, era, { authorization: `Bearer ${token}` });
    const r = await client.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
    expect(r.isError).toBeFalsy();
    await client.close();
    expect(jwksFetches).toBe(1); // the key set is cached
  });

  it('refuses expired tokens, other issuers and audiences (401), missing scopes (403)', async () => {
    const cases: Array<[Promise<string>, number, string]> = [
      [sign({ scope: 'odoo.read' }, { exp: Math.floor(Date.now() / 1000) - 60 }), 401, 'invalid_token'],
      [sign({ scope: 'odoo.read' }, { iss: 'http://127.0.0.1:1' }), 401, 'invalid_token'],
      [sign({ scope: 'odoo.read' }, { aud: 'https://someone-else.test' }), 401, 'invalid_token'],
      [Promise.resolve('not.a.jwt'), 401, 'invalid_token'],
      [sign({ scope: 'odoo.write' }), 403, 'insufficient_scope'],
    ];
    for (const [token, status, error] of cases) {
      const res = await rawPost(h.url, INIT_BODY, { authorization: `Bearer ${await token}` });
      expect(res.status).toBe(status);
      expect(res.headers.get('www-authenticate')).toContain(`error="${error}"`);
    }
  });

  it('refuses a token signed by another key', async () => {
    const other = await generateKeyPair('RS256');
    const forged = await new SignJWT({ scope: 'odoo.read' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('5m')
      .sign(other.privateKey);
    const res = await rawPost(h.url, INIT_BODY, { authorization: `Bearer ${forged}` });
    expect(res.status).toBe(401);
  });
});

describe('Origin, Host and CORS', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttp({ emulator, config: { http: { cors_origins: ['https://app.example.com'] } } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses an Origin that is not allowed (403)', async () => {
    const res = await rawPost(h.url, INIT_BODY, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('evil.example');
    expect(h.server.sessionCount).toBe(0);
  });

  it('accepts an allowed Origin and exposes Mcp-Session-Id to it', async () => {
    const res = await rawPost(h.url, INIT_BODY, { origin: 'https://app.example.com' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-expose-headers')).toContain('Mcp-Session-Id');
    // Loopback pages may call a loopback server.
    const local = await rawPost(h.url, INIT_BODY, { origin: 'http://localhost:5173' });
    expect(local.status).toBe(200);
  });

  it('answers CORS preflight requests', async () => {
    const res = await rawHttp(h.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, mcp-session-id',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(String(res.headers['access-control-allow-methods'])).toContain('DELETE');
    expect(String(res.headers['access-control-allow-headers'])).toContain('Mcp-Session-Id');
    const evil = await rawHttp(h.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
  });

  it('refuses a foreign Host header on a loopback server (DNS rebinding)', async () => {
    const res = await rawHttp(h.url, {
      headers: {
        host: 'attacker.example:8080',
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: INIT_BODY,
    });
    expect(res.status).toBe(403);
    const ok = await rawHttp(h.url, { method: 'GET', path: '/health', headers: { host: 'localhost' } });
    expect(ok.status).toBe(200);
  });

  it('guards by the rules, in isolation', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    const remote = createRequestGuard({
      bindHost: '0.0.0.0',
      allowedHosts: ['mcp.example.com'],
      corsOrigins: [],
    });
    expect(remote.checkHost('mcp.example.com:443')).toBeUndefined();
    expect(remote.checkHost('localhost:8080')).toBeUndefined();
    expect(remote.checkHost('evil.example')).toContain('allowed_hosts');
    expect(remote.checkOrigin('http://localhost:3000')).toContain('not allowed');
    expect(remote.checkOrigin(null)).toBeUndefined();
    const any = createRequestGuard({ bindHost: '127.0.0.1', allowedHosts: [], corsOrigins: ['*'] });
    expect(any.checkOrigin('https://anything.example')).toBeUndefined();
    expect(any.corsHeaders('https://anything.example')['Access-Control-Allow-Origin']).toBe('*');
  });
});

describe('binding a non-loopback address', () => {
  const make = (http: Record<string, unknown>, authTokens: string[] = []) => {
    const config = configSchema.parse({
      odoo_url: emulator.url,
      username: 'admin',
      api_key: 'x',
      http: { host: '0.0.0.0', port: 0, ...http },
    });
    const odoo = OdooClient.fromConfig(config);
    return () =>
      createHttpServer({
        config,
        mode: 'streamable_http',
        odoo,
        services: {} as never,
        authTokens,
        version: 't',
      });
  };

  it('refuses without client auth, naming the override', () => {
    expect(make({})).toThrow(InsecureBindError);
    expect(make({})).toThrow(/--allow-unauthenticated-remote/);
  });

  it('starts with a token, per-user credentials or the explicit override', () => {
    expect(make({}, ['remote-token-0123456789abcdef0123456789'])).not.toThrow();
    expect(make({ allow_unauthenticated_remote: true })).not.toThrow();
    expect(make({ per_user_odoo: true })).not.toThrow();
  });
});
