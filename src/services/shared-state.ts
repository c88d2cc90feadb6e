// State that replicas of the HTTP server share through Redis (state.redis_url). Redis is loaded
// only when configured. A command fails at once while Redis is unreachable (no offline queue), so
// that a replica answers with a clear error instead of waiting, or of quietly falling back to its
// own counters: N replicas each granting a full budget is the silent split this exists to avoid.
import { createHash } from 'node:crypto';
import type { Logger } from '../logging/logger.js';
import type { FieldsMeta } from '../odoo/values.js';

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
  publish(channel: string, message: string): Promise<unknown>;
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
  close(): Promise<void>;
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
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5000,
      // Keep trying, every second at most: a restarted Redis is picked up again.
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 1000),
    },
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) logger?.warn({ redis: describeRedisUrl(url), err: err.message }, 'Redis is unreachable');
    down = true;
  });
  client.on('ready', () => {
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
