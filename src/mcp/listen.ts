// subscriptions/listen (the 2026-07-28 era): the SDK serves the stream (acknowledgement first, the
// filter, subscription-id stamping, teardown) and takes its change events from a ServerEventBus.
// Each stream's resource URIs are checked and watched with the caller's own Odoo identity before
// the SDK sees the request, and its events reach that stream only: a bus shared by every caller
// would tell one user about a change that another user's poll found.
import { AsyncLocalStorage } from 'node:async_hooks';
import { ProtocolError, type ServerEvent, type ServerEventBus } from '@modelcontextprotocol/server';
import { type SubscriptionDeps, SubscriptionSet } from './subscriptions.js';

type Listener = (event: ServerEvent) => void;

/** One listen stream: the URIs it watches and the SDK listener that writes to it. */
export class ListenScope {
  readonly set: SubscriptionSet;
  private listener: Listener | undefined;
  private attachedOnce = false;
  private readonly early = new Set<string>();
  private ended = false;
  private readonly onEnd: Array<() => void> = [];

  constructor(deps: SubscriptionDeps) {
    this.set = new SubscriptionSet(deps, (uri) => {
      if (this.listener) this.listener({ kind: 'resource_updated', uri });
      // A change found before the SDK opened the stream is told as soon as it does.
      else if (!this.ended) this.early.add(uri);
    });
  }

  /** Whether the SDK opened the stream (it does not when it refuses the request). */
  get attached(): boolean {
    return this.attachedOnce;
  }

  attach(listener: Listener): () => void {
    this.listener = listener;
    this.attachedOnce = true;
    const early = [...this.early];
    this.early.clear();
    // After the acknowledgement the SDK writes first, as the spec orders them.
    if (early.length > 0) {
      queueMicrotask(() => {
        for (const uri of early) this.listener?.({ kind: 'resource_updated', uri });
      });
    }
    return () => {
      if (this.listener === listener) this.listener = undefined;
      this.end();
    };
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.listener = undefined;
    this.set.close();
    for (const fn of this.onEnd.splice(0)) fn();
  }

  /** Runs `fn` once the stream ends (at once if it has). */
  whenEnded(fn: () => void): void {
    if (this.ended) fn();
    else this.onEnd.push(fn);
  }
}

const current = new AsyncLocalStorage<ListenScope>();

/** The bus behind createMcpHandler: a stream opened while a scope is current belongs to it. */
export class ScopedEventBus implements ServerEventBus {
  private readonly unscoped = new Set<Listener>();

  /** Runs `fn` (the handler's fetch of a listen request) with `scope` as the stream's owner. */
  static run<T>(scope: ListenScope, fn: () => T): T {
    return current.run(scope, fn);
  }

  publish(event: ServerEvent): void {
    for (const l of [...this.unscoped]) l(event);
  }

  subscribe(listener: Listener): () => void {
    const scope = current.getStore();
    if (scope) return scope.attach(listener);
    this.unscoped.add(listener);
    return () => this.unscoped.delete(listener);
  }
}

/** The resource URIs a subscriptions/listen request asks for, or undefined for another message. */
export function listenedUris(body: unknown): string[] | undefined {
  const m = body as { method?: unknown; params?: { notifications?: { resourceSubscriptions?: unknown } } };
  if (m?.method !== 'subscriptions/listen') return undefined;
  const uris = m.params?.notifications?.resourceSubscriptions;
  return Array.isArray(uris) ? uris.filter((u): u is string => typeof u === 'string') : [];
}

/**
 * A scope watching `uris` for one listen stream, or the error to answer instead: every URI must be
 * one this caller can watch (the acknowledgement then lists exactly what is watched).
 */
export async function openListenScope(
  deps: SubscriptionDeps,
  uris: string[],
  signal?: AbortSignal,
): Promise<ListenScope | { code: number; message: string }> {
  const scope = new ListenScope(deps);
  try {
    for (const uri of new Set(uris)) await scope.set.add(uri, signal);
    return scope;
  } catch (err) {
    scope.end();
    const code = err instanceof ProtocolError && typeof err.code === 'number' ? err.code : -32603;
    const message = err instanceof Error ? err.message : String(err);
    return { code, message };
  }
}
