// The MCP endpoints behind the HTTP front's checks (auth, rate limit, body parsing):
// - POST /mcp for 2026-07-28 requests: stateless, one server instance per exchange (createMcpHandler)
//   and reused by later exchanges over the same services (ServerPool), answered with JSON or, when
//   the client accepts it and the call emits progress, an SSE stream;
// - 2025-era on /mcp: in `streamable_http` mode sessions (Mcp-Session-Id, GET stream, DELETE), one
//   server instance per session; in `http` mode stateless JSON, one instance per request;
// - the old HTTP+SSE transport on GET /sse and POST /messages (streamable_http mode).
import {
  type AuthInfo,
  createMcpHandler,
  isInitializeRequest,
  isLegacyRequest,
  type McpHttpHandler,
  type McpServer,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import type { Logger } from '../logging/logger.js';
import { listenedUris, openListenScope, ScopedEventBus } from '../mcp/listen.js';
import { createServer as createMcpServer, type ServerDeps } from '../mcp/server.js';
import { storeSubscriptions, syncSubscriptions } from '../mcp/subscriptions.js';
import { type SharedState, SharedStateError } from '../services/shared-state.js';
import { RedisEventStore, STANDALONE_STREAM } from './event-store.js';
import type { OdooIdentity } from './identity.js';
import { batchOf, SseServerTransport } from './legacy-sse.js';
import { newSessionId, type SessionStore } from './sessions.js';
import type { ForwardedMessage, SharedSessions } from './shared-sessions.js';

export interface McpCall {
  /** The web request, its body still readable. */
  request: Request;
  /** The parsed JSON body of a POST. */
  body?: unknown;
  authInfo?: AuthInfo;
  /** Who is calling: the authenticated client, or "anonymous". */
  principal: string;
  /** The client it counts as for the rate limit and session caps (clients.ts). */
  client: string;
  /** The client's network address (the socket peer, or whom a trusted proxy forwards for). */
  address?: string;
  /** The caller's Odoo credentials (per-user mode). */
  identity?: OdooIdentity;
}

export interface McpEndpointOptions {
  /** Most subscriptions/listen streams one client holds open (subscriptions.max_streams_per_client). */
  maxListenStreams?: number;
  /** With replicas: how often a replica holding a session's stream re-reads its subscriptions. */
  resyncMs?: number;
  /** Sessions every replica can serve (state.redis_url); unset: sessions live in this process. */
  shared?: SharedSessions;
  /** The Redis behind `shared`, for stream events. */
  state?: SharedState;
  mode: 'streamable_http' | 'http';
  /** Whether responses may be SSE streams (http.streamable). */
  streamable: boolean;
  sessions: SessionStore;
  /** The services for a caller: the shared ones, or built (and checked) for a per-user identity. */
  services(identity: OdooIdentity | undefined, signal?: AbortSignal): Promise<ServerDeps>;
  /**
   * The client a new session counts against, asked once the services are ready (in per-user mode
   * Odoo has then accepted the credentials, so the session can count against that login).
   */
  sessionClient?(call: McpCall): string;
  /** Builds one server instance over services (createServer unless a test adds to the surface). */
  createServer?: (deps: ServerDeps) => McpServer;
  logger?: Logger;
}

export function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
  id: string | number | null = null,
): Response {
  return Response.json(
    { jsonrpc: '2.0', error: { code, message }, id },
    { status, headers: { 'Content-Type': 'application/json', ...headers } },
  );
}

const sessionNotFound = () => jsonRpcError(404, -32001, 'Session not found');
const accepted = () => new Response('Accepted', { status: 202, headers: { 'Content-Type': 'text/plain' } });
const notJson = (call: McpCall) =>
  (call.request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')
    ? undefined
    : jsonRpcError(415, -32000, 'Unsupported Media Type: Content-Type must be application/json');
const invalidBatch = (err: unknown) =>
  jsonRpcError(
    400,
    -32600,
    `Invalid Request: ${err instanceof Error ? err.message.slice(0, 200) : 'not a JSON-RPC message'}`,
  );
const sharedStateDown = (err: SharedStateError) =>
  jsonRpcError(503, -32000, err.message, { 'Retry-After': '2' });

function acceptsSse(request: Request): boolean {
  return (request.headers.get('accept') ?? '').includes('text/event-stream');
}

export interface McpEndpoint {
  /** POST/GET/DELETE /mcp. */
  handleMcp(call: McpCall): Promise<Response>;
  /** GET /sse: opens a legacy SSE session. */
  openSse(call: McpCall, messagesPath: string): Promise<Response>;
  /** POST /messages?sessionId=...: one message (or batch) for a legacy SSE session. */
  postMessage(call: McpCall, sessionId: string | null): Promise<Response>;
  /** The session a request names, if it exists and belongs to this caller. */
  sessionFor(id: string | null, principal: string): string | undefined;
  /** Session transports held (streamable and SSE): equal to the sessions once all have settled. */
  readonly transportCount: number;
  close(): Promise<void>;
}

/**
 * Idle server instances of the stateless legs, kept per services object and era, so that a request
 * reuses a server built for the same services instead of building one (11 tools, their JSON
 * Schemas, resources, prompts) per request. The SDK lets an instance serve one exchange at a time,
 * and again once that exchange's transport has closed (it refuses one still connected). What it
 * keeps on an instance between exchanges: caches derived from the registered surface, and
 * per-exchange state that each exchange sets again (the 2026-07-28 leg: the negotiated revision and
 * the client identity from the request's envelope) or that only an `initialize` sets (the 2025
 * leg: a server that answered one is never reused). The eras never share an instance.
 *
 * Keyed by the services object: a caller only ever gets a server over the services chosen for its
 * own request (per-user mode builds those per identity), and the pool of services nobody holds any
 * more goes with them.
 *
 * An instance goes back only when its exchange ended normally. If the client left or the request
 * timed out, the transport closes while the tool handler may still be running, and whatever it
 * sent later (progress, log) would go to the next exchange's transport: such an instance is
 * dropped; so is one the SDK took for a request it then refused before connecting it.
 */
class ServerPool {
  private readonly idle = {
    modern: new WeakMap<ServerDeps, McpServer[]>(),
    legacy: new WeakMap<ServerDeps, McpServer[]>(),
  };
  private closed = false;

  constructor(
    private readonly build: (deps: ServerDeps) => McpServer,
    /** Idle instances kept per services object and era: about the concurrent requests served warm. */
    private readonly maxIdle = 32,
  ) {}

  take(deps: ServerDeps, era: 'modern' | 'legacy'): McpServer {
    return this.idle[era].get(deps)?.pop() ?? this.build(deps);
  }

  /** Puts back an instance whose exchange is over (its transport closed, no handler running). */
  give(deps: ServerDeps, era: 'modern' | 'legacy', server: McpServer): void {
    if (this.closed || server.server.transport !== undefined) return;
    let free = this.idle[era].get(deps);
    if (!free) {
      free = [];
      this.idle[era].set(deps, free);
    }
    if (free.length < this.maxIdle) free.push(server);
  }

  /**
   * An instance for createMcpHandler to serve `request` with: it comes back when the exchange's
   * transport closes (the SDK chains its own hook in front of this one and restores it after).
   */
  lend(deps: ServerDeps, request: Request): McpServer {
    const server = this.take(deps, 'modern');
    const own = server.server.onclose;
    server.server.onclose = () => {
      server.server.onclose = own;
      own?.();
      if (!request.signal.aborted) this.give(deps, 'modern', server);
    };
    return server;
  }

  close(): void {
    this.closed = true;
  }
}

const isEventStream = (response: Response) =>
  response.ok && (response.headers.get('content-type') ?? '').startsWith('text/event-stream');

export function createMcpEndpoint(opts: McpEndpointOptions): McpEndpoint {
  const { sessions, logger, shared } = opts;
  const createServer = opts.createServer ?? createMcpServer;
  const sessionClient = (call: McpCall) => opts.sessionClient?.(call) ?? call.client;
  const onerror = (err: Error) => logger?.debug({ err: err.message }, 'MCP transport reported an error');

  // The modern leg's factory finds the services chosen for the request it serves, and a server
  // instance over them that no other exchange is using (see ServerPool).
  const servicesByRequest = new WeakMap<Request, ServerDeps>();
  const pool = new ServerPool(createServer);
  const factory = (rc: { requestInfo?: Request }): McpServer => {
    const deps = rc.requestInfo ? servicesByRequest.get(rc.requestInfo) : undefined;
    if (!deps || !rc.requestInfo) throw new Error('no services were prepared for this request');
    return pool.lend(deps, rc.requestInfo);
  };
  let sseHandler: McpHttpHandler | undefined;
  let jsonHandler: McpHttpHandler | undefined;
  // subscriptions/listen streams take their events from here, each from its own caller's watches.
  const bus = new ScopedEventBus();
  /** Open listen streams per client (clients.ts names them). */
  const listening = new Map<string, number>();
  const modernHandler = (request: Request): McpHttpHandler => {
    if (opts.mode === 'streamable_http' && opts.streamable && acceptsSse(request)) {
      sseHandler ??= createMcpHandler(factory, { legacy: 'reject', responseMode: 'auto', onerror, bus });
      return sseHandler;
    }
    jsonHandler ??= createMcpHandler(factory, { legacy: 'reject', responseMode: 'json', onerror, bus });
    return jsonHandler;
  };

  async function serveModern(call: McpCall): Promise<Response> {
    const deps = await opts.services(call.identity, call.request.signal);
    servicesByRequest.set(call.request, deps);
    const fetch = () =>
      modernHandler(call.request).fetch(call.request, { authInfo: call.authInfo, parsedBody: call.body });
    const uris = listenedUris(call.body);
    if (!uris?.length) return fetch();
    const id = (call.body as { id?: string | number }).id ?? null;
    // Each stream holds polling and a connection: a client gets a bounded number of them.
    const client = sessionClient(call);
    const held = listening.get(client) ?? 0;
    const max = opts.maxListenStreams ?? 10;
    if (held >= max) {
      return jsonRpcError(
        200,
        -32000,
        `This client already holds ${max} subscriptions/listen streams open (subscriptions.max_streams_per_client); close one first, or put more URIs in one stream.`,
        {},
        id,
      );
    }
    listening.set(client, held + 1);
    const free = () => {
      const n = (listening.get(client) ?? 1) - 1;
      if (n > 0) listening.set(client, n);
      else listening.delete(client);
    };
    // The URIs are checked (and watched) with this caller's identity before the stream opens.
    const scope = await openListenScope(deps, uris, call.request.signal).catch((err: unknown) => {
      free();
      throw err;
    });
    if (!('set' in scope)) {
      free();
      return jsonRpcError(200, scope.code, scope.message, {}, id);
    }
    scope.whenEnded(free);
    try {
      const response = await ScopedEventBus.run(scope, fetch);
      if (!scope.attached) scope.end();
      return response;
    } catch (err) {
      scope.end();
      throw err;
    }
  }

  /** 2025-era, `http` mode: a fresh server and transport for this request only, JSON answers. */
  async function serveLegacyStateless(call: McpCall): Promise<Response> {
    if (call.request.method !== 'POST') {
      return jsonRpcError(405, -32000, 'Method not allowed: this endpoint is stateless (POST only).', {
        Allow: 'POST',
      });
    }
    const deps = await opts.services(call.identity, call.request.signal);
    const server = pool.take(deps, 'legacy');
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    transport.onerror = onerror;
    await server.connect(transport);
    try {
      return await transport.handleRequest(call.request, { authInfo: call.authInfo, parsedBody: call.body });
    } finally {
      // A JSON answer is whole once handed back: the exchange is over, unless the request was cut
      // short. An instance that answered an initialize holds that client's identity: not reused.
      const reusable = !call.request.signal.aborted && !isInitializeRequest(call.body);
      server.close().then(
        () => reusable && pool.give(deps, 'legacy', server),
        () => undefined,
      );
    }
  }

  function sessionFor(id: string | null, principal: string): string | undefined {
    if (!id) return undefined;
    const s = sessions.get(id);
    return s && s.principal === principal ? s.id : undefined;
  }

  /** A 403 unless the request's credentials (their fingerprint) are those the session was opened with. */
  function checkIdentity(
    fingerprint: string | undefined,
    call: McpCall,
    actual = call.identity?.fingerprint,
  ) {
    if (fingerprint === undefined) return undefined;
    if (actual !== fingerprint) {
      return jsonRpcError(
        403,
        -32000,
        'The Odoo credentials of this request differ from those the session was opened with; open a new session.',
      );
    }
    return undefined;
  }

  /**
   * A session another replica opened, as Redis knows it, if this request may use it: the same
   * principal, and the same credentials by their fingerprint under the replicas' shared key (this
   * process's own fingerprints differ from the opener's).
   */
  async function sharedSession<T extends { principal: string; fingerprint?: string }>(
    call: McpCall,
    read: () => Promise<T | undefined>,
  ): Promise<T | Response> {
    if (!shared) return sessionNotFound();
    let meta: T | undefined;
    let fingerprint: string | undefined;
    try {
      meta = await read();
      fingerprint = await shared.fingerprint(call.identity);
    } catch (err) {
      return sharedStateDown(new SharedStateError('the session', err));
    }
    if (!meta || meta.principal !== call.principal) return sessionNotFound();
    return checkIdentity(meta.fingerprint, call, fingerprint) ?? meta;
  }

  /**
   * A session transport and server over `deps`: a new session (its id from initialize), or, with
   * `id`, one another replica opened, taken up here under the same id.
   */
  function sessionTransport(call: McpCall, deps: ServerDeps, id?: string) {
    const client = sessionClient(call);
    const server = createServer(deps);
    if (shared) {
      // Kept in Redis and watched by the replica that holds the session's GET stream (holdStream).
      const sid = () => transport.sessionId ?? id ?? '';
      const inRedis = <T>(step: Promise<T>) =>
        step.catch((err: unknown) => {
          throw new SharedStateError('the subscription', err);
        });
      storeSubscriptions(server, {
        add: (uri, max, mark) => inRedis(shared.subscribe(sid(), uri, max, mark)),
        remove: (uri) => inRedis(shared.unsubscribe(sid(), uri)),
      });
    }
    let opened = false;
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: id ? () => id : newSessionId,
      enableJsonResponse: !opts.streamable,
      // With replicas, a broken stream resumes (Last-Event-ID) on any of them.
      eventStore:
        shared && opts.streamable && opts.state
          ? new RedisEventStore(opts.state, () => transport.sessionId, shared.idleMs)
          : undefined,
      onsessioninitialized: async (sessionId) => {
        opened = true;
        transports.set(sessionId, transport);
        servers.set(sessionId, server);
        sessions.add({
          id: sessionId,
          kind: 'streamable',
          principal: call.principal,
          client,
          fingerprint: call.identity?.fingerprint,
          close: () => transport.close(),
          // Requests may all go to other replicas while this one holds the stream.
          stillUsed: shared
            ? async () => streams.has(sessionId) && (await shared.alive(sessionId))
            : undefined,
        });
        logger?.debug({ session: sessionId.slice(0, 8), resumed: id !== undefined }, 'MCP session opened');
        // Known to every replica before the client hears of it.
        if (shared && !id) {
          try {
            await shared.save(sessionId, {
              kind: 'streamable',
              principal: call.principal,
              client,
              fingerprint: await shared.fingerprint(call.identity),
              initialize: (call.body as { params?: unknown }).params,
            });
          } catch (err) {
            throw new SharedStateError('the new session', err);
          }
        }
      },
      // DELETE ends the session on every replica; a local close (idle here, shutdown) does not.
      onsessionclosed: shared ? (sessionId) => shared.end(sessionId).catch(() => undefined) : undefined,
    });
    transport.onerror = onerror;
    transport.onclose = () => {
      const sessionId = transport.sessionId;
      if (sessionId && transports.get(sessionId) === transport) {
        sessions.delete(sessionId);
        transports.delete(sessionId);
        servers.delete(sessionId);
        streams.delete(sessionId);
        logger?.debug({ session: sessionId.slice(0, 8) }, 'MCP session closed');
      }
      void server.close().catch(() => undefined);
    };
    return { server, transport, opened: () => opened };
  }

  /**
   * Takes up a session another replica opened: a server instance here, told who the client is by
   * its own initialize replayed (the answer is dropped), so that this replica serves it the same.
   */
  async function resumeShared(
    call: McpCall,
    sid: string,
  ): Promise<WebStandardStreamableHTTPServerTransport | Response> {
    if (!shared) return sessionNotFound();
    const meta = await sharedSession(call, () => shared.get(sid));
    if (meta instanceof Response) return meta;
    const deps = await opts.services(call.identity, call.request.signal);
    const { server, transport } = sessionTransport(call, deps, sid);
    await server.connect(transport);
    const post = async (message: Record<string, unknown>, headers: Record<string, string>) => {
      const body = { jsonrpc: '2.0', ...message };
      const request = new Request(call.request.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
        body: JSON.stringify(body),
      });
      const res = await transport.handleRequest(request, { authInfo: call.authInfo, parsedBody: body });
      await res.text();
      return res;
    };
    const init = await post({ id: 0, method: 'initialize', params: meta.initialize }, {});
    const version =
      (meta.initialize as { protocolVersion?: string } | undefined)?.protocolVersion ?? '2025-11-25';
    if (!init.ok) {
      await transport.close();
      return sessionNotFound();
    }
    await post(
      { method: 'notifications/initialized' },
      { 'mcp-session-id': sid, 'mcp-protocol-version': version },
    );
    return transport;
  }

  /** 2025-era, `streamable_http` mode: sessions. */
  async function serveLegacySession(call: McpCall): Promise<Response> {
    const sid = call.request.headers.get('mcp-session-id');
    if (sid) {
      const entry = sessions.get(sid);
      let transport = entry ? transports.get(sid) : undefined;
      if (entry) {
        if (entry.kind !== 'streamable' || entry.principal !== call.principal) return sessionNotFound();
        const denied = checkIdentity(entry.fingerprint, call);
        if (denied) return denied;
        sessions.touch(sid);
      } else {
        const resumed = await resumeShared(call, sid);
        if (resumed instanceof Response) return resumed;
        transport = resumed;
      }
      if (!transport) return sessionNotFound();
      if (shared && call.request.method !== 'DELETE') {
        shared.touch(sid).catch((err: unknown) => {
          logger?.warn(
            { err: err instanceof Error ? err.message : String(err) },
            'session expiry not renewed in Redis',
          );
        });
      }
      const response = await transport.handleRequest(call.request, {
        authInfo: call.authInfo,
        parsedBody: call.body,
      });
      // The session's own GET stream (not the replay of a request's stream) carries its updates.
      const replayOf = call.request.headers.get('last-event-id');
      if (
        shared &&
        call.request.method === 'GET' &&
        isEventStream(response) &&
        (!replayOf || replayOf.startsWith(`${STANDALONE_STREAM}_`))
      )
        return holdStream(sid, call.request.signal, response);
      return response;
    }
    if (call.request.method !== 'POST') {
      return jsonRpcError(
        400,
        -32000,
        `Bad Request: ${call.request.method} /mcp acts on a session: send the Mcp-Session-Id header that initialize answered with.`,
      );
    }
    // A request outside any session (a curl one-off) is served on its own, as in `http` mode.
    if (!isInitializeRequest(call.body)) return serveLegacyStateless(call);
    // No "too many sessions" refusal: the store makes room fairly (sessions.ts).
    const deps = await opts.services(call.identity, call.request.signal);
    const { server, transport, opened } = sessionTransport(call, deps);
    await server.connect(transport);
    let response: Response;
    try {
      response = await transport.handleRequest(call.request, {
        authInfo: call.authInfo,
        parsedBody: call.body,
      });
    } catch (err) {
      void transport.close().catch(() => undefined);
      if (err instanceof SharedStateError) return sharedStateDown(err);
      throw err;
    }
    // An initialize that failed leaves no session behind.
    if (!opened()) void transport.close().catch(() => undefined);
    return response;
  }
  const transports = new Map<string, WebStandardStreamableHTTPServerTransport>();
  const servers = new Map<string, McpServer>();
  /** Sessions whose GET stream this replica holds: it watches their subscriptions (in Redis). */
  const streams = new Map<string, { sync(): void }>();

  /**
   * This replica holds the session's GET stream: it watches the session's subscriptions (kept in
   * Redis, read again every poll interval in case an announcement was missed) until the stream
   * ends, by the client leaving or by the server ending it. The response is passed through so that
   * its end is seen.
   */
  function holdStream(sid: string, signal: AbortSignal, response: Response): Response {
    const server = servers.get(sid);
    if (!shared || !server || !response.body || signal.aborted) return response;
    const held = {
      sync: () => {
        shared
          .subscriptions(sid)
          .then((uris) => (streams.get(sid) === held ? syncSubscriptions(server, uris) : undefined))
          .catch((err: unknown) =>
            logger?.warn(
              { err: err instanceof Error ? err.message : String(err) },
              'session subscriptions not read from Redis',
            ),
          );
      },
    };
    streams.set(sid, held);
    held.sync();
    shared.announceStream(sid).catch(() => undefined);
    const resync = setInterval(held.sync, opts.resyncMs ?? 5000);
    resync.unref();
    // The stream is gone: the subscriptions stay in Redis for the replica the client reconnects to.
    const release = () => {
      clearInterval(resync);
      if (streams.get(sid) !== held) return;
      streams.delete(sid);
      void syncSubscriptions(server, new Map());
    };
    signal.addEventListener('abort', release, { once: true });
    const body = response.body.pipeThrough(new TransformStream({ flush: release }));
    return new Response(body, { status: response.status, headers: response.headers });
  }
  // A client opens a new GET stream where its old one broke; a replica that still holds the old
  // one (its end not yet noticed, the connection half open) closes it rather than watch twice.
  /** What other replicas announce through Redis, heard from start; a failure goes to the log. */
  const hear = (what: string, subscribed: Promise<void> | undefined): void => {
    subscribed?.catch((err: unknown) =>
      logger?.warn(
        { err: err instanceof Error ? err.message : String(err) },
        `cannot hear ${what} from Redis`,
      ),
    );
  };
  hear(
    'stream moves',
    shared?.onStream((id, replica) => {
      if (replica !== shared.replica && streams.has(id)) transports.get(id)?.closeStandaloneSSEStream();
    }),
  );
  hear(
    'subscription changes',
    shared?.onSubscriptions((id) => streams.get(id)?.sync()),
  );
  // A session deleted through another replica ends here too.
  hear(
    'session ends',
    shared?.onEnded(
      (id) =>
        void transports
          .get(id)
          ?.close()
          .catch(() => undefined),
    ),
  );
  const sseTransports = new Map<string, SseServerTransport>();

  /** A message another replica took for a legacy SSE session whose stream is here. */
  function deliverForwarded(message: ForwardedMessage): void {
    const transport = sseTransports.get(message.id);
    if (!transport) return;
    sessions.touch(message.id);
    try {
      transport.deliver(message.body, {
        authInfo: message.authInfo ? { token: '', ...message.authInfo } : undefined,
      });
    } catch (err) {
      logger?.debug({ err: err instanceof Error ? err.message : String(err) }, 'forwarded message refused');
    }
  }

  /** POST /messages for a legacy SSE session another replica holds: checked here, handed over. */
  async function forwardSse(call: McpCall, id: string): Promise<Response> {
    if (!shared) return sessionNotFound();
    const meta = await sharedSession(call, () => shared.getSse(id));
    if (meta instanceof Response) return meta;
    const refused = notJson(call);
    if (refused) return refused;
    try {
      batchOf(call.body);
    } catch (err) {
      return invalidBatch(err);
    }
    const auth = call.authInfo;
    let heard: boolean;
    try {
      heard = await shared.forwardSse(meta.owner, {
        id,
        body: call.body,
        // The token itself stays here: the owner needs only who the client is.
        authInfo: auth
          ? { clientId: auth.clientId, scopes: auth.scopes, expiresAt: auth.expiresAt, extra: auth.extra }
          : undefined,
      });
    } catch (err) {
      return sharedStateDown(new SharedStateError('the session', err));
    }
    // The replica holding the stream is gone, and the stream with it.
    if (!heard) return sessionNotFound();
    return accepted();
  }

  return {
    sessionFor,

    async handleMcp(call) {
      // MCP removed JSON-RPC batching in 2025-06-18 (a POST carries one message): a batch is refused
      // whole, as on stdio, rather than run past the per-message screening and limits.
      if (call.request.method === 'POST' && Array.isArray(call.body)) {
        return jsonRpcError(
          400,
          -32600,
          'Invalid Request: batches are not supported (MCP removed JSON-RPC batching in 2025-06-18); send one JSON-RPC message per POST.',
        );
      }
      const legacy = await isLegacyRequest(call.request, call.body);
      if (!legacy) return serveModern(call);
      return opts.mode === 'http' ? serveLegacyStateless(call) : serveLegacySession(call);
    },

    get transportCount() {
      return transports.size + sseTransports.size;
    },

    async openSse(call, messagesPath) {
      const deps = await opts.services(call.identity, call.request.signal);
      const id = newSessionId();
      // With replicas, the stream stays here and its POSTs may reach any replica, which hand them
      // over through Redis: known there before the client learns where to POST.
      if (shared) {
        try {
          await shared.onForwardedSse(deliverForwarded);
          await shared.saveSse(id, {
            principal: call.principal,
            fingerprint: await shared.fingerprint(call.identity),
            owner: shared.replica,
          });
        } catch (err) {
          return sharedStateDown(new SharedStateError('the new session', err));
        }
      }
      const transport = new SseServerTransport(id, `${messagesPath}?sessionId=${encodeURIComponent(id)}`);
      const server = createServer(deps);
      transport.onerror = onerror;
      transport.onclose = () => {
        sessions.delete(id);
        sseTransports.delete(id);
        shared?.endSse(id).catch(() => undefined);
        void server.close().catch(() => undefined);
        logger?.debug({ session: id.slice(0, 8) }, 'Legacy SSE session closed');
      };
      sseTransports.set(id, transport);
      sessions.add({
        id,
        kind: 'sse',
        principal: call.principal,
        client: sessionClient(call),
        fingerprint: call.identity?.fingerprint,
        close: () => transport.close(),
      });
      await server.connect(transport);
      logger?.debug({ session: id.slice(0, 8) }, 'Legacy SSE session opened');
      return new Response(transport.stream, {
        status: 200,
        headers: {
          'Content-Type': 'text/event-stream',
          'Cache-Control': 'no-cache, no-transform',
          Connection: 'keep-alive',
        },
      });
    },

    async postMessage(call, sessionId) {
      if (!sessionId)
        return jsonRpcError(400, -32000, 'Bad Request: the sessionId query parameter is required');
      const entry = sessions.get(sessionId);
      const transport = sseTransports.get(sessionId);
      if (!entry || !transport) return shared ? forwardSse(call, sessionId) : sessionNotFound();
      if (entry.kind !== 'sse' || entry.principal !== call.principal) return sessionNotFound();
      const refused = checkIdentity(entry.fingerprint, call) ?? notJson(call);
      if (refused) return refused;
      sessions.touch(sessionId);
      shared?.touchSse(sessionId).catch(() => undefined);
      try {
        transport.deliver(call.body, { request: call.request, authInfo: call.authInfo });
      } catch (err) {
        return invalidBatch(err);
      }
      return accepted();
    },

    async close() {
      pool.close();
      await sessions.closeAll();
      await Promise.all([sseHandler?.close(), jsonHandler?.close()]);
    },
  };
}
