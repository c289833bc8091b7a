import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../../server/infra/redis';
import { createLiveAnswersStore } from '../../../server/store/liveAnswersStore';
import { basePoints } from '../../../server/domain/scoring';
import { testRedis } from '../../helpers/testApp';
import { keys } from '../../../server/store/keys';

let redis: RedisClient;
let store: ReturnType<typeof createLiveAnswersStore>;
const rules = { speedBonus: true, streakBonus: true };
const T0 = 1_700_000_000_000;

beforeAll(async () => {
  redis = await testRedis();
  store = createLiveAnswersStore(redis);
});
afterAll(() => redis.close());

const openQuestion = (gameId: string, index: number, openedAt = T0, limit = 20_000) =>
  store.writePhase(gameId, { phase: 'question', index, openedAt, closesAt: openedAt + limit }, limit, rules);

describe('answer script', () => {
  it('accepts exactly one of many concurrent submissions for the same player and question', async () => {
    await openQuestion('g1', 0);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.accept('g1', 'p1', 0, T0 + 1000 + i, '0', true)));
    const accepted = results.filter((r) => r.ok);
    expect(accepted).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === 'ALREADY_ANSWERED')).toHaveLength(49);
    const time = await store.answerTime('g1', 0, 'p1');
    expect(await store.score('g1', 'p1')).toBe(basePoints(time! - T0, 20_000, true));
  });

  it('accepts none at or after the deadline (TOO_LATE), and none after an early close', async () => {
    await openQuestion('g2', 0);
    expect(await store.accept('g2', 'p1', 0, T0 + 20_000, '1', true)).toEqual({ ok: false, code: 'TOO_LATE' });
    expect(await store.accept('g2', 'p2', 0, T0 + 19_999, '1', true)).toMatchObject({ ok: true });
    await store.writePhase('g2', { phase: 'reveal', index: 0 }, 20_000, rules);
    expect(await store.accept('g2', 'p3', 0, T0 + 5_000, '1', true)).toEqual({ ok: false, code: 'TOO_LATE' });
    expect(await store.accept('g2', 'p2', 0, T0 + 5_000, '1', true)).toEqual({ ok: false, code: 'ALREADY_ANSWERED' });
  });

  it('refuses a question that is not open yet with WRONG_PHASE, and unknown games with NOT_FOUND', async () => {
    await store.writePhase('g3', { phase: 'lobby' }, 20_000, rules);
    expect(await store.accept('g3', 'p1', 0, T0, '0', true)).toEqual({ ok: false, code: 'WRONG_PHASE' });
    await openQuestion('g3', 0);
    expect(await store.accept('g3', 'p1', 1, T0, '0', true)).toEqual({ ok: false, code: 'WRONG_PHASE' });
    expect(await store.accept('nope', 'p1', 0, T0, '0', true)).toEqual({ ok: false, code: 'NOT_FOUND' });
  });

  it('adds speed and streak points: three instant correct answers give 1000, 1100, 1200; a wrong one resets', async () => {
    const points: number[] = [];
    for (let i = 0; i < 3; i++) {
      await openQuestion('g4', i, T0 + i * 60_000);
      const r = await store.accept('g4', 'p1', i, T0 + i * 60_000, '0', true);
      if (r.ok) points.push(r.points);
    }
    expect(points).toEqual([1000, 1100, 1200]);
    await openQuestion('g4', 3, T0 + 300_000);
    expect(await store.accept('g4', 'p1', 3, T0 + 300_000, '2', false)).toMatchObject({ ok: true, points: 0 });
    await openQuestion('g4', 4, T0 + 400_000);
    expect(await store.accept('g4', 'p1', 4, T0 + 410_000, '0', true)).toMatchObject({ ok: true, points: 750 });
    expect(await store.score('g4', 'p1')).toBe(1000 + 1100 + 1200 + 750);
  });
});

describe('close script', () => {
  it('closes a question exactly once when several timers fire together, and resets non-answerers\' streaks', async () => {
    await openQuestion('g5', 0);
    await redis.hSet(keys.gamePlayers('g5'), { p1: '{}', p2: '{}' });
    await redis.hSet(keys.gameStreaks('g5'), { p1: '2', p2: '3' });
    await store.accept('g5', 'p1', 0, T0 + 100, '0', true);
    const results = await Promise.all(Array.from({ length: 10 }, () => store.close('g5', 0)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await redis.hGetAll(keys.gameStreaks('g5'))).toEqual({ p1: '3', p2: '0' });
    expect(await store.accept('g5', 'p2', 0, T0 + 200, '0', true)).toEqual({ ok: false, code: 'TOO_LATE' });
    expect(await store.close('g5', 0)).toBe(false);
  });
});
