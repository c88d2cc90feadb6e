// 2025-era sessions known to every replica (state.redis_url): what a replica needs to serve a
// session another replica opened. No Odoo credential is stored: in per-user mode every request
// carries its own, and only their fingerprint (an HMAC) is kept to check that a request belongs to
// the session. The session's server instance is rebuilt on a replica by replaying the client's
// initialize, so it knows the client's protocol version, capabilities and name.
import { createHmac, randomBytes } from 'node:crypto';
import type { SharedState } from '../services/shared-state.js';
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

export class SharedSessions {
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

  async save(id: string, session: SharedSession): Promise<void> {
    await this.state.redis.set(this.key(id), JSON.stringify(session), { PX: this.idleMs });
  }

  async get(id: string): Promise<SharedSession | undefined> {
    const raw = await this.state.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as SharedSession) : undefined;
  }

  /** A request used the session: it lives `idleMs` longer, whichever replica served it. */
  async touch(id: string): Promise<void> {
    await this.state.redis.pExpire(this.key(id), this.idleMs);
  }

  /** Ends the session everywhere (DELETE): the key goes and every replica closes its copy. */
  async end(id: string): Promise<void> {
    await this.state.redis.del(this.key(id));
    await this.state.redis.publish(`${this.state.prefix}${CLOSED_CHANNEL}`, id);
  }

  onEnded(listener: (id: string) => void): Promise<void> {
    return this.state.subscribe(CLOSED_CHANNEL, listener);
  }
}
