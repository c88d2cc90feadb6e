// A token bucket per client key (its token, its verified Odoo login or its address, see
// http/clients.ts; never a session, which a client can open as many of as it likes): a burst of
// `perMinute` requests, refilled continuously. A request over the limit reserves the next free slot
// and waits for it when that is within `maxWaitMs`; otherwise it is refused with the time after
// which a slot frees up. Idle buckets are dropped so that many keys cannot grow memory without bound.

import { type SharedState, SharedStateError } from './shared-state.js';

export interface RateLimiterOptions {
  /** Requests per minute per key; 0 turns limiting off. */
  perMinute: number;
  /** Longest a request may wait for a slot before it is refused. */
  maxWaitMs: number;
  /** Most keys tracked at once; the least recently used go first beyond it. */
  maxKeys?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type RateDecision = { ok: true; waitedMs: number } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  /** Tokens per millisecond. */
  private readonly rate: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly opts: RateLimiterOptions) {
    this.capacity = Math.max(0, opts.perMinute);
    this.rate = this.capacity / 60_000;
    this.maxKeys = opts.maxKeys ?? 10_000;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? defaultSleep;
  }

  get enabled(): boolean {
    return this.capacity > 0;
  }

  /** Keys currently tracked (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  /**
   * Takes a slot for `key` now, or reserves the next one: `waitMs` is how long the caller must wait
   * before going ahead. Refuses (and reserves nothing) when that wait would exceed `maxWaitMs`.
   */
  reserve(key: string): { waitMs: number } | { retryAfterSeconds: number } {
    if (!this.enabled) return { waitMs: 0 };
    const now = this.now();
    const bucket = this.refill(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { waitMs: 0 };
    }
    const waitMs = Math.ceil((1 - bucket.tokens) / this.rate);
    if (waitMs > this.opts.maxWaitMs) return { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    bucket.tokens -= 1;
    return { waitMs };
  }

  /** Gives a reserved slot back (the caller gave up waiting). */
  release(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.capacity, bucket.tokens + 1);
  }

  /** Waits for a slot when one frees up in time; `signal` abandons the wait and frees the slot. */
  async acquire(key: string, signal?: AbortSignal): Promise<RateDecision> {
    const r = this.reserve(key);
    if ('retryAfterSeconds' in r) return { ok: false, retryAfterSeconds: r.retryAfterSeconds };
    if (r.waitMs > 0) {
      try {
        await this.sleep(r.waitMs, signal);
      } catch (err) {
        this.release(key);
        throw err;
      }
    }
    return { ok: true, waitedMs: r.waitMs };
  }

  private refill(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.rate);
      bucket.at = now;
      // Move to the end: Map order is the eviction order.
      this.buckets.delete(key);
      this.buckets.set(key, bucket);
      return bucket;
    }
    if (this.buckets.size >= this.maxKeys) this.evict(now);
    bucket = { tokens: this.capacity, at: now };
    this.buckets.set(key, bucket);
    return bucket;
  }

  /** Drops buckets that have refilled completely (forgetting them changes nothing), then the oldest. */
  private evict(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.rate >= this.capacity) this.buckets.delete(key);
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxKeys) break;
      this.buckets.delete(key);
    }
  }
}

/**
 * The token bucket of RateLimiter, kept in Redis so that every replica draws on one budget per
 * client. One script does the refill and the take atomically, on Redis's clock (replicas' clocks
 * may differ); buckets expire once they would be full again.
 */
const BUCKET_SCRIPT = `
local cap = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local op = ARGV[4]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or cap
local at = tonumber(b[2]) or now
tokens = math.min(cap, tokens + math.max(0, now - at) * rate)
local wait = 0
if op == 'release' then
  tokens = math.min(cap, tokens + 1)
elseif tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) / rate)
  if wait > max_wait then
    return {-1, math.max(1, math.ceil(wait / 1000))}
  end
  tokens = tokens - 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((cap - tokens) / rate) + max_wait + 1000)
return {wait, 0}
`;

export class SharedRateLimiter {
  private readonly capacity: number;
  private readonly rate: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    private readonly state: SharedState,
    private readonly opts: RateLimiterOptions,
  ) {
    this.capacity = Math.max(0, opts.perMinute);
    this.rate = this.capacity / 60_000;
    this.sleep = opts.sleep ?? defaultSleep;
  }

  get enabled(): boolean {
    return this.capacity > 0;
  }

  /** Buckets live in Redis; none are held here. */
  get size(): number {
    return 0;
  }

  private async run(key: string, op: 'reserve' | 'release'): Promise<[number, number]> {
    try {
      const out = (await this.state.redis.eval(BUCKET_SCRIPT, {
        keys: [`${this.state.prefix}rate:${key}`],
        arguments: [String(this.capacity), String(this.rate), String(this.opts.maxWaitMs), op],
      })) as [number, number];
      return out;
    } catch (err) {
      throw new SharedStateError('the rate limit', err);
    }
  }

  /** As RateLimiter.reserve, against the shared bucket; a SharedStateError when Redis is down. */
  async reserve(key: string): Promise<{ waitMs: number } | { retryAfterSeconds: number }> {
    if (!this.enabled) return { waitMs: 0 };
    const [wait, retryAfter] = await this.run(key, 'reserve');
    return wait < 0 ? { retryAfterSeconds: retryAfter } : { waitMs: wait };
  }

  async release(key: string): Promise<void> {
    if (this.enabled) await this.run(key, 'release').catch(() => undefined);
  }

  async acquire(key: string, signal?: AbortSignal): Promise<RateDecision> {
    const r = await this.reserve(key);
    if ('retryAfterSeconds' in r) return { ok: false, retryAfterSeconds: r.retryAfterSeconds };
    if (r.waitMs > 0) {
      try {
        await this.sleep(r.waitMs, signal);
      } catch (err) {
        await this.release(key);
        throw err;
      }
    }
    return { ok: true, waitedMs: r.waitMs };
  }
}
