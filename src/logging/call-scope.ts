// What the request being served asked to hear, reachable from the Odoo client without threading it
// through every service: where log lines for the person at the client go (MCP logging), where
// progress goes, and the signal that says the client gave up. Outside a request nothing is set.
import { AsyncLocalStorage } from 'node:async_hooks';

/** MCP's log levels (RFC 5424), least severe first. */
export const CLIENT_LOG_LEVELS = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
] as const;
export type ClientLogLevel = (typeof CLIENT_LOG_LEVELS)[number];

export interface CallScope {
  /** A line for the client's log; the scope drops what is below the level the client asked. */
  log?(level: ClientLogLevel, message: string): void;
  /** One more Odoo request of this call finished. */
  step?(what: string): void;
  /** Aborted when the client cancelled the request or went away. */
  signal?: AbortSignal;
}

const storage = new AsyncLocalStorage<CallScope>();

export function runInScope<T>(scope: CallScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentScope(): CallScope | undefined {
  return storage.getStore();
}
