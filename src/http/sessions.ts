// The live MCP sessions of the HTTP front (2025-era streamable HTTP sessions and legacy SSE
// connections). Each has its own server instance and, in per-user mode, its own Odoo identity; it
// ends on DELETE, when its stream closes, on shutdown, or after `idleMs` without a request.
import { randomBytes } from 'node:crypto';

export interface SessionEntry {
  readonly id: string;
  readonly kind: 'streamable' | 'sse';
  /** Who opened it (the authenticated client); other clients cannot use it. */
  readonly principal: string;
  /** Fingerprint of the per-user Odoo credentials it was opened with. */
  readonly fingerprint?: string;
  /** Closes the transport and server; the store forgets the session through `delete`. */
  close(): Promise<void>;
}

/** A session id: 256 random bits, URL-safe (visible ASCII, as the spec asks). */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

export class SessionStore {
  private readonly entries = new Map<string, { entry: SessionEntry; timer: NodeJS.Timeout }>();

  constructor(
    private readonly idleMs: number,
    readonly max: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get full(): boolean {
    return this.entries.size >= this.max;
  }

  add(entry: SessionEntry): void {
    this.entries.set(entry.id, { entry, timer: this.expiry(entry) });
  }

  get(id: string): SessionEntry | undefined {
    return this.entries.get(id)?.entry;
  }

  /** Restarts the idle clock of a session that was just used. */
  touch(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    clearTimeout(e.timer);
    e.timer = this.expiry(e.entry);
  }

  delete(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    clearTimeout(e.timer);
    this.entries.delete(id);
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.values()].map((e) => e.entry);
    await Promise.all(all.map((e) => e.close().catch(() => undefined)));
    for (const e of all) this.delete(e.id);
  }

  private expiry(entry: SessionEntry): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.delete(entry.id);
      void entry.close().catch(() => undefined);
    }, this.idleMs);
    timer.unref();
    return timer;
  }
}
