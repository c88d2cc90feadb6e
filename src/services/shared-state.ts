// State that replicas of the HTTP server share through Redis (state.redis_url). Redis is loaded
// only when configured. A command fails at once while Redis is unreachable (no offline queue), so
// that a replica answers with a clear error instead of waiting, or of quietly falling back to its
// own counters: N replicas each granting a full budget is the silent split this exists to avoid.
import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from '../logging/logger.js';
import type { FieldsMeta } from '../odoo/values.js';
import type { ChangesListener, SharedPolling } from './subscriptions.js';

/** Redis did not answer: the request cannot be served consistently with the other replicas. */
export class SharedStateError extends Error {
  constructor(what: string, cause?: unknown) {
    super(
      `the shared state (Redis) is unreachable, so ${what} cannot be checked across replicas; retry in a few seconds, and check state.redis_url and that Redis runs`,
      { cause },
    );
    this.name = 'SharedStateError';
  }
}

/** The commands used here, typed narrowly so that the rest does not depend on the Redis client. */
export interface RedisLike {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  ping(): Promise<string>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: { PX?: number; NX?: boolean }): Promise<unknown>;
  pExpire(key: string, ms: number): Promise<unknown>;
  del(key: string): Promise<unknown>;
  /** Resolves to how many subscribers heard the message. */
  publish(channel: string, message: string): Promise<number>;
  incr(key: string): Promise<number>;
  rPush(key: string, value: string): Promise<unknown>;
  lRange(key: string, start: number, stop: number): Promise<string[]>;
  lTrim(key: string, start: number, stop: number): Promise<unknown>;
  exists(key: string): Promise<number>;
  close?(): Promise<unknown>;
  destroy?(): void;
  readonly isReady: boolean;
}

export interface SharedState {
  readonly redis: RedisLike;
  readonly prefix: string;
  /** Whether Redis answers now (for /ready). */
  ping(timeoutMs?: number): Promise<boolean>;
  /** Hears messages published on `channel` (prefixed), on a connection of its own. */
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  /** Stops `listener` hearing `channel`. */
  unsubscribe(channel: string, listener: (message: string) => void): Promise<void>;
  close(): Promise<void>;
}

/** A Redis reply of alternating keys and values (HGETALL, or a script's pairs) as a Map. */
export function mapOfPairs(flat: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < flat.length; i += 2) out.set(flat[i] as string, flat[i + 1] ?? '');
  return out;
}

/** The URL without its password, for log lines. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://(unparsable URL)';
  }
}

export async function connectSharedState(url: string, prefix: string, logger?: Logger): Promise<SharedState> {
  // The bundle exposes this CommonJS package as its default export only.
  const mod = (await import('redis')) as typeof import('redis') & { default?: typeof import('redis') };
  const createClient = mod.createClient ?? mod.default?.createClient;
  let ready = false;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5000,
      // Once connected, keep trying every second at most (a restarted Redis is picked up again);
      // at start, a Redis that does not answer is an error to report, not a wait without end.
      reconnectStrategy: (retries: number, cause: Error) =>
        ready ? Math.min(100 * 2 ** retries, 1000) : cause,
    },
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) logger?.warn({ redis: describeRedisUrl(url), err: err.message }, 'Redis is unreachable');
    down = true;
  });
  client.on('ready', () => {
    ready = true;
    if (down) logger?.info({ redis: describeRedisUrl(url) }, 'Redis answers again');
    down = false;
  });
  try {
    await client.connect();
  } catch (err) {
    client.destroy();
    throw new SharedStateError('the server', err);
  }
  const redis = client as unknown as RedisLike;
  let subscriber: typeof client | undefined;
  return {
    redis,
    prefix,
    async ping(timeoutMs = 2000) {
      if (!client.isReady) return false;
      let timer: NodeJS.Timeout | undefined;
      try {
        const pong = await Promise.race([
          client.ping(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
          }),
        ]);
        return pong === 'PONG';
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async subscribe(channel, listener) {
      if (!subscriber) {
        subscriber = client.duplicate();
        subscriber.on('error', () => undefined); // the main connection logs Redis trouble
      }
      if (!subscriber.isOpen) await subscriber.connect();
      await subscriber.subscribe(`${prefix}${channel}`, listener);
    },
    async unsubscribe(channel, listener) {
      if (subscriber?.isOpen) await subscriber.unsubscribe(`${prefix}${channel}`, listener);
    },
    async close() {
      for (const c of [subscriber, client]) {
        if (!c) continue;
        try {
          await c.close();
        } catch {
          c.destroy();
        }
      }
    },
  };
}

/**
 * Field metadata (fields_get) shared by the replicas: each entry lives `ttlMs` (cache.ttl), and
 * beyond `maxSize` entries (cache.max_size) the oldest go. A Redis failure is a cache miss: Odoo is
 * asked, which is slower but never wrong.
 */
export class SharedMetaCache {
  constructor(
    private readonly state: SharedState,
    private readonly ttlMs: number,
    private readonly maxSize: number,
  ) {}

  private get index(): string {
    return `${this.state.prefix}meta:index`;
  }

  private key(k: string): string {
    return `${this.state.prefix}meta:${createHash('sha256').update(k).digest('hex')}`;
  }

  async get(k: string): Promise<FieldsMeta | undefined> {
    const raw = await this.state.redis.get(this.key(k));
    return raw ? (JSON.parse(raw) as FieldsMeta) : undefined;
  }

  async set(k: string, value: FieldsMeta): Promise<void> {
    if (this.ttlMs <= 0) return;
    const key = this.key(k);
    await this.state.redis.set(key, JSON.stringify(value), { PX: this.ttlMs });
    // Oldest first out once there are more than maxSize entries (expired ones are only stale names).
    await this.state.redis.eval(TRIM_SCRIPT, {
      keys: [this.index],
      arguments: [key, String(this.maxSize)],
    });
  }
}

const TRIM_SCRIPT = `
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), ARGV[1])
local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[2])
if over > 0 then
  local old = redis.call('ZRANGE', KEYS[1], 0, over - 1)
  for _, k in ipairs(old) do redis.call('DEL', k) end
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, over - 1)
end
return over
`;

// A key nobody renewed loses its mark with it, and a key that joins (again) starts from the mark
// its watcher just read: an old mark could equal today's value after changes nobody polled.
const CLAIM_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
for _, k in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do redis.call('HDEL', KEYS[2], k) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
for i = 3, #ARGV, 2 do
  if not redis.call('ZSCORE', KEYS[1], ARGV[i]) then redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
  redis.call('ZADD', KEYS[1], now + ttl, ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl * 20)
local holder = redis.call('GET', KEYS[3])
if not holder then
  redis.call('SET', KEYS[3], ARGV[1], 'PX', ttl)
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[3], ttl)
  return 1
end
return 0
`;

// Only the lease holder's poll counts: one that lost the lease mid-poll (slower than the lease)
// neither writes older marks over a newer holder's nor announces twice.
const SETTLE_SCRIPT = `
if redis.call('GET', KEYS[3]) ~= ARGV[3] then return 0 end
local pairs = cjson.decode(ARGV[1])
for i = 1, #pairs, 2 do redis.call('HSET', KEYS[2], pairs[i], pairs[i + 1]) end
for _, id in ipairs(cjson.decode(ARGV[2])) do
  redis.call('ZREM', KEYS[1], id)
  redis.call('HDEL', KEYS[2], id)
end
return 1
`;

const MEMBERS_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')
local out = {}
for _, id in ipairs(ids) do
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGET', KEYS[2], id) or ''
end
return out
`;

/**
 * Subscription polling for one Odoo identity (`scope`: 'server' for the server's own credentials,
 * a shared fingerprint for a per-user identity), shared by every replica through Redis: one lease
 * per channel (the holder polls for all replicas, another takes over when it stops renewing), the
 * watched keys of all replicas, and marks that outlive any one poller. Only replicas that hold the
 * identity's credentials take part, so no credential leaves its replica.
 */
export class SharedPollingRedis implements SharedPolling {
  private readonly replica = randomBytes(8).toString('hex');
  private readonly listeners = new Set<ChangesListener>();

  constructor(
    private readonly state: SharedState,
    private readonly scope = 'server',
  ) {}

  private keys(channel: string): string[] {
    const base = `${this.state.prefix}poll:${this.scope}:${channel}`;
    return [`${base}:keys`, `${base}:marks`, `${base}:lease`];
  }

  private get changes(): string {
    return `poll:${this.scope}:changes`;
  }

  async claim(channel: string, marks: Map<string, string>, ttlMs: number): Promise<boolean> {
    const args = [this.replica, String(ttlMs)];
    for (const [key, mark] of marks) args.push(key, mark);
    const held = await this.state.redis.eval(CLAIM_SCRIPT, { keys: this.keys(channel), arguments: args });
    return held === 1;
  }

  async members(channel: string): Promise<Map<string, string>> {
    return mapOfPairs(
      (await this.state.redis.eval(MEMBERS_SCRIPT, { keys: this.keys(channel), arguments: [] })) as string[],
    );
  }

  async settle(
    channel: string,
    marks: Map<string, string>,
    changed: string[],
    deleted: string[],
  ): Promise<void> {
    const [keys, hash, lease] = this.keys(channel) as [string, string, string];
    const settled = await this.state.redis.eval(SETTLE_SCRIPT, {
      keys: [keys, hash, lease],
      arguments: [JSON.stringify([...marks].flat()), JSON.stringify(deleted), this.replica],
    });
    if (settled !== 1 || changed.length === 0) return;
    // The new marks go along, so that every replica's own view moves on with the holder's.
    const news = Object.fromEntries(changed.flatMap((k) => (marks.has(k) ? [[k, marks.get(k)]] : [])));
    await this.state.redis.publish(
      `${this.state.prefix}${this.changes}`,
      JSON.stringify({ channel, changed, deleted, marks: news }),
    );
  }

  private subscribed: Promise<void> | undefined;

  private readonly hear = (message: string) => {
    const { channel, changed, deleted, marks } = JSON.parse(message) as {
      channel: string;
      changed: string[];
      deleted: string[];
      marks?: Record<string, string>;
    };
    for (const l of this.listeners) l(channel, changed, deleted, marks ?? {});
  };

  async onChanges(listener: ChangesListener): Promise<() => void> {
    this.listeners.add(listener);
    try {
      this.subscribed ??= this.state.subscribe(this.changes, this.hear).catch((err: unknown) => {
        this.subscribed = undefined;
        throw err;
      });
      await this.subscribed;
    } catch (err) {
      this.listeners.delete(listener);
      throw err;
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0 || !this.subscribed) return;
      // Nobody on this replica watches for this identity any more: its channel is let go.
      this.subscribed = undefined;
      this.state.unsubscribe(this.changes, this.hear).catch(() => undefined);
    };
  }
}
