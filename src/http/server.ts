// The HTTP front: one node:http server with, in this order, the Host (DNS rebinding) and Origin
// checks, CORS, health and readiness, OAuth metadata, client authentication, rate limiting, the
// body limit and JSON parsing, per-user Odoo identity, then the MCP endpoints. Graceful close stops
// accepting, lets in-flight calls finish (bounded) and ends sessions and streams.
// Against abuse: the rate limit and session caps count per client (clients.ts), never per session;
// slow senders are cut off by the headers and body timeouts; the route comes from the request
// target alone, never from the Host header.
import {
  createServer as createNodeServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { AuthInfo, McpServer } from '@modelcontextprotocol/server';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import type { Redactor } from '../logging/redact.js';
import { INVALID_PARAMS, InboundScreen } from '../mcp/inbound.js';
import type { ServerDeps } from '../mcp/server.js';
import type { OdooClient } from '../odoo/client.js';
import { RateLimiter, SharedRateLimiter } from '../services/rate-limit.js';
import { SharedPollingRedis, type SharedState, SharedStateError } from '../services/shared-state.js';
import type { ChangeWatcher } from '../services/subscriptions.js';
import { type Authenticator, checkTokenStrength, createAuthenticator, sha256 } from './auth.js';
import { addressKey, clientAddress, clientKey, VerifiedUsers } from './clients.js';
import { createReadinessCheck, healthBody, publicReadiness } from './health.js';
import {
  IdentityError,
  identityFromHeaders,
  MISSING_IDENTITY_MESSAGE,
  type OdooIdentity,
  servicesForIdentity,
} from './identity.js';
import { presentResponse, relaxAccept, type WholeAnswer } from './lenient.js';
import { createMcpEndpoint, jsonRpcError, type McpCall } from './mcp-endpoint.js';
import { createJwtVerifier, protectedResourceMetadata, resourceMetadataUrl } from './oauth.js';
import { createRequestGuard, isLoopback } from './security.js';
import { SessionStore } from './sessions.js';
import { SharedSessions } from './shared-sessions.js';

export const MCP_PATH = '/mcp';
export const SSE_PATH = '/sse';
export const MESSAGES_PATH = '/messages';
export const PRM_PATH = '/.well-known/oauth-protected-resource';

export class InsecureBindError extends Error {
  constructor(host: string) {
    super(
      `Refusing to listen on ${host} without client authentication: anyone who can reach this port could read and change your Odoo data as the configured user. ` +
        'Set bearer tokens (http.auth_tokens or ODOO_MCP_HTTP_TOKEN), an OAuth authorization server (http.oauth) or per-user Odoo credentials (http.per_user_odoo); ' +
        'or bind 127.0.0.1; or, if a proxy in front authenticates clients, pass --allow-unauthenticated-remote (http.allow_unauthenticated_remote: true).',
    );
    this.name = 'InsecureBindError';
  }
}

export interface HttpServerDeps {
  config: Config;
  mode: 'streamable_http' | 'http';
  /** The Odoo client: with the shared credential, or without any in per-user mode. */
  odoo: OdooClient;
  /** The shared services (absent in per-user mode). */
  services?: ServerDeps;
  /** Bearer tokens (config plus ODOO_MCP_HTTP_TOKEN, see resolveAuthTokens). */
  authTokens?: readonly string[];
  logger?: Logger;
  redact?: Redactor;
  version: string;
  /** JWKS and metadata fetches (tests). */
  fetch?: typeof fetch;
  /** Builds one MCP server instance over services; createServer by default. */
  createServer?: (deps: ServerDeps) => McpServer;
  /** Redis shared with the other replicas (state.redis_url), connected by the caller. */
  state?: SharedState;
}

export interface HttpServer {
  listen(): Promise<{ url: string }>;
  close(): Promise<void>;
  /** The base URL once listening (http://host:port). */
  readonly url: string;
  /** Open MCP sessions (streamable and legacy SSE). */
  readonly sessionCount: number;
  readonly rateLimitKeys: number;
  /** What the server holds per client and session, to watch memory stay bounded. */
  stats(): HttpServerStats;
}

export interface HttpServerStats {
  sessions: number;
  /** Clients holding sessions. */
  sessionClients: number;
  /** Sessions evicted to make room since start. */
  evictedSessions: number;
  /** Session transports (equal to sessions once every close has settled). */
  transports: number;
  rateLimitKeys: number;
  /** Per-user identities remembered as accepted by Odoo. */
  verifiedUsers: number;
  /** Requests being handled and streams open. */
  inflight: number;
  streams: number;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

function reply(res: ServerResponse, r: Reply, extra: Record<string, string> = {}): void {
  const text = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const type =
    r.body === undefined
      ? {}
      : { 'Content-Type': typeof r.body === 'string' ? 'text/plain' : 'application/json' };
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(r.status, { ...type, ...extra, ...r.headers });
  res.end(text);
}

const rpcError = (
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Reply => ({
  status,
  headers,
  body: { jsonrpc: '2.0', error: { code, message }, id: null },
});

/** Writes an answer whose body is known whole: one write, with its length (no chunked framing). */
function writeWhole(res: ServerResponse, answer: WholeAnswer, extra: Record<string, string>): void {
  const headers: Record<string, string> = { ...extra };
  answer.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (answer.status === 204 || answer.status === 304) delete headers['content-length'];
  else headers['content-length'] = String(Buffer.byteLength(answer.text));
  res.writeHead(answer.status, headers);
  res.end(answer.text);
}

/** A JSON or plain text body: short, and whole once the SDK resolves the response. */
const WHOLE_BODY = /^(application\/json|text\/plain)\b/i;

/**
 * Writes a web Response to Node: a JSON or text body in one write, anything else (an event stream)
 * streamed with backpressure until done or cancelled.
 */
async function writeResponse(
  res: ServerResponse,
  response: Response | WholeAnswer,
  extra: Record<string, string>,
  signal: AbortSignal,
) {
  if (!(response instanceof Response)) return writeWhole(res, response, extra);
  if (!response.body || WHOLE_BODY.test(response.headers.get('content-type') ?? '')) {
    const text = response.body ? await response.text() : '';
    return writeWhole(res, { status: response.status, headers: response.headers, text }, extra);
  }
  const headers: Record<string, string> = { ...extra };
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  // An event stream may stay silent for a while: send the headers now, not with the first event.
  res.flushHeaders();
  const reader = response.body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || signal.aborted) break;
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
    }
  } catch {
    // the stream failed or was cancelled: end the response
  } finally {
    signal.removeEventListener('abort', cancel);
    res.end();
  }
}

function webHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        // Discard the rest without buffering it.
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
    // Cut off before the end (e.g. by the body timeout): settle, so the request does not hang.
    req.once('close', () => {
      if (!req.complete) reject(new Error('request closed before its body ended'));
    });
  });
}

/**
 * A Host header is `host[:port]` (RFC 9112 3.2, RFC 3986 3.2.2): a name or IPv4 address, or an IPv6
 * one in brackets. Anything else (a path, a query, userinfo, spaces) gets 400.
 */
const HOST_SYNTAX = /^(?:[A-Za-z0-9._~!$&'()*+,;=%-]+|\[[0-9A-Fa-f:.]+(?:%25[\w.~-]+)?\])(?::\d{1,5})?$/;

/**
 * The URL a request is handled with: the address of the socket it arrived on plus its target's path
 * and query. Never the Host header: that only passes the DNS rebinding check (and names this server
 * in OAuth metadata, see publicOrigin), it never picks the route.
 */
export function requestUrl(
  socket: Pick<Socket, 'localAddress' | 'localPort'>,
  target: string | undefined,
): URL {
  const addr = socket.localAddress ?? '127.0.0.1';
  const host = addr.includes(':') ? `[${addr.replace(/%.*$/, '')}]` : addr;
  // Concatenate rather than resolve: a request target like //other.host/x must stay a path.
  return new URL(`http://${host}:${socket.localPort ?? 80}${target?.startsWith('/') ? target : '/'}`);
}

/** The origin clients reached the server at (for OAuth resource URLs): the checked Host header. */
function publicOrigin(host: string, url: URL): string {
  try {
    return new URL(`http://${host}`).origin;
  } catch {
    return url.origin;
  }
}

export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const { config, logger } = deps;
  const http = config.http;
  const perUser = http.per_user_odoo;
  const tokens = deps.authTokens ?? http.auth_tokens;
  const fetchImpl = deps.fetch ?? fetch;
  const oauth = http.oauth;

  const loopback = isLoopback(http.host);
  checkTokenStrength(tokens, http.host, loopback);
  const authenticator: Authenticator = createAuthenticator({
    tokens,
    jwt: oauth ? createJwtVerifier(oauth, fetchImpl) : undefined,
    requiredScopes: oauth?.required_scopes ?? [],
    resourceMetadataUrl: oauth ? (request) => resourceMetadataUrl(oauth, request) : undefined,
  });
  if (!loopback && !authenticator.required && !perUser && !http.allow_unauthenticated_remote) {
    throw new InsecureBindError(http.host);
  }
  if (!perUser && !deps.services)
    throw new Error('createHttpServer needs shared services unless per_user_odoo is on');

  const guard = createRequestGuard({
    bindHost: http.host,
    allowedHosts: http.allowed_hosts,
    corsOrigins: http.cors_origins,
  });
  if (guard.anyHost) {
    logger?.warn(
      { host: http.host },
      'http.allowed_hosts is empty: any Host header is accepted on this non-loopback address (no DNS rebinding protection)',
    );
  }
  const limits = {
    perMinute: config.requests_per_minute,
    maxWaitMs: config.rate_limit_max_wait_seconds * 1000,
  };
  // With replicas, one budget per client across all of them.
  const limiter = deps.state ? new SharedRateLimiter(deps.state, limits) : new RateLimiter(limits);
  const sessions = new SessionStore({
    idleMs: config.session_timeout_minutes * 60_000,
    max: http.max_sessions,
    maxPerClient: Math.min(http.max_sessions_per_client, http.max_sessions),
  });
  const trustedProxies = new Set(http.trusted_proxies.map((a) => a.trim().toLowerCase()));
  // Per-user identities Odoo accepted: from then on their login names the client (clients.ts).
  const verified = new VerifiedUsers();
  const readiness = createReadinessCheck({ client: deps.odoo, perUser, state: deps.state });
  // /ready details without client auth only where nobody else can ask: a loopback bind without any
  // client auth configured (whoever reaches it may call every tool, which tell the same anyway).
  const readyDetailsWithoutAuth = loopback && !authenticator.required;
  const shared = deps.state
    ? new SharedSessions(deps.state, config.session_timeout_minutes * 60_000)
    : undefined;
  const state = deps.state;
  const identityOpts = {
    base: deps.odoo,
    config,
    logger,
    redact: deps.redact,
    version: deps.version,
    // Bounded: a watcher pushed out only costs its identity a second poll while both are in use.
    watchers: new LRUCache<string, ChangeWatcher>({ max: 1000 }),
    // Keyed by the replicas' shared fingerprint of the credentials, never by the credentials.
    sharedPolling:
      state && shared
        ? async (identity: OdooIdentity) => {
            const fingerprint = await shared.fingerprint(identity).catch((err: unknown) => {
              throw new SharedStateError('the identity', err);
            });
            return new SharedPollingRedis(state, `user:${fingerprint}`);
          }
        : undefined,
  };
  const endpoint = createMcpEndpoint({
    shared,
    resyncMs: config.subscriptions.poll_seconds * 1000,
    maxListenStreams: config.subscriptions.max_streams_per_client,
    state: deps.state,
    mode: deps.mode,
    streamable: http.streamable,
    sessions,
    logger,
    createServer: deps.createServer,
    async services(identity: OdooIdentity | undefined, signal?: AbortSignal) {
      if (!perUser) return deps.services as ServerDeps;
      if (!identity) throw new IdentityError(MISSING_IDENTITY_MESSAGE);
      try {
        const services = await servicesForIdentity(identity, identityOpts, signal);
        verified.remember(identity);
        return services;
      } catch (err) {
        if (err instanceof IdentityError && err.status === 401) verified.forget(identity);
        throw err;
      }
    },
    sessionClient: (call) =>
      clientKey({
        authInfo: call.authInfo,
        verifiedUser: verified.keyOf(call.identity),
        address: call.address,
      }),
  });

  const timeoutMs = http.request_timeout_seconds * 1000;
  let server: Server | undefined;
  let baseUrl = '';
  let closing = false;
  const inflight = new Set<Promise<void>>();
  const streams = new Set<AbortController>();

  /**
   * Authenticates against the allowance of the caller's address: each attempt takes a unit of it
   * (given back when the token is good), and once failed attempts have spent it, tokens are not even
   * checked (429), so they cannot be guessed at full speed, here or through /ready.
   */
  async function authenticate(request: Request, address: string | undefined): Promise<AuthInfo | Response> {
    const key = addressKey(address);
    let attempt: Awaited<ReturnType<typeof limiter.reserve>>;
    try {
      attempt = await limiter.reserve(key);
    } catch (err) {
      if (err instanceof SharedStateError)
        return jsonRpcError(503, -32000, err.message, { 'Retry-After': '2' });
      throw err;
    }
    if ('retryAfterSeconds' in attempt) {
      const wait = String(attempt.retryAfterSeconds);
      return jsonRpcError(429, -32000, `Rate limit exceeded; retry after ${wait} s`, { 'Retry-After': wait });
    }
    const result = await authenticator.authenticate(request);
    if (!(result instanceof Response)) await limiter.release(key);
    return result;
  }

  /** Whether this request may read /ready's details: authenticated, or nobody else can ask. */
  async function mayReadDetails(req: IncomingMessage, url: URL): Promise<boolean> {
    if (!authenticator.required) return readyDetailsWithoutAuth;
    if (!req.headers.authorization) return false;
    const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustedProxies);
    const result = await authenticate(new Request(url, { headers: webHeaders(req) }), address);
    return !(result instanceof Response);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : null;
    const host = req.headers.host ?? null;
    if (host !== null && !HOST_SYNTAX.test(host)) {
      return reply(res, rpcError(400, -32000, 'Bad Request: the Host header must be host[:port]'), {
        Connection: 'close',
      });
    }
    const hostError = guard.checkHost(host);
    if (hostError) return reply(res, rpcError(403, -32000, `Forbidden: ${hostError}`));
    const originError = guard.checkOrigin(origin);
    if (originError) return reply(res, rpcError(403, -32000, `Forbidden: ${originError}`));
    const cors = guard.corsHeaders(origin);
    if (method === 'OPTIONS') return reply(res, { status: 204 }, guard.preflightHeaders(origin));

    let url: URL;
    try {
      url = requestUrl(req.socket, req.url);
    } catch {
      return reply(res, rpcError(400, -32000, 'Bad request target'), cors);
    }
    const path = url.pathname.replace(/\/+$/, '') || '/';

    if (path === '/health' && (method === 'GET' || method === 'HEAD')) {
      return reply(res, { status: 200, body: healthBody() }, cors);
    }
    if (path === '/ready' && (method === 'GET' || method === 'HEAD')) {
      const r = await readiness();
      const body = (await mayReadDetails(req, url)) ? r.body : publicReadiness(r);
      return reply(res, { status: r.ready ? 200 : 503, body }, cors);
    }
    // OAuth resource URLs name the server as clients reached it (the checked Host), not the socket.
    // (Concatenated: a path like //other.host/x must not become another origin.)
    const publicUrl = () => new URL(`${publicOrigin(host ?? '', url)}${url.pathname}${url.search}`);
    if (oauth && (path === PRM_PATH || path === `${PRM_PATH}${MCP_PATH}`) && method === 'GET') {
      const probe = new Request(publicUrl(), { headers: webHeaders(req) });
      return reply(
        res,
        { status: 200, body: protectedResourceMetadata(oauth, probe) },
        {
          ...cors,
          'Access-Control-Allow-Origin': '*',
        },
      );
    }

    const allowed: Record<string, string[]> = {
      [MCP_PATH]: ['GET', 'POST', 'DELETE'],
      [SSE_PATH]: ['GET'],
      [MESSAGES_PATH]: ['POST'],
    };
    const methods = allowed[path];
    if (!methods) return reply(res, rpcError(404, -32000, `Not found: ${path.slice(0, 100)}`), cors);
    if (!methods.includes(method)) {
      return reply(res, rpcError(405, -32000, 'Method not allowed'), { ...cors, Allow: methods.join(', ') });
    }

    // Client authentication.
    const headers = webHeaders(req);
    const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustedProxies);
    let authInfo: AuthInfo | undefined;
    if (authenticator.required) {
      const result = await authenticate(new Request(publicUrl(), { headers }), address);
      if (result instanceof Response) {
        const challenge: Record<string, string> = {};
        result.headers.forEach((v, k) => {
          challenge[k] = v;
        });
        return reply(res, { status: result.status, headers: challenge, body: await result.json() }, cors);
      }
      authInfo = result;
    }
    const principal = authInfo ? `auth:${sha256(authInfo.token).toString('hex').slice(0, 24)}` : 'anonymous';
    // Per-user Odoo identity (checked with Odoo later, by the endpoint).
    const identity = perUser ? identityFromHeaders(headers) : undefined;
    // The client: its token and/or the Odoo login Odoo accepted, else its address; never a session.
    const client = clientKey({ authInfo, verifiedUser: verified.keyOf(identity), address });

    // Rate limit per client.
    if (limiter.enabled) {
      const key = client;
      const abortWait = new AbortController();
      const onClose = () => abortWait.abort();
      res.once('close', onClose);
      try {
        const decision = await limiter.acquire(key, abortWait.signal);
        if (!decision.ok) {
          const wait = String(decision.retryAfterSeconds);
          return reply(
            res,
            rpcError(429, -32000, `Rate limit exceeded; retry after ${wait} s`, { 'Retry-After': wait }),
            cors,
          );
        }
      } catch (err) {
        if (err instanceof SharedStateError) {
          return reply(res, rpcError(503, -32000, err.message, { 'Retry-After': '2' }), cors);
        }
        return; // the client left while waiting
      } finally {
        res.off('close', onClose);
      }
    }

    // Body: size limit, then JSON.
    let bodyText = '';
    let body: unknown;
    if (method === 'POST') {
      const declared = Number(req.headers['content-length'] ?? '0');
      try {
        if (declared > http.max_body_bytes) throw new BodyTooLarge();
        bodyText = await readBody(req, http.max_body_bytes);
      } catch (err) {
        if (err instanceof BodyTooLarge) {
          req.resume();
          return reply(
            res,
            rpcError(413, -32000, `Request body too large (limit ${http.max_body_bytes} bytes)`),
            { ...cors, Connection: 'close' },
          );
        }
        return;
      }
      try {
        body = JSON.parse(bodyText);
      } catch {
        return reply(
          res,
          rpcError(
            400,
            -32700,
            'Parse error: the body is not valid JSON. Send one JSON-RPC 2.0 message, e.g. {"jsonrpc":"2.0","id":1,"method":"tools/list"}.',
          ),
          cors,
        );
      }
    }

    // What the SDK would drop or answer with a zod dump is answered here; lenient forms are made
    // regular (see mcp/inbound.ts). /messages screens each message itself, on its stream.
    let jsonOnly = false;
    const inbound = new InboundScreen();
    if (method === 'POST' && path === MCP_PATH) {
      jsonOnly = relaxAccept(headers);
      if (!Array.isArray(body)) {
        const screened = inbound.screen(body);
        if (screened.kind === 'reply') {
          if (!screened.response) return reply(res, { status: 202 }, cors);
          const { id, error } = screened.response;
          // A request we could read gets its error as an answer; what is no request, a 400.
          const status = error.code === INVALID_PARAMS && id !== null ? 200 : 400;
          return reply(res, { status, body: screened.response }, cors);
        }
        body = screened.message;
      }
    }

    // Per-user Odoo identity.
    if (perUser) {
      if (!identity) {
        return reply(
          res,
          rpcError(401, -32000, MISSING_IDENTITY_MESSAGE, { 'WWW-Authenticate': 'X-Odoo-Api-Key' }),
          cors,
        );
      }
    }

    // Dispatch with a per-request timeout (long-lived GET streams excepted).
    const isStream = method === 'GET';
    // One signal cancels the MCP exchange: the client disconnected (or shutdown), or the request ran
    // out of time.
    const cancel = new AbortController();
    const onClientGone = () => {
      if (!res.writableFinished) cancel.abort(new Error('client disconnected'));
    };
    res.on('close', onClientGone);
    // The body goes to the endpoint parsed (`body`, handed to the SDK as parsedBody): the web request
    // carries none, so it is neither copied into a stream nor serialized again.
    const request = new Request(url, { method, headers, signal: cancel.signal });
    const call: McpCall = { request, body, authInfo, principal, client, address, identity };
    // A request of a session keeps it from counting as idle (eviction, expiry) until it is answered.
    const sid = path === MESSAGES_PATH ? url.searchParams.get('sessionId') : headers.get('mcp-session-id');
    const session = endpoint.sessionFor(sid, principal);
    let timer: NodeJS.Timeout | undefined;
    let timeoutAnswer: Response | undefined;
    const timedOut = new Promise<Response>((resolve) => {
      if (isStream) return;
      timer = setTimeout(() => {
        cancel.abort(new Error('request timeout'));
        timeoutAnswer = jsonRpcError(
          504,
          -32001,
          `Request timed out after ${http.request_timeout_seconds} s`,
        );
        resolve(timeoutAnswer);
      }, timeoutMs);
      timer.unref();
    });
    if (isStream) streams.add(cancel);
    if (session) sessions.begin(session);
    try {
      const handling =
        path === SSE_PATH
          ? endpoint.openSse(call, MESSAGES_PATH)
          : path === MESSAGES_PATH
            ? endpoint.postMessage(call, url.searchParams.get('sessionId'))
            : endpoint.handleMcp(call);
      let response: Response | WholeAnswer;
      try {
        response = await Promise.race([handling, timedOut]);
      } catch (err) {
        if (err instanceof IdentityError) {
          response = jsonRpcError(
            err.status,
            -32000,
            err.message,
            err.status === 401 ? { 'WWW-Authenticate': 'X-Odoo-Api-Key' } : {},
          );
        } else if (err instanceof SharedStateError) {
          response = jsonRpcError(503, -32000, err.message, { 'Retry-After': '2' });
        } else {
          logger?.error({ err: err instanceof Error ? err.message : String(err) }, 'MCP request failed');
          response = jsonRpcError(500, -32603, 'Internal error');
        }
      }
      handling.catch(() => undefined);
      if (method === 'POST' && path === MCP_PATH && response !== timeoutAnswer) {
        response = await presentResponse(response, { jsonOnly, inbound });
      }
      // (The timeout answer is JSON: written whole, the expired signal does not stop it.)
      await writeResponse(res, response, cors, cancel.signal);
    } finally {
      clearTimeout(timer);
      res.off('close', onClientGone);
      streams.delete(cancel);
      if (session) sessions.end(session);
    }
  }

  /**
   * A request Node could not take in: malformed (400), headers too large (431) or too slow (408).
   * The answer is written, then the connection is destroyed, not merely ended: a half-closed socket
   * would stay open for as long as the client keeps sending.
   */
  function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
    const started = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || started?.headersSent) {
      socket.destroy();
      return;
    }
    const status =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : err.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : '400 Bad Request';
    const fallback = setTimeout(() => socket.destroy(), 1000);
    fallback.unref();
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => {
      clearTimeout(fallback);
      socket.destroy();
    });
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (closing) {
      reply(res, rpcError(503, -32000, 'Server is shutting down'), {
        Connection: 'close',
        'Retry-After': '1',
      });
      return;
    }
    const started = Date.now();
    const done = route(req, res)
      .catch((err: unknown) => {
        logger?.error({ err: err instanceof Error ? err.message : String(err) }, 'HTTP request failed');
        if (!res.headersSent) reply(res, rpcError(500, -32603, 'Internal error'));
        else res.end();
      })
      .finally(() => {
        inflight.delete(done);
        if (logger?.isLevelEnabled('debug')) {
          logger.debug(
            {
              method: req.method,
              path: (req.url ?? '').split('?')[0]?.slice(0, 100),
              status: res.statusCode,
              ms: Date.now() - started,
            },
            'HTTP request',
          );
        }
      });
    // Long-lived streams are closed at shutdown, not waited for.
    if (req.method !== 'GET') inflight.add(done);
  }

  return {
    get url() {
      return baseUrl;
    },
    get sessionCount() {
      return sessions.size;
    },
    get rateLimitKeys() {
      return limiter.size;
    },
    stats() {
      return {
        sessions: sessions.size,
        sessionClients: sessions.clients,
        evictedSessions: sessions.evicted,
        transports: endpoint.transportCount,
        rateLimitKeys: limiter.size,
        verifiedUsers: verified.size,
        inflight: inflight.size,
        streams: streams.size,
      };
    },
    listen() {
      return new Promise((resolve, reject) => {
        // Node enforces both timeouts on receiving a request only: once a request is in, its
        // response (an SSE stream of GET /mcp or /sse included) may last. headersTimeout may not
        // exceed requestTimeout; the check runs often enough to cut slow senders on time.
        const requestTimeout = Math.round(http.body_timeout_seconds * 1000);
        const headersTimeout = Math.min(Math.round(http.headers_timeout_seconds * 1000), requestTimeout);
        const s = createNodeServer(
          {
            headersTimeout,
            requestTimeout,
            connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))),
          },
          onRequest,
        );
        server = s;
        s.once('error', reject);
        s.listen(http.port, http.host, () => {
          s.off('error', reject);
          s.on('clientError', onClientError);
          const addr = s.address() as AddressInfo;
          const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          baseUrl = `http://${host}:${addr.port}`;
          resolve({ url: baseUrl });
        });
      });
    },
    async close() {
      if (closing) return;
      closing = true;
      const s = server;
      const stopped = s ? new Promise<void>((resolve) => s.close(() => resolve())) : Promise.resolve();
      s?.closeIdleConnections();
      // Let in-flight calls finish, for a while.
      const grace = config.http.shutdown_grace_seconds * 1000;
      let graceTimer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inflight]),
        new Promise<void>((resolve) => {
          graceTimer = setTimeout(resolve, grace);
        }),
      ]);
      clearTimeout(graceTimer);
      for (const a of streams) a.abort(new Error('server shutting down'));
      await endpoint.close();
      s?.closeAllConnections();
      await stopped;
    },
  };
}
