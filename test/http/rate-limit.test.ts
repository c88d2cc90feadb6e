// The token bucket of src/services/rate-limit.ts on a fake clock.
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/services/rate-limit.js';

function fakeClock() {
  let t = 1_000_000;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('RateLimiter', () => {
  it('allows a burst of perMinute requests, then refuses with the wait until the next slot', () => {
    const clock = fakeClock();
    const rl = new RateLimiter({ perMinute: 60, maxWaitMs: 0, now: clock.now });
    for (let i = 0; i < 60; i++) expect(rl.reserve('a')).toEqual({ waitMs: 0 });
    expect(rl.reserve('a')).toEqual({ retryAfterSeconds: 1 });
    // Another client has its own bucket.
    expect(rl.reserve('b')).toEqual({ waitMs: 0 });
    clock.advance(1000);
    expect(rl.reserve('a')).toEqual({ waitMs: 0 });
    expect(rl.reserve('a')).toEqual({ retryAfterSeconds: 1 });
  });

  it('lets a request wait for a slot within maxWait, queueing later ones behind it', () => {
    const clock = fakeClock();
    const rl = new RateLimiter({ perMinute: 6, maxWaitMs: 25_000, now: clock.now }); // one slot per 10 s
    for (let i = 0; i < 6; i++) rl.reserve('a');
    expect(rl.reserve('a')).toEqual({ waitMs: 10_000 });
    expect(rl.reserve('a')).toEqual({ waitMs: 20_000 });
    expect(rl.reserve('a')).toEqual({ retryAfterSeconds: 30 });
    clock.advance(30_000);
    expect(rl.reserve('a')).toEqual({ waitMs: 0 });
  });

  it('acquire waits, and gives the slot back when the caller leaves', async () => {
    const clock = fakeClock();
    const slept: number[] = [];
    const rl = new RateLimiter({
      perMinute: 60,
      maxWaitMs: 5000,
      now: clock.now,
      sleep: async (ms, signal) => {
        slept.push(ms);
        if (signal?.aborted) throw new Error('gone');
      },
    });
    for (let i = 0; i < 60; i++) await rl.acquire('a');
    expect(await rl.acquire('a')).toEqual({ ok: true, waitedMs: 1000 });
    expect(slept).toEqual([1000]);
    const ac = new AbortController();
    ac.abort();
    await expect(rl.acquire('a', ac.signal)).rejects.toThrow('gone');
    // The abandoned reservation was released: the next wait is 2 s, not 3 s.
    expect(rl.reserve('a')).toEqual({ waitMs: 2000 });
  });

  it('is off with perMinute 0', () => {
    const rl = new RateLimiter({ perMinute: 0, maxWaitMs: 0 });
    expect(rl.enabled).toBe(false);
    for (let i = 0; i < 1000; i++) expect(rl.reserve('a')).toEqual({ waitMs: 0 });
    expect(rl.size).toBe(0);
  });

  it('keeps at most maxKeys buckets, dropping refilled ones first', () => {
    const clock = fakeClock();
    const rl = new RateLimiter({ perMinute: 60, maxWaitMs: 0, maxKeys: 100, now: clock.now });
    for (let i = 0; i < 1000; i++) rl.reserve(`ip:${i}`);
    expect(rl.size).toBeLessThanOrEqual(100);
    clock.advance(60_000);
    rl.reserve('fresh');
    expect(rl.size).toBeLessThanOrEqual(100);
  });
});
