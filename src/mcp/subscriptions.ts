// Resource subscriptions on the MCP side: which odoo:// URIs can be watched and how, the set a
// session or a listen stream holds, and the 2025-era resources/subscribe and unsubscribe handlers.
// The watching itself (polling Odoo) is services/subscriptions.ts.
import { type McpServer, ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import type { ChangeWatcher, WatchTarget } from '../services/subscriptions.js';
import type { ToolDeps } from './define-tool.js';
import { sessionLog } from './logging.js';
import { resourceError } from './resources/index.js';

export interface SubscriptionDeps extends ToolDeps {
  watcher: ChangeWatcher;
  /** Most URIs one session or listen stream may watch (subscriptions.max_per_session). */
  maxSubscriptions: number;
}

const SUBSCRIBABLE =
  'odoo://MODEL/ID (a record), odoo://MODEL/binary/FIELD/ID (its file), odoo://MODEL/list?domain=... (a list) or odoo://MODEL/fields (its schema)';

const invalid = (message: string) => new ProtocolError(ProtocolErrorCode.InvalidParams, message);

/** What a resource URI watches, or an error that says which URIs can be subscribed to. */
export function targetOf(uri: string): WatchTarget {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw invalid(`"${uri}" is not a URI; subscribe to ${SUBSCRIBABLE}`);
  }
  const model = url.hostname;
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (url.protocol !== 'odoo:' || !model)
    throw invalid(`"${uri}" is not an odoo:// URI; subscribe to ${SUBSCRIBABLE}`);
  if (model === 'instance') {
    throw invalid(`${uri} does not change while the server runs; subscribe to ${SUBSCRIBABLE}`);
  }
  const id = (raw: string | undefined) => {
    if (!raw || !/^\d+$/.test(raw) || Number(raw) < 1) {
      throw invalid(
        `"${raw ?? ''}" in ${uri} is not a record id; use odoo://MODEL/ID, e.g. odoo://res.partner/7`,
      );
    }
    return Number(raw);
  };
  if (parts.length === 1 && parts[0] === 'fields') return { kind: 'fields', model };
  if (parts.length === 1 && parts[0] === 'list') {
    const q = url.searchParams;
    let domain: unknown[] = [];
    const raw = q.get('domain');
    if (raw) {
      try {
        domain = JSON.parse(raw) as unknown[];
      } catch {
        throw invalid(
          `domain in ${uri} is not valid JSON; pass a JSON list such as [["is_company","=",true]]`,
        );
      }
      if (!Array.isArray(domain)) throw invalid(`domain in ${uri} must be a JSON list of conditions`);
    }
    const num = (name: string) => {
      const v = q.get(name);
      if (v === null || v === '') return undefined;
      if (!/^\d+$/.test(v)) throw invalid(`${name} in ${uri} must be a whole number, got "${v}"`);
      return Number(v);
    };
    return {
      kind: 'list',
      model,
      domain,
      limit: num('limit'),
      offset: num('offset'),
      order: q.get('order') || undefined,
    };
  }
  if (parts.length === 1) return { kind: 'record', model, id: id(parts[0]) };
  if (parts.length === 3 && parts[0] === 'binary')
    return { kind: 'record', model, id: id(parts[2]), binary: parts[1] };
  throw invalid(`${uri} is not a resource of this server; subscribe to ${SUBSCRIBABLE}`);
}

/** Refuses one more subscription when subscriptions are off or the session holds `max`. */
function assertRoom(max: number, held: number): void {
  if (max === 0) {
    throw new ProtocolError(
      ProtocolErrorCode.InvalidRequest,
      'Resource subscriptions are turned off on this server (subscriptions.max_per_session is 0); read the resource again when you need fresh values.',
    );
  }
  if (held >= max) throw sessionFull(max);
}

const sessionFull = (max: number) =>
  new ProtocolError(
    ProtocolErrorCode.InvalidRequest,
    `This session already watches ${max} resources (subscriptions.max_per_session); unsubscribe from one first, or subscribe to a list (odoo://MODEL/list?domain=...) that covers several records.`,
  );

/**
 * The URIs one session (or one listen stream) watches. Each URI is watched once however often it
 * is subscribed; `notify` runs with the URI after a poll found it changed.
 */
export class SubscriptionSet {
  private readonly held = new Map<string, { drop: Promise<() => void> }>();
  /** URIs sync() could not watch, already told about. */
  private readonly failing = new Set<string>();
  private closed = false;

  constructor(
    private readonly deps: SubscriptionDeps,
    private readonly notify: (uri: string) => void,
  ) {}

  get size(): number {
    return this.held.size;
  }

  has(uri: string): boolean {
    return this.held.has(uri);
  }

  /**
   * Watches `uri`; subscribing again to a watched URI changes nothing (one unsubscribe ends it).
   * `since`: the mark the URI had when it was subscribed to, on another replica.
   */
  async add(uri: string, signal?: AbortSignal, since?: string): Promise<void> {
    if (this.closed) throw new ProtocolError(ProtocolErrorCode.InvalidRequest, 'the session is closing');
    const existing = this.held.get(uri);
    if (existing) {
      await existing.drop;
      return;
    }
    assertRoom(this.deps.maxSubscriptions, this.held.size);
    const target = targetOf(uri);
    const drop = this.deps.watcher.watch(target, () => this.notify(uri), signal, since);
    const entry = { drop };
    this.held.set(uri, entry);
    try {
      const undo = await drop;
      // Closed or unsubscribed while Odoo was asked: nothing may stay watched.
      if (this.closed || this.held.get(uri) !== entry) undo();
    } catch (err) {
      if (this.held.get(uri) === entry) this.held.delete(uri);
      throw await resourceError(err, uri, target.model, this.deps);
    }
  }

  /** Stops watching `uri`; false when it was not watched. */
  remove(uri: string): boolean {
    const entry = this.held.get(uri);
    if (!entry) return false;
    this.held.delete(uri);
    entry.drop.then(
      (undo) => undo(),
      () => undefined,
    );
    return true;
  }

  /**
   * Watches exactly the URIs of `wanted`, each from the mark it had when subscribed to (a replica
   * taking up a session's stream): a change since then is reported at once. A URI that can no longer be
   * watched (its record deleted meanwhile, say) is reported as updated, so that the client reads
   * it again and learns why, and `failed` hears the reason.
   */
  async sync(
    wanted: ReadonlyMap<string, string>,
    failed: (uri: string, err: unknown) => void,
  ): Promise<void> {
    for (const uri of [...this.held.keys()]) if (!wanted.has(uri)) this.remove(uri);
    for (const uri of this.failing) if (!wanted.has(uri)) this.failing.delete(uri);
    await Promise.all(
      [...wanted].map(([uri, since]) =>
        this.add(uri, undefined, since).then(
          () => this.failing.delete(uri),
          (err: unknown) => {
            // Told once; tried again at each sync (the cause may pass, as Odoo being down does).
            if (this.failing.has(uri)) return;
            this.failing.add(uri);
            failed(uri, err);
            this.notify(uri);
          },
        ),
      ),
    );
  }

  close(): void {
    this.closed = true;
    for (const uri of [...this.held.keys()]) this.remove(uri);
  }
}

/**
 * Where a session's subscribed URIs are kept when any of several replicas may serve its requests
 * (state.redis_url); the replica that holds the session's GET stream watches them (syncSubscriptions).
 */
export interface SubscriptionStore {
  /** `mark`: what the URI showed when checked (ChangeWatcher.check), for the replica watching it. */
  add(uri: string, max: number, mark: string): Promise<'added' | 'held' | 'full'>;
  remove(uri: string): Promise<void>;
}

const stores = new WeakMap<McpServer, SubscriptionStore>();
const setsOf = new WeakMap<McpServer, () => SubscriptionSet>();

/** resources/subscribe on this instance records the URI in `store` instead of watching it here. */
export function storeSubscriptions(server: McpServer, store: SubscriptionStore): void {
  stores.set(server, store);
}

/** Makes this instance watch exactly `wanted` (URI to mark), and send their updates to its session. */
export async function syncSubscriptions(
  server: McpServer,
  wanted: ReadonlyMap<string, string>,
): Promise<void> {
  await setsOf
    .get(server)?.()
    .sync(wanted, (uri, err) => {
      sessionLog(
        server,
        'warning',
        `${uri} cannot be watched now (${err instanceof Error ? err.message : String(err)}); read it again to see why. It is tried again every poll interval while subscribed.`,
      );
    });
}

/**
 * resources/subscribe and resources/unsubscribe (the 2025-11-25 era) on one server instance: a
 * session's, or a stdio connection's. Subscriptions end when the instance closes.
 */
export function registerSubscriptions(server: McpServer, deps: SubscriptionDeps): void {
  server.server.registerCapabilities({ resources: { subscribe: true } });
  let set: SubscriptionSet | undefined;
  let unhear: (() => void) | undefined;
  const subscriptions = () => {
    if (!set) {
      set = new SubscriptionSet(deps, (uri) => {
        server.server.sendResourceUpdated({ uri }).catch((err: unknown) => {
          deps.logger?.debug(
            { err: err instanceof Error ? err.message : String(err) },
            'resource update not sent',
          );
        });
      });
      // Polling trouble goes to the session's MCP log too, at the level it asked for.
      unhear = deps.watcher.onTrouble((level, message) => sessionLog(server, level, message, deps.redact));
    }
    return set;
  };
  setsOf.set(server, subscriptions);
  const previous = server.server.onclose;
  server.server.onclose = () => {
    set?.close();
    set = undefined;
    unhear?.();
    previous?.();
  };
  server.server.setRequestHandler('resources/subscribe', async (request, ctx) => {
    if (ctx.http !== undefined && !ctx.sessionId) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        'resources/subscribe needs a session to deliver updates on: open one with initialize on the streamable HTTP endpoint (streamable_http mode) and keep its GET stream open, or use subscriptions/listen (protocol 2026-07-28).',
      );
    }
    const store = stores.get(server);
    if (store) await storeSubscription(store, request.params.uri, deps, ctx.mcpReq.signal);
    else await subscriptions().add(request.params.uri, ctx.mcpReq.signal);
    return {};
  });
  server.server.setRequestHandler('resources/unsubscribe', async (request) => {
    await stores.get(server)?.remove(request.params.uri);
    set?.remove(request.params.uri);
    return {};
  });
}

/**
 * Checks that `uri` can be watched, with this caller's Odoo identity and now (as a local
 * subscription does), then records it for the replica that holds the session's stream.
 */
async function storeSubscription(
  store: SubscriptionStore,
  uri: string,
  deps: SubscriptionDeps,
  signal: AbortSignal,
): Promise<void> {
  // Off is told before Odoo is asked; the cap itself is kept by the store, for all replicas.
  assertRoom(deps.maxSubscriptions, 0);
  const target = targetOf(uri);
  let mark: string;
  try {
    mark = await deps.watcher.check(target, signal);
  } catch (err) {
    throw await resourceError(err, uri, target.model, deps);
  }
  if ((await store.add(uri, deps.maxSubscriptions, mark)) === 'full')
    throw sessionFull(deps.maxSubscriptions);
}
