// Subscription polling shared by replicas, on a real redis-server: two SharedPollingRedis instances
// stand for two replicas of one identity. Skipped only where redis-server is not installed
// (scripts/ensure-redis.sh installs it; CI runs it first).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSharedState, SharedPollingRedis, type SharedState } from '../../src/services/shared-state.js';
import { hasRedis, type RedisProcess, startRedis } from '../helpers/replicas.js';
import { sleep, until } from '../helpers/wait.js';

const REDIS = hasRedis();

describe.skipIf(!REDIS)('shared polling in Redis', () => {
  let redis: RedisProcess;
  let state: SharedState;
  let n = 0;
  const fresh = () => `t${++n}:`;

  beforeAll(async () => {
    redis = await startRedis();
    state = await connectSharedState(redis.url, 'unit:');
  });
  afterAll(async () => {
    await state?.close();
    await redis?.stop();
  });

  it('gives the lease to one replica, and the other takes it over once it lapses', async () => {
    const scope = fresh();
    const a = new SharedPollingRedis(state, scope);
    const b = new SharedPollingRedis(state, scope);
    expect(await a.claim('res.partner', new Map([['7', 'w1']]), 200)).toBe(true);
    expect(await b.claim('res.partner', new Map([['8', 'w2']]), 200)).toBe(false);
    expect(await a.members('res.partner')).toEqual(
      new Map([
        ['7', 'w1'],
        ['8', 'w2'],
      ]),
    );
    await sleep(300);
    expect(await b.claim('res.partner', new Map([['8', 'w2']]), 200)).toBe(true);
  });

  it('forgets the mark of a key nobody renews, so a later watch starts from its own read', async () => {
    const scope = fresh();
    const a = new SharedPollingRedis(state, scope);
    // A list watched yesterday, empty then (signature E); then nobody watched it.
    await a.claim('~lists', new Map([['L', 'E']]), 100);
    await sleep(200);
    // Today it holds a task (T) when watched again: T is the baseline, not yesterday's E, so
    // the task's closing (back to E) is a change.
    await a.claim('~lists', new Map([['L', 'T']]), 1000);
    expect((await a.members('~lists')).get('L')).toBe('T');
    // A key still renewed keeps the holder's mark against a late joiner's.
    const b = new SharedPollingRedis(state, scope);
    await b.claim('~lists', new Map([['L', 'stale']]), 1000);
    expect((await a.members('~lists')).get('L')).toBe('T');
  });

  it('announces a holder’s changes with their marks; a poll that lost the lease writes and announces nothing', async () => {
    const scope = fresh();
    const a = new SharedPollingRedis(state, scope);
    const b = new SharedPollingRedis(state, scope);
    const heard: Array<[string, string[], Record<string, string>]> = [];
    const stop = await b.onChanges((channel, changed, _deleted, marks) =>
      heard.push([channel, changed, marks]),
    );
    expect(await a.claim('res.partner', new Map([['7', 'w1']]), 150)).toBe(true);
    await a.settle('res.partner', new Map([['7', 'w2']]), ['7'], []);
    await until(() => heard.length > 0, 2000, 'the announcement');
    expect(heard).toEqual([['res.partner', ['7'], { '7': 'w2' }]]);
    expect((await a.members('res.partner')).get('7')).toBe('w2');
    // A's poll outlived its lease, and B holds it now: A's late result is dropped.
    await sleep(200);
    expect(await b.claim('res.partner', new Map([['7', 'w2']]), 1000)).toBe(true);
    await a.settle('res.partner', new Map([['7', 'w1']]), ['7'], []);
    await sleep(200);
    expect(heard).toHaveLength(1);
    expect((await b.members('res.partner')).get('7')).toBe('w2');
    // Once B stops listening, it hears nothing more.
    stop();
    await b.settle('res.partner', new Map([['7', 'w3']]), ['7'], []);
    await sleep(200);
    expect(heard).toHaveLength(1);
  });
});
