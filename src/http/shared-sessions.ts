// 2025-era sessions known to every replica (state.redis_url): what a replica needs to serve a
// session another replica opened. No Odoo credential is stored: in per-user mode every request
// carries its own, and only their fingerprint (an HMAC) is kept to check that a request belongs to
// the session. The session's server instance is rebuilt on a replica by replaying the client's
// initialize, so it knows the client's protocol version, capabilities and name.
import { createHmac, randomBytes } from 'node:crypto';
import { mapOfPairs, type SharedState } from '../services/shared-state.js';
import { eventsKey, STANDALONE_STREAM } from './event-store.js';
import type { OdooIdentity } from './identity.js';

export interface SharedSession {
  kind: 'streamable';
  principal: string;
  client: string;
  /** The per-user credentials' HMAC under the replicas' shared key (see fingerprint()). */
  fingerprint?: string;
  /** The client's initialize params, replayed when another replica takes the session up. */
  initialize: unknown;
}

const CLOSED_CHANNEL = 'sessions:closed';
/** Followed by a replica's id: the messages POSTed elsewhere for the legacy SSE sessions it holds. */
const SSE_CHANNEL = 'sse:to:';
const SUBSCRIBED_CHANNEL = 'sessions:subscribed';
const STREAM_CHANNEL = 'sessions:stream';

// One atomic step, so that two replicas adding at once cannot take a session past its cap. The
// hash maps each URI to its mark when subscribed to.
const ADD_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;
const REMOVE_SCRIPT = `return redis.call('HDEL', KEYS[1], ARGV[1])`;
const MEMBERS_SCRIPT = `return redis.call('HGETALL', KEYS[1])`;

/** A legacy HTTP+SSE session: its stream stays on `owner`, its POSTs may reach any replica. */
export interface SharedSseSession {
  principal: string;
  fingerprint?: string;
  /** The replica that holds the stream. */
  owner: string;
}

/** A message POSTed for a legacy SSE session on another replica, as it is handed to the owner. */
export interface ForwardedMessage {
  id: string;
  body: unknown;
  /** The request's verified client, without its token. */
  authInfo?: { clientId: string; scopes: string[]; expiresAt?: number; extra?: Record<string, unknown> };
}

export class SharedSessions {
  /** This replica, as the owner of the legacy SSE sessions it holds. */
  readonly replica = randomBytes(8).toString('hex');

  constructor(
    private readonly state: SharedState,
    readonly idleMs: number,
  ) {}

  private secret: Promise<Buffer> | undefined;

  /**
   * The credentials' fingerprint every replica computes alike (each process's own fingerprints
   * differ by design): an HMAC under a random key the first replica puts in Redis.
   */
  async fingerprint(identity: OdooIdentity | undefined): Promise<string | undefined> {
    if (!identity) return undefined;
    this.secret ??= (async () => {
      const key = `${this.state.prefix}secret:fingerprint`;
      await this.state.redis.set(key, randomBytes(32).toString('hex'), { NX: true });
      const hex = await this.state.redis.get(key);
      if (!hex) throw new Error('the fingerprint key vanished from Redis');
      return Buffer.from(hex, 'hex');
    })().catch((err: unknown) => {
      this.secret = undefined;
      throw err;
    });
    return createHmac('sha256', await this.secret)
      .update(JSON.stringify([identity.login ?? '', identity.apiKey, identity.database ?? '']))
      .digest('hex');
  }

  private key(id: string): string {
    return `${this.state.prefix}session:${id}`;
  }

  /** A session's record, living `idleMs` unless renewed. */
  private async write(key: string, value: unknown): Promise<void> {
    await this.state.redis.set(key, JSON.stringify(value), { PX: this.idleMs });
  }

  private async read<T>(key: string): Promise<T | undefined> {
    const raw = await this.state.redis.get(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  }

  save(id: string, session: SharedSession): Promise<void> {
    return this.write(this.key(id), session);
  }

  get(id: string): Promise<SharedSession | undefined> {
    return this.read(this.key(id));
  }

  private subsKey(id: string): string {
    return `${this.state.prefix}session:${id}:subs`;
  }

  /** A request used the session: it lives `idleMs` longer, whichever replica served it. */
  async touch(id: string): Promise<void> {
    await this.state.redis.pExpire(this.key(id), this.idleMs);
    await this.state.redis.pExpire(this.subsKey(id), this.idleMs);
    // A quiet GET stream stores nothing for a while: its events must outlive that too.
    await this.state.redis.pExpire(eventsKey(this.state.prefix, id, STANDALONE_STREAM), this.idleMs);
  }

  /** Whether the session still lives (another replica may have kept it in use). */
  async alive(id: string): Promise<boolean> {
    return (await this.state.redis.exists(this.key(id))) === 1;
  }

  /** Ends the session everywhere (DELETE): the key goes and every replica closes its copy. */
  async end(id: string): Promise<void> {
    await this.state.redis.del(this.key(id));
    await this.state.redis.del(this.subsKey(id));
    await this.state.redis.publish(`${this.state.prefix}${CLOSED_CHANNEL}`, id);
  }

  /**
   * Adds a URI to the session's resource subscriptions, which the replica holding the session's
   * GET stream watches from `mark` on: 'held' when it was there already, 'full' at `max`.
   */
  async subscribe(id: string, uri: string, max: number, mark: string): Promise<'added' | 'held' | 'full'> {
    const added = await this.state.redis.eval(ADD_SCRIPT, {
      keys: [this.subsKey(id)],
      arguments: [uri, String(max), String(this.idleMs), mark],
    });
    if (added === 1) await this.announce(id);
    return added === 1 ? 'added' : added === 0 ? 'held' : 'full';
  }

  async unsubscribe(id: string, uri: string): Promise<void> {
    const removed = await this.state.redis.eval(REMOVE_SCRIPT, {
      keys: [this.subsKey(id)],
      arguments: [uri],
    });
    if (removed === 1) await this.announce(id);
  }

  /** The session's subscribed URIs, each with its mark when subscribed to. */
  async subscriptions(id: string): Promise<Map<string, string>> {
    return mapOfPairs(
      (await this.state.redis.eval(MEMBERS_SCRIPT, { keys: [this.subsKey(id)], arguments: [] })) as string[],
    );
  }

  private sseKey(id: string): string {
    return `${this.state.prefix}sse:${id}`;
  }

  saveSse(id: string, session: SharedSseSession): Promise<void> {
    return this.write(this.sseKey(id), session);
  }

  getSse(id: string): Promise<SharedSseSession | undefined> {
    return this.read(this.sseKey(id));
  }

  /** The session was used: it lives `idleMs` longer for the other replicas too. */
  async touchSse(id: string): Promise<void> {
    await this.state.redis.pExpire(this.sseKey(id), this.idleMs);
  }

  async endSse(id: string): Promise<void> {
    await this.state.redis.del(this.sseKey(id));
  }

  /**
   * Hands a message to the replica holding the session's stream, and renews the session's expiry;
   * false when that replica is gone (nobody heard it).
   */
  async forwardSse(owner: string, message: ForwardedMessage): Promise<boolean> {
    await this.touchSse(message.id);
    const heard = await this.state.redis.publish(
      `${this.state.prefix}${SSE_CHANNEL}${owner}`,
      JSON.stringify(message),
    );
    return heard > 0;
  }

  private sseHeard: Promise<void> | undefined;

  /** Hears the messages other replicas forward for this replica's SSE sessions (once). */
  onForwardedSse(listener: (message: ForwardedMessage) => void): Promise<void> {
    this.sseHeard ??= this.state
      .subscribe(`${SSE_CHANNEL}${this.replica}`, (raw) => listener(JSON.parse(raw) as ForwardedMessage))
      .catch((err: unknown) => {
        this.sseHeard = undefined;
        throw err;
      });
    return this.sseHeard;
  }

  private async announce(id: string): Promise<void> {
    await this.state.redis.publish(`${this.state.prefix}${SUBSCRIBED_CHANNEL}`, id);
  }

  /** This replica holds the session's GET stream now: any other's copy of it is stale. */
  async announceStream(id: string): Promise<void> {
    await this.state.redis.publish(
      `${this.state.prefix}${STREAM_CHANNEL}`,
      JSON.stringify({ id, replica: this.replica }),
    );
  }

  /** Hears which replica took a session's GET stream up (this one's own announcements too). */
  onStream(listener: (id: string, replica: string) => void): Promise<void> {
    return this.state.subscribe(STREAM_CHANNEL, (raw) => {
      const { id, replica } = JSON.parse(raw) as { id: string; replica: string };
      listener(id, replica);
    });
  }

  /** Hears which session's subscriptions changed, on any replica. */
  onSubscriptions(listener: (id: string) => void): Promise<void> {
    return this.state.subscribe(SUBSCRIBED_CHANNEL, listener);
  }

  onEnded(listener: (id: string) => void): Promise<void> {
    return this.state.subscribe(CLOSED_CHANNEL, listener);
  }
}
