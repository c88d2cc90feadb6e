// The live MCP sessions of the HTTP front (2025-era streamable HTTP sessions and legacy SSE
// connections). Each has its own server instance and, in per-user mode, its own Odoo identity; it
// ends on DELETE, when its stream closes, on shutdown, after `idleMs` without a request, or when it
// is evicted to make room.
//
// Room is shared fairly: a client (see clients.ts: its token, its verified Odoo login, else its
// address) holds at most `maxPerClient` sessions, and opening one more evicts that client's own least
// recently used session (idle ones first: no request or stream in progress). When all `max` sessions
// are taken, the client holding the most gives up its least recently used one, so a client that
// floods only ever evicts its own sessions, and any client under its own cap can still open one.
import { randomBytes } from 'node:crypto';

export interface SessionEntry {
  readonly id: string;
  readonly kind: 'streamable' | 'sse';
  /** Who opened it (the authenticated client); other clients cannot use it. */
  readonly principal: string;
  /** The client it counts against for the session caps (clients.ts). */
  readonly client: string;
  /** Fingerprint of the per-user Odoo credentials it was opened with. */
  readonly fingerprint?: string;
  /** Closes the transport and server; the store forgets the session through `delete`. */
  close(): Promise<void>;
  /**
   * Asked when the session has been idle here for `idleMs`: true keeps it (a replica's copy that
   * holds the stream of a session other replicas serve the requests of).
   */
  stillUsed?(): Promise<boolean>;
}

/** A session id: 256 random bits, URL-safe (visible ASCII, as the spec asks). */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

export interface SessionLimits {
  /** Idle time after which a session expires. */
  idleMs: number;
  /** Most sessions open at once. */
  max: number;
  /** Most sessions one client holds at once. */
  maxPerClient: number;
  now?: () => number;
}

interface Slot {
  entry: SessionEntry;
  timer: NodeJS.Timeout;
  /** When it was last used (a request began or ended). */
  usedAt: number;
  /** Requests and streams of this session in progress. */
  active: number;
}

export class SessionStore {
  private readonly slots = new Map<string, Slot>();
  private readonly byClient = new Map<string, Set<string>>();
  private readonly now: () => number;
  private evictions = 0;

  constructor(private readonly limits: SessionLimits) {
    this.now = limits.now ?? Date.now;
  }

  get size(): number {
    return this.slots.size;
  }

  /** Clients holding at least one session. */
  get clients(): number {
    return this.byClient.size;
  }

  /** Sessions evicted to make room since start. */
  get evicted(): number {
    return this.evictions;
  }

  /** Sessions `client` holds. */
  countFor(client: string): number {
    return this.byClient.get(client)?.size ?? 0;
  }

  /** Adds a session, evicting others (closed in the background) so that both caps hold. */
  add(entry: SessionEntry): void {
    this.slots.set(entry.id, { entry, timer: this.expiry(entry), usedAt: this.now(), active: 0 });
    let own = this.byClient.get(entry.client);
    if (!own) {
      own = new Set();
      this.byClient.set(entry.client, own);
    }
    own.add(entry.id);
    while (own.size > this.limits.maxPerClient) {
      const victim = this.leastRecentlyUsed(own, entry.id);
      if (!victim) break;
      this.evict(victim);
    }
    while (this.slots.size > this.limits.max) {
      const victim = this.victimOfBiggestHolder(entry.id);
      if (!victim) break;
      this.evict(victim);
    }
  }

  get(id: string): SessionEntry | undefined {
    return this.slots.get(id)?.entry;
  }

  /** Restarts the idle clock of a session that was just used. */
  touch(id: string): void {
    const s = this.slots.get(id);
    if (!s) return;
    s.usedAt = this.now();
    clearTimeout(s.timer);
    s.timer = this.expiry(s.entry);
  }

  /** A request (or stream) of the session begins: it is evicted after idle ones until `end`. */
  begin(id: string): void {
    const s = this.slots.get(id);
    if (!s) return;
    s.active++;
    this.touch(id);
  }

  end(id: string): void {
    const s = this.slots.get(id);
    if (!s) return;
    s.active = Math.max(0, s.active - 1);
    this.touch(id);
  }

  delete(id: string): void {
    const s = this.slots.get(id);
    if (!s) return;
    clearTimeout(s.timer);
    this.slots.delete(id);
    const own = this.byClient.get(s.entry.client);
    own?.delete(id);
    if (own?.size === 0) this.byClient.delete(s.entry.client);
  }

  async closeAll(): Promise<void> {
    const all = [...this.slots.values()].map((s) => s.entry);
    await Promise.all(all.map((e) => e.close().catch(() => undefined)));
    for (const e of all) this.delete(e.id);
  }

  private evict(id: string): void {
    const s = this.slots.get(id);
    if (!s) return;
    this.delete(id);
    this.evictions++;
    void s.entry.close().catch(() => undefined);
  }

  /** The least recently used of `ids` other than `except`, idle ones before busy ones. */
  private leastRecentlyUsed(ids: Iterable<string>, except: string): string | undefined {
    let best: Slot | undefined;
    for (const id of ids) {
      if (id === except) continue;
      const s = this.slots.get(id);
      if (!s) continue;
      if (
        !best ||
        (s.active === 0 && best.active > 0) ||
        ((s.active === 0) === (best.active === 0) && s.usedAt < best.usedAt)
      ) {
        best = s;
      }
    }
    return best?.entry.id;
  }

  /**
   * A session (never `except`, the one just added) of the client holding the most, counting the
   * one just added; between clients holding as many, the one whose candidate was used longest ago.
   */
  private victimOfBiggestHolder(except: string): string | undefined {
    let most = 0;
    let pick: { id: string; usedAt: number } | undefined;
    for (const ids of this.byClient.values()) {
      const n = ids.size;
      if (n < most) continue;
      const id = this.leastRecentlyUsed(ids, except);
      const s = id ? this.slots.get(id) : undefined;
      if (!id || !s) continue;
      if (n > most || !pick || s.usedAt < pick.usedAt) {
        most = n;
        pick = { id, usedAt: s.usedAt };
      }
    }
    return pick?.id;
  }

  private expiry(entry: SessionEntry): NodeJS.Timeout {
    // Counted from the last request's start or end: an open stream alone does not keep a session
    // (its client may be long gone without the socket saying so).
    const timer = setTimeout(async () => {
      const usedAt = this.slots.get(entry.id)?.usedAt;
      // Unknown (Redis not answering) counts as used: closing would drop a stream in use elsewhere.
      const kept = entry.stillUsed ? await entry.stillUsed().catch(() => true) : false;
      const slot = this.slots.get(entry.id);
      // Gone, or used while asked: a newer timer decides.
      if (slot?.entry !== entry || slot.usedAt !== usedAt) return;
      if (kept) return this.touch(entry.id);
      this.delete(entry.id);
      void entry.close().catch(() => undefined);
    }, this.limits.idleMs);
    timer.unref();
    return timer;
  }
}
