import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../../server/infra/redis';
import { createLiveAnswersStore } from '../../../server/store/liveAnswersStore';
import { createGamesStore } from '../../../server/store/gamesStore';
import { basePoints, scoreAnswer, type ScoringRules } from '../../../server/domain/scoring';
import { testRedis } from '../../helpers/testApp';
import { keys } from '../../../server/store/keys';

let redis: RedisClient;
let store: ReturnType<typeof createLiveAnswersStore>;
let games: ReturnType<typeof createGamesStore>;
const rules = { speedBonus: true, streakBonus: true };

beforeAll(async () => {
  redis = await testRedis();
  store = createLiveAnswersStore(redis);
  games = createGamesStore(redis);
});
afterAll(() => redis.close());

/** Opens question `index`, opened `agoMs` before now by Redis's clock (the clock the answer script reads). */
async function openQuestion(gameId: string, index: number, agoMs = 0, limit = 20_000, r: ScoringRules = rules) {
  const openedAt = (await games.serverTime()) - agoMs;
  await store.writePhase(gameId, { phase: 'question', index, openedAt, closesAt: openedAt + limit }, limit, r);
  return openedAt;
}

describe('answer script', () => {
  it('accepts exactly one of many concurrent submissions for the same player and question', async () => {
    const openedAt = await openQuestion('g1', 0, 1000);
    const results = await Promise.all(Array.from({ length: 50 }, () => store.accept('g1', 'p1', 0, '0', true)));
    const accepted = results.filter((r) => r.ok);
    expect(accepted).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === 'ALREADY_ANSWERED')).toHaveLength(49);
    const time = await store.answerTime('g1', 0, 'p1');
    expect(await store.score('g1', 'p1')).toBe(basePoints(time! - openedAt, 20_000, true));
  });

  it('accepts none at or after the deadline (TOO_LATE), and none after an early close', async () => {
    await openQuestion('g2', 0, 20_000); // the deadline is now
    expect(await store.accept('g2', 'p1', 0, '1', true)).toEqual({ ok: false, code: 'TOO_LATE' });
    await openQuestion('g2', 0, 5_000);
    expect(await store.accept('g2', 'p2', 0, '1', true)).toMatchObject({ ok: true });
    await store.writePhase('g2', { phase: 'reveal', index: 0 }, 20_000, rules);
    expect(await store.accept('g2', 'p3', 0, '1', true)).toEqual({ ok: false, code: 'TOO_LATE' });
    expect(await store.accept('g2', 'p2', 0, '1', true)).toEqual({ ok: false, code: 'ALREADY_ANSWERED' });
  });

  it('refuses a question that is not open yet with WRONG_PHASE, and unknown games with NOT_FOUND', async () => {
    await store.writePhase('g3', { phase: 'lobby' }, 20_000, rules);
    expect(await store.accept('g3', 'p1', 0, '0', true)).toEqual({ ok: false, code: 'WRONG_PHASE' });
    await openQuestion('g3', 0);
    expect(await store.accept('g3', 'p1', 1, '0', true)).toEqual({ ok: false, code: 'WRONG_PHASE' });
    expect(await store.accept('nope', 'p1', 0, '0', true)).toEqual({ ok: false, code: 'NOT_FOUND' });
  });

  it('adds speed and streak points: three instant correct answers give 1000, 1100, 1200; a wrong one resets', async () => {
    const points: number[] = [];
    for (let i = 0; i < 3; i++) {
      await openQuestion('g4', i);
      const r = await store.accept('g4', 'p1', i, '0', true);
      if (r.ok) points.push(r.points);
    }
    expect(points).toEqual([1000, 1100, 1200]);
    await openQuestion('g4', 3);
    expect(await store.accept('g4', 'p1', 3, '2', false)).toMatchObject({ ok: true, points: 0 });
    await openQuestion('g4', 4, 10_000);
    expect(await store.accept('g4', 'p1', 4, '0', true)).toMatchObject({ ok: true, points: 750 });
    expect(await store.score('g4', 'p1')).toBe(1000 + 1100 + 1200 + 750);
  });

  it('issue 9 item 20: takes the time from Redis TIME, not from the caller: a deadline past by Redis time is TOO_LATE, points follow Redis time', async () => {
    // The caller cannot pass a time at all any more; its clock being off (here: a deadline that is "in the future"
    // by a process clock 10 s behind) changes nothing.
    const redisNow = await games.serverTime();
    const skewedProcessNow = redisNow - 10_000;
    await store.writePhase('g20', { phase: 'question', index: 0, openedAt: skewedProcessNow - 15_000, closesAt: redisNow - 1 }, 20_000, rules);
    expect(skewedProcessNow).toBeLessThan(redisNow - 1); // by the skewed clock the question is still open
    expect(await store.accept('g20', 'p1', 0, '0', true)).toEqual({ ok: false, code: 'TOO_LATE' });

    const openedAt = await openQuestion('g20b', 0, 4_000, 20_000, { speedBonus: true, streakBonus: false });
    const r = await store.accept('g20b', 'p1', 0, '0', true);
    if (!r.ok) throw new Error(r.code);
    expect(r.at).toBeGreaterThanOrEqual(openedAt + 4_000);
    expect(r.at).toBeLessThan(openedAt + 5_000);
    expect(await store.answerTime('g20b', 0, 'p1')).toBe(r.at);
    expect(r.points).toBe(basePoints(r.at - openedAt, 20_000, true));
  });
});

describe('issue 9: the scoring formula lives once', () => {
  // Each row: rules, time limit, how long after the open the answer comes, right or wrong, the streak before.
  const cases: { rules: ScoringRules; limit: number; elapsed: number; correct: boolean; streak: number }[] = [
    { rules, limit: 20_000, elapsed: 0, correct: true, streak: 0 },
    { rules, limit: 20_000, elapsed: 5_000, correct: true, streak: 1 },
    { rules, limit: 20_000, elapsed: 3_333, correct: true, streak: 2 },
    { rules, limit: 20_000, elapsed: 19_000, correct: true, streak: 9 },
    { rules, limit: 10_000, elapsed: 7_777, correct: true, streak: 4 },
    { rules, limit: 30_000, elapsed: 29_500, correct: false, streak: 3 },
    { rules: { speedBonus: false, streakBonus: true }, limit: 20_000, elapsed: 12_000, correct: true, streak: 5 },
    { rules: { speedBonus: true, streakBonus: false }, limit: 20_000, elapsed: 8_000, correct: true, streak: 6 },
    { rules: { speedBonus: false, streakBonus: false }, limit: 20_000, elapsed: 1_000, correct: true, streak: 2 },
    { rules, limit: 60_000, elapsed: 45_678, correct: true, streak: 0 },
  ];

  it.each(cases.map((c, i) => ({ ...c, i })))('the answer script scores case $i exactly as domain/scoring.ts scoreAnswer', async (c) => {
    const gameId = `parity-${c.i}`;
    if (c.streak > 0) await redis.hSet(keys.gameStreaks(gameId), 'p1', String(c.streak));
    const openedAt = await openQuestion(gameId, 0, c.elapsed, c.limit, c.rules);
    const r = await store.accept(gameId, 'p1', 0, '0', c.correct);
    if (!r.ok) throw new Error(r.code);
    const expected = scoreAnswer(c.correct, c.streak, r.at - openedAt, c.limit, c.rules);
    expect(r.points).toBe(expected.points);
    expect(Number(await redis.hGet(keys.gameStreaks(gameId), 'p1'))).toBe(expected.streak);
    expect(await store.score(gameId, 'p1')).toBe(expected.points);
  });
});

describe('close script', () => {
  it('closes a question exactly once when several timers fire together, and resets non-answerers\' streaks', async () => {
    await openQuestion('g5', 0);
    await redis.hSet(keys.gamePlayers('g5'), { p1: '{}', p2: '{}' });
    await redis.hSet(keys.gameStreaks('g5'), { p1: '2', p2: '3' });
    await store.accept('g5', 'p1', 0, '0', true);
    const results = await Promise.all(Array.from({ length: 10 }, () => store.close('g5', 0, true)));
    expect(results.filter((r) => r.closed)).toHaveLength(1);
    expect(await redis.hGetAll(keys.gameStreaks('g5'))).toEqual({ p1: '3', p2: '0' });
    expect(await store.accept('g5', 'p2', 0, '0', true)).toEqual({ ok: false, code: 'TOO_LATE' });
    expect(await store.close('g5', 0, true)).toEqual({ closed: false });
  });

  it('issue 9 item 20: a timer\'s close waits for the deadline by Redis time and says how long is left; a forced close does not', async () => {
    await openQuestion('g6', 0, 0, 20_000);
    const early = await store.close('g6', 0, false);
    expect(early.closed).toBe(false);
    expect(early).toHaveProperty('waitMs');
    expect((early as { waitMs: number }).waitMs).toBeGreaterThan(18_000);
    expect((early as { waitMs: number }).waitMs).toBeLessThanOrEqual(20_000);
    await openQuestion('g7', 0, 20_000, 20_000); // due now
    expect(await store.close('g7', 0, false)).toEqual({ closed: true });
    await openQuestion('g8', 0, 0, 20_000);
    expect(await store.close('g8', 0, true)).toEqual({ closed: true });
  });
});
