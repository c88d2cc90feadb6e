// The HTTP front: one node:http server with, in this order, the Host (DNS rebinding) and Origin
// checks, CORS, health and readiness, OAuth metadata, client authentication, rate limiting, the
// body limit and JSON parsing, per-user Odoo identity, then the MCP endpoints. Graceful close stops
// accepting, lets in-flight calls finish (bounded) and ends sessions and streams.
import {
  createServer as createNodeServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthInfo, McpServer } from '@modelcontextprotocol/server';
import type { Config } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import type { Redactor } from '../logging/redact.js';
import { INVALID_PARAMS, InboundScreen } from '../mcp/inbound.js';
import type { ServerDeps } from '../mcp/server.js';
import type { OdooClient } from '../odoo/client.js';
import { RateLimiter } from '../services/rate-limit.js';
import { type Authenticator, createAuthenticator, sha256 } from './auth.js';
import { createReadinessCheck, healthBody } from './health.js';
import {
  IdentityError,
  identityFromHeaders,
  MISSING_IDENTITY_MESSAGE,
  type OdooIdentity,
  servicesForIdentity,
} from './identity.js';
import { presentResponse, relaxAccept } from './lenient.js';
import { createMcpEndpoint, jsonRpcError, type McpCall } from './mcp-endpoint.js';
import { createJwtVerifier, protectedResourceMetadata, resourceMetadataUrl } from './oauth.js';
import { createRequestGuard, isLoopback } from './security.js';
import { SessionStore } from './sessions.js';

export const MCP_PATH = '/mcp';
export const SSE_PATH = '/sse';
export const MESSAGES_PATH = '/messages';
export const PRM_PATH = '/.well-known/oauth-protected-resource';
/** Most sessions open at once (streamable and SSE together). */
export const MAX_SESSIONS = 1000;

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
}

export interface HttpServer {
  listen(): Promise<{ url: string }>;
  close(): Promise<void>;
  /** The base URL once listening (http://host:port). */
  readonly url: string;
  /** Open MCP sessions (streamable and legacy SSE). */
  readonly sessionCount: number;
  readonly rateLimitKeys: number;
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

/** Writes a web Response to Node, streaming its body with backpressure until done or cancelled. */
async function writeResponse(
  res: ServerResponse,
  response: Response,
  extra: Record<string, string>,
  signal: AbortSignal,
) {
  const headers: Record<string, string> = { ...extra };
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
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
  });
}

export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const { config, logger } = deps;
  const http = config.http;
  const perUser = http.per_user_odoo;
  const tokens = deps.authTokens ?? http.auth_tokens;
  const fetchImpl = deps.fetch ?? fetch;
  const oauth = http.oauth;

  const authenticator: Authenticator = createAuthenticator({
    tokens,
    jwt: oauth ? createJwtVerifier(oauth, fetchImpl) : undefined,
    requiredScopes: oauth?.required_scopes ?? [],
    resourceMetadataUrl: oauth ? (request) => resourceMetadataUrl(oauth, request) : undefined,
  });
  if (!isLoopback(http.host) && !authenticator.required && !perUser && !http.allow_unauthenticated_remote) {
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
  const limiter = new RateLimiter({
    perMinute: config.requests_per_minute,
    maxWaitMs: config.rate_limit_max_wait_seconds * 1000,
  });
  const sessions = new SessionStore(config.session_timeout_minutes * 60_000, MAX_SESSIONS);
  const readiness = createReadinessCheck({ client: deps.odoo, perUser });
  const identityOpts = {
    base: deps.odoo,
    config,
    logger,
    redact: deps.redact,
    version: deps.version,
  };
  const endpoint = createMcpEndpoint({
    mode: deps.mode,
    streamable: http.streamable,
    sessions,
    logger,
    createServer: deps.createServer,
    async services(identity: OdooIdentity | undefined, signal?: AbortSignal) {
      if (!perUser) return deps.services as ServerDeps;
      if (!identity) throw new IdentityError(MISSING_IDENTITY_MESSAGE);
      return servicesForIdentity(identity, identityOpts, signal);
    },
  });

  const timeoutMs = http.request_timeout_seconds * 1000;
  let server: Server | undefined;
  let baseUrl = '';
  let closing = false;
  const inflight = new Set<Promise<void>>();
  const streams = new Set<AbortController>();

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : null;
    const hostError = guard.checkHost(req.headers.host ?? null);
    if (hostError) return reply(res, rpcError(403, -32000, `Forbidden: ${hostError}`));
    const originError = guard.checkOrigin(origin);
    if (originError) return reply(res, rpcError(403, -32000, `Forbidden: ${originError}`));
    const cors = guard.corsHeaders(origin);
    if (method === 'OPTIONS') return reply(res, { status: 204 }, guard.preflightHeaders(origin));

    let url: URL;
    try {
      // Concatenate rather than resolve: a request target like //other.host/x must stay a path.
      url = new URL(`http://${req.headers.host}${req.url?.startsWith('/') ? req.url : '/'}`);
    } catch {
      return reply(res, rpcError(400, -32000, 'Bad request target'), cors);
    }
    const path = url.pathname.replace(/\/+$/, '') || '/';

    if (path === '/health' && (method === 'GET' || method === 'HEAD')) {
      return reply(res, { status: 200, body: healthBody() }, cors);
    }
    if (path === '/ready' && (method === 'GET' || method === 'HEAD')) {
      const r = await readiness();
      return reply(res, { status: r.ready ? 200 : 503, body: r.body }, cors);
    }
    if (oauth && (path === PRM_PATH || path === `${PRM_PATH}${MCP_PATH}`) && method === 'GET') {
      const probe = new Request(url, { headers: webHeaders(req) });
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
    let authInfo: AuthInfo | undefined;
    if (authenticator.required) {
      const result = await authenticator.authenticate(new Request(url, { headers }));
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

    // Rate limit per client: its token, else its session, else its address.
    if (limiter.enabled) {
      const sid =
        path === MESSAGES_PATH ? url.searchParams.get('sessionId') : (headers.get('mcp-session-id') ?? null);
      const session = endpoint.sessionFor(sid, principal);
      const key = authInfo
        ? principal
        : session
          ? `session:${session}`
          : `ip:${req.socket.remoteAddress ?? '?'}`;
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
      } catch {
        return; // the client left while waiting
      } finally {
        res.off('close', onClose);
      }
    }

    // Body: size limit, then JSON.
    let bodyText: string | undefined;
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
        bodyText = JSON.stringify(body);
      }
    }

    // Per-user Odoo identity.
    let identity: OdooIdentity | undefined;
    if (perUser) {
      identity = identityFromHeaders(headers);
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
    // `gone`: the client disconnected (or shutdown); `expired`: the request ran out of time. Either
    // cancels the MCP exchange; only `gone` stops the timeout answer itself from being written.
    const gone = new AbortController();
    const expired = new AbortController();
    const cancelled = AbortSignal.any([gone.signal, expired.signal]);
    const onClientGone = () => {
      if (!res.writableFinished) gone.abort(new Error('client disconnected'));
    };
    res.on('close', onClientGone);
    const request = new Request(url, { method, headers, body: bodyText, signal: cancelled });
    const call: McpCall = { request, body, authInfo, principal, identity };
    let timer: NodeJS.Timeout | undefined;
    let timeoutAnswer: Response | undefined;
    const timedOut = new Promise<Response>((resolve) => {
      if (isStream) return;
      timer = setTimeout(() => {
        expired.abort(new Error('request timeout'));
        timeoutAnswer = jsonRpcError(
          504,
          -32001,
          `Request timed out after ${http.request_timeout_seconds} s`,
        );
        resolve(timeoutAnswer);
      }, timeoutMs);
      timer.unref();
    });
    if (isStream) streams.add(gone);
    try {
      const handling =
        path === SSE_PATH
          ? endpoint.openSse(call, MESSAGES_PATH)
          : path === MESSAGES_PATH
            ? endpoint.postMessage(call, url.searchParams.get('sessionId'))
            : endpoint.handleMcp(call);
      let response: Response;
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
        } else {
          logger?.error({ err: err instanceof Error ? err.message : String(err) }, 'MCP request failed');
          response = jsonRpcError(500, -32603, 'Internal error');
        }
      }
      handling.catch(() => undefined);
      if (method === 'POST' && path === MCP_PATH && response !== timeoutAnswer) {
        response = await presentResponse(response, { jsonOnly, inbound });
      }
      await writeResponse(res, response, cors, response === timeoutAnswer ? gone.signal : cancelled);
    } finally {
      clearTimeout(timer);
      res.off('close', onClientGone);
      streams.delete(gone);
    }
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
        logger?.debug(
          {
            method: req.method,
            path: (req.url ?? '').split('?')[0]?.slice(0, 100),
            status: res.statusCode,
            ms: Date.now() - started,
          },
          'HTTP request',
        );
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
    listen() {
      return new Promise((resolve, reject) => {
        const s = createNodeServer(onRequest);
        server = s;
        s.once('error', reject);
        s.listen(http.port, http.host, () => {
          s.off('error', reject);
          s.on('clientError', (_err, socket) => {
            if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
            else socket.destroy();
          });
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
