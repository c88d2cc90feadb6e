// The emulator's HTTP server: routes requests to the protocol front ends, stages the configured
// faults, keeps a log of what reached "Odoo", and can be stopped and restarted on the same port
// with its data intact (a server restart as clients see it).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createFaults,
  type FaultConfig,
  type FaultController,
  type FaultKind,
  proxyErrorPage,
} from './faults.js';
import type { Orm } from './orm/api.js';
import { createOrm } from './orm/index.js';
import type { OdooVersion } from './orm/types.js';
import {
  type CallNote,
  type FrontContext,
  HTML_TYPE,
  mimetype,
  type WireRequest,
  type WireResponse,
  websiteNotFound,
  werkzeugPage,
} from './protocols/http.js';
import { handleJson2 } from './protocols/json2.js';
import {
  handleJsonRoute,
  JSONRPC_ROUTE,
  type JsonRoute,
  jsonRequestNotFound,
  jsonRpcRequestId,
  sessionExpired,
  VERSION_INFO_ROUTE,
} from './protocols/jsonrpc.js';
import { handleWeb } from './protocols/web.js';
import { handleXmlRpc } from './protocols/xmlrpc.js';
import { type VersionProfile, versionProfile } from './version.js';

export interface EmulatorOptions {
  /** The Odoo version to answer as (default '19.0'). */
  odooVersion?: OdooVersion;
  /** TCP port; 0 (default) picks a free one, kept across restarts. */
  port?: number;
  host?: string;
  /** Shorthand for faults.latencyMs. */
  latencyMs?: number;
  faults?: Partial<FaultConfig>;
  /** Database name (default: the one the corpus of that version was recorded on). */
  database?: string;
  logger?: { info(msg: string): void };
  /** Serve this ORM instead of the seeded one (tests of the wire alone). */
  orm?: Orm;
  /** Random source for probabilistic faults. */
  random?: () => number;
  /** Entries the request log keeps, oldest dropped first (default 10000), so a long demo run stays small. */
  logLimit?: number;
}

export interface RequestLogEntry {
  seq: number;
  /** Epoch milliseconds at arrival. */
  at: number;
  method: string;
  path: string;
  protocol: CallNote['protocol'];
  /** XML-RPC / JSON-RPC service ('common', 'object', 'db'). */
  service?: string;
  /** The RPC method: execute_kw, authenticate, version... */
  rpcMethod?: string;
  model?: string;
  modelMethod?: string;
  status: number;
  /** False when a staged fault answered instead of Odoo. */
  reachedOdoo: boolean;
  fault?: FaultKind;
  /** No route of the emulated Odoo matched (the 404 page or a 405). */
  unexpected: boolean;
}

export interface RequestLog {
  /** The most recent requests (at most `logLimit`), oldest first. */
  readonly entries: readonly RequestLogEntry[];
  /** Requests seen since start or the last clear(), including those dropped from `entries`. */
  readonly total: number;
  /** How many requests match (all of them without a filter). */
  count(filter?: Partial<RequestLogEntry> | ((e: RequestLogEntry) => boolean)): number;
  /** Requests that matched no route of the emulated Odoo. */
  unexpected(): RequestLogEntry[];
  /** Throws when any request matched no route (for tests that fail on unexpected traffic). */
  assertNoUnexpected(): void;
  clear(): void;
}

export interface Emulator {
  url: string;
  port: number;
  version: OdooVersion;
  database: string;
  orm: Orm;
  faults: FaultController;
  log: RequestLog;
  /** Seed data back, log emptied, faults as configured at start. */
  reset(): void;
  /** Stop then listen again on the same port; the data is kept. */
  restart(): Promise<void>;
  /** Stop listening and cut open connections: clients get "connection refused" until restart(). */
  stop(): Promise<void>;
  /** Stop for good. */
  close(): Promise<void>;
}

function matches(e: RequestLogEntry, filter: Partial<RequestLogEntry>): boolean {
  return Object.entries(filter).every(([k, v]) => (e as unknown as Record<string, unknown>)[k] === v);
}

function createLog(limit: number): RequestLog & { add(e: Omit<RequestLogEntry, 'seq'>): void } {
  const entries: RequestLogEntry[] = [];
  let seq = 0;
  return {
    entries,
    get total() {
      return seq;
    },
    add(e) {
      entries.push({ seq: ++seq, ...e });
      if (entries.length > limit) entries.splice(0, entries.length - limit);
    },
    count(filter) {
      if (!filter) return entries.length;
      return entries.filter((e) => (typeof filter === 'function' ? filter(e) : matches(e, filter))).length;
    },
    unexpected: () => entries.filter((e) => e.unexpected),
    assertNoUnexpected() {
      const bad = entries.filter((e) => e.unexpected);
      if (bad.length) {
        const list = bad.map((e) => `${e.method} ${e.path} -> ${e.status}`).join(', ');
        throw new Error(`the Odoo emulator got ${bad.length} unexpected request(s): ${list}`);
      }
    },
    clear() {
      entries.length = 0;
      seq = 0;
    },
  };
}

const XMLRPC2 = /^\/xmlrpc\/2\/([^/]+)$/;
const XMLRPC_LEGACY = /^\/xmlrpc\/([^/]+)$/;
const JSON2 = /^\/json\/2\/([^/]+)\/([^/]+)$/;

function jsonRouteFor(path: string): JsonRoute | undefined {
  if (path === '/jsonrpc') return JSONRPC_ROUTE;
  if (path === '/web/webclient/version_info') return VERSION_INFO_ROUTE;
  return undefined;
}

function route(ctx: FrontContext, req: WireRequest): WireResponse {
  const { path } = req;
  const jsonRoute = jsonRouteFor(path);
  if (jsonRoute) return handleJsonRoute(ctx, req, jsonRoute);
  let m = XMLRPC2.exec(path);
  if (m) return handleXmlRpc(ctx, req, decodeURIComponent(m[1] ?? ''), false);
  m = XMLRPC_LEGACY.exec(path);
  if (m) return handleXmlRpc(ctx, req, decodeURIComponent(m[1] ?? ''), true);
  if (ctx.profile.json2) {
    m = JSON2.exec(path);
    if (m) return handleJson2(ctx, req, decodeURIComponent(m[1] ?? ''), decodeURIComponent(m[2] ?? ''));
  }
  const web = handleWeb(ctx, req);
  if (web) return web;
  ctx.note.unexpected = true;
  const type = mimetype(req);
  if (ctx.profile.jsonRequestByMimetype && (type === 'application/json' || type === 'application/json-rpc')) {
    return jsonRequestNotFound(ctx, req);
  }
  return websiteNotFound(ctx.profile);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const INTERNAL_ERROR =
  'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.';

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const version = opts.odooVersion ?? '19.0';
  const profile: VersionProfile = versionProfile(version);
  const database = opts.orm?.database ?? opts.database ?? profile.defaultDatabase;
  const orm = opts.orm ?? createOrm({ version, database });
  const faults = createFaults(
    { ...opts.faults, ...(opts.latencyMs !== undefined ? { latencyMs: opts.latencyMs } : {}) },
    opts.random,
  );
  const log = createLog(Math.max(1, opts.logLimit ?? 10_000));
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = opts.port ?? 0;
  let closed = false;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const at = Date.now();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const wire: WireRequest = {
      method: req.method ?? 'GET',
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      headers: req.headers,
      body: await readBody(req),
    };
    const note: CallNote = { protocol: 'none' };
    const ctx: FrontContext = { profile, orm, note };
    const { latencyMs } = faults.get();
    if (latencyMs > 0) await sleep(latencyMs);

    let response: WireResponse | undefined;
    let fault: FaultKind | undefined;
    const httpError = faults.draw('httpError');
    const htmlPage = httpError ? undefined : faults.draw('htmlErrorPage');
    if (httpError) {
      fault = 'httpError';
      response = {
        status: httpError.status,
        headers: { 'content-type': 'text/html' },
        body: proxyErrorPage(httpError.status),
      };
      if (httpError.retryAfterSeconds !== undefined) {
        response.headers['retry-after'] = String(httpError.retryAfterSeconds);
      }
    } else if (htmlPage) {
      fault = 'htmlErrorPage';
      response = {
        status: htmlPage.status ?? 500,
        headers: { 'content-type': HTML_TYPE },
        body: werkzeugPage(500, 'Internal Server Error', INTERNAL_ERROR),
      };
    } else if (jsonRouteFor(wire.path) && faults.draw('sessionExpired')) {
      fault = 'sessionExpired';
      response = sessionExpired(ctx, jsonRpcRequestId(wire.body));
    }
    const reachedOdoo = response === undefined;
    if (!response) {
      try {
        response = route(ctx, wire);
      } catch (err) {
        // A bug of the emulator: werkzeug's 500 page, as Odoo gives for an error outside dispatch.
        response = {
          status: 500,
          headers: { 'content-type': HTML_TYPE },
          body: werkzeugPage(500, 'Internal Server Error', err instanceof Error ? err.message : String(err)),
        };
      }
    }
    const reset = reachedOdoo ? faults.draw('resetMidBody') : undefined;
    const slow = reachedOdoo && !reset ? faults.draw('slowBody') : undefined;
    if (reset) fault = 'resetMidBody';
    else if (slow) fault = 'slowBody';

    log.add({
      at,
      method: wire.method,
      path: wire.path,
      protocol: note.protocol,
      ...(note.service !== undefined ? { service: note.service } : {}),
      ...(note.method !== undefined ? { rpcMethod: note.method } : {}),
      ...(note.model !== undefined ? { model: note.model } : {}),
      ...(note.modelMethod !== undefined ? { modelMethod: note.modelMethod } : {}),
      status: response.status,
      reachedOdoo,
      ...(fault ? { fault } : {}),
      unexpected: note.unexpected === true || response.status === 405,
    });

    const body = Buffer.from(response.body, 'utf8');
    res.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) });
    if (reset) {
      // Content-Length promises the whole body, so the client sees the cut as an error.
      const cut = Math.max(0, Math.min(reset.afterBytes ?? Math.floor(body.length / 2), body.length - 1));
      res.write(body.subarray(0, cut), () => res.socket?.destroy());
      return;
    }
    if (slow) {
      const size = Math.max(1, slow.chunkBytes ?? 256);
      const delay = slow.delayMs ?? 100;
      for (let i = 0; i < body.length; i += size) {
        if (res.destroyed) return;
        res.write(body.subarray(i, i + size));
        if (i + size < body.length) await sleep(delay);
      }
      res.end();
      return;
    }
    res.end(body);
  };

  const listen = async (): Promise<void> => {
    const s = createServer((req, res) => {
      handle(req, res).catch(() => res.destroy());
    });
    s.on('connection', (sock: Socket) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, host, () => {
        s.off('error', reject);
        resolve();
      });
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  };

  const stop = async (): Promise<void> => {
    const s = server;
    if (!s) return;
    server = undefined;
    const done = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const sock of sockets) sock.destroy();
    sockets.clear();
    await done;
  };

  await listen();
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  opts.logger?.info(
    `Odoo emulator (not Odoo) answering as Odoo ${version} on ${url}, database '${orm.database}'`,
  );

  return {
    url,
    port,
    version,
    database: orm.database,
    orm,
    faults,
    log,
    reset() {
      orm.reset();
      log.clear();
      faults.restoreInitial();
    },
    async restart() {
      if (closed) throw new Error('the Odoo emulator was closed; start a new one');
      await stop();
      await listen();
    },
    stop,
    async close() {
      closed = true;
      await stop();
    },
  };
}
