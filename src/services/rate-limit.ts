// A token bucket per client key (its token, its verified Odoo login or its address, see
// http/clients.ts; never a session, which a client can open as many of as it likes): a burst of
// `perMinute` requests, refilled continuously. A request over the limit reserves the next free slot
// and waits for it when that is within `maxWaitMs`; otherwise it is refused with the time after
// which a slot frees up. Idle buckets are dropped so that many keys cannot grow memory without bound.

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
