import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../../server/infra/redis';
import { createRateLimitStore } from '../../../server/store/rateLimitStore';
import { loginCounters, type AttemptCounter } from '../../../server/domain/attemptLimits';

/** A counter like the login ones: 30 places per subject in 5 minutes. (PIN lookups count in findPin.lua instead.) */
const LIMIT = { limit: 30, windowMs: 5 * 60_000 };
const counterFor = (subject: string): AttemptCounter => ({ scope: 'test', subject, ...LIMIT });
import { testRedis } from '../../helpers/testApp';

let redis: RedisClient;
let store: ReturnType<typeof createRateLimitStore>;
const T0 = 1_700_000_000_000;

beforeAll(async () => {
  redis = await testRedis();
  store = createRateLimitStore(redis);
});
afterAll(() => redis.close());

describe('atomic attempt reservations (issue 9 item 11)', () => {
  it('issue 9 item 11: of 1,000 concurrent attempts on one counter exactly the limit are let through', async () => {
    const outcomes = await Promise.all(Array.from({ length: 1000 }, () => store.reserve([counterFor('10.0.0.1')], T0)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(LIMIT.limit);
    const refused = outcomes.find((o) => !o.ok);
    expect(refused && !refused.ok && refused.limitedBy.scope).toBe('test');
    // Another subject is untouched.
    expect((await store.reserve([counterFor('10.0.0.2')], T0)).ok).toBe(true);
  });

  it('a released reservation (an attempt that was not a failure) gives its place back; a kept one counts until the window passes', async () => {
    const ip = '10.0.0.3';
    const held = [];
    for (let i = 0; i < LIMIT.limit; i++) held.push(await store.reserve([counterFor(ip)], T0 + i));
    expect((await store.reserve([counterFor(ip)], T0 + 100)).ok).toBe(false);
    const first = held[0]!;
    if (!first.ok) throw new Error('expected a reservation');
    await first.release();
    expect((await store.reserve([counterFor(ip)], T0 + 101)).ok).toBe(true);
    expect((await store.reserve([counterFor(ip)], T0 + 102)).ok).toBe(false);
    // Sliding window: once the oldest kept places are older than the window, room opens again.
    expect((await store.reserve([counterFor(ip)], T0 + LIMIT.windowMs + 5)).ok).toBe(true);
  });

  it('reserves in all counters or none: a full per-IP counter writes nothing into the per-user ones', async () => {
    const source = { username: 'someone', ip: '10.0.0.4', deviceNonce: null };
    const counters = loginCounters(source, 2);
    expect((await store.reserve(counters, T0)).ok).toBe(true);
    expect((await store.reserve(loginCounters({ ...source, username: 'other' }, 2), T0)).ok).toBe(true);
    const third = await store.reserve(loginCounters({ ...source, username: 'third' }, 2), T0);
    expect(third.ok ? null : third.limitedBy.scope).toBe('login-ip');
    // The refused attempt took no place in the (third, IP) counter: with room at the IP, all 5 are still there.
    const roomier = loginCounters({ ...source, username: 'third' }, 100);
    for (let i = 0; i < 5; i++) expect((await store.reserve(roomier, T0)).ok).toBe(true);
    const sixth = await store.reserve(roomier, T0);
    expect(sixth.ok ? null : sixth.limitedBy.scope).toBe('login-user-ip');
  });
});
