import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../../server/infra/redis';
import { createCardsStore, decodeCard, encodeCard } from '../../../server/store/review/cardsStore';
import { createSittingsStore } from '../../../server/store/review/sittingsStore';
import { createScheduler } from '../../../server/services/review/scheduler';
import { dayKey, nextDays } from '../../../server/domain/review/day';
import { keys } from '../../../server/store/keys';
import { testRedis } from '../../helpers/testApp';

let redis: RedisClient;
beforeAll(async () => {
  redis = await testRedis();
});
afterAll(() => redis.close());

const T0 = Date.parse('2026-12-01T02:00:00Z');

describe('issue 11: review cards in Redis', () => {
  it('a card survives its compact encoding (FSRS fields, last review, question version)', () => {
    const s = createScheduler();
    let card = s.review(null, 'good', T0).card;
    card = s.review(card, 'good', T0 + 600_000).card;
    card = s.review(card, 'again', T0 + 5 * 86_400_000).card;
    const stored = { ...card, questionVersion: 3 };
    const back = decodeCard(encodeCard(stored));
    expect(back).toEqual({ ...stored, stability: Number(card.stability.toPrecision(6)), difficulty: Number(card.difficulty.toPrecision(6)) });
    // Scheduling from the decoded card gives the same next due date as from the exact one.
    expect(s.review(back, 'good', T0 + 6 * 86_400_000).card.due).toBe(s.review(card, 'good', T0 + 6 * 86_400_000).card.due);
  });

  it('300 cards of one member take under 300 bytes each in Redis (MEMORY USAGE of the hash)', async () => {
    const cards = createCardsStore(redis);
    const s = createScheduler();
    const member = 'm_memory_usage';
    for (let i = 0; i < 300; i++) {
      const { card, log } = s.review(i % 3 ? s.review(null, 'good', T0).card : null, i % 5 ? 'good' : 'again', T0 + 700_000);
      await cards.save(member, `q${String(i).padStart(10, '0')}abcdefghij`, { ...card, questionVersion: 1 + (i % 4) }, { ...log, source: 'daily' });
    }
    const bytes = Number(await redis.sendCommand(['MEMORY', 'USAGE', keys.reviewCards(member), 'SAMPLES', '0']));
    console.info(`review card memory: ${(bytes / 300).toFixed(1)} bytes per card`);
    expect(bytes / 300).toBeLessThan(300);
    expect((await cards.all(member)).size).toBe(300);
    expect(await redis.lLen(keys.reviewLog(member))).toBe(300);
  });

  it('an attemptId is claimed once: 20 claims at once give one winner, the others the winner\'s result', async () => {
    const sittings = createSittingsStore(redis);
    const claims = Promise.all(Array.from({ length: 20 }, () => sittings.claimAttempt('m_claims', 'a1')));
    await new Promise((r) => setTimeout(r, 50));
    await sittings.finishAttempt('m_claims', 'a1', { correct: true });
    const results = await claims;
    expect(results.filter((c) => c.claimed)).toHaveLength(1);
    expect(results.filter((c) => !c.claimed)).toEqual(Array.from({ length: 19 }, () => ({ claimed: false, result: { correct: true } })));
  });

  it('the day changes at midnight in the organisation time zone, not UTC', () => {
    // 15:59:59 UTC is 23:59:59 in Shanghai; a second later it is the next day there.
    expect(dayKey(Date.parse('2026-12-01T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-12-01');
    expect(dayKey(Date.parse('2026-12-01T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-12-02');
    expect(dayKey(Date.parse('2026-12-01T16:00:00Z'), 'UTC')).toBe('2026-12-01');
    expect(nextDays(Date.parse('2026-12-30T02:00:00Z'), 7, 'Asia/Shanghai')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04', '2027-01-05']);
  });
});

describe('issue 11: review configuration', () => {
  it('REVIEW_DAILY_COUNT (default 5, 1-50), REVIEW_TAGS (comma-separated, empty = all), ORG_TIME_ZONE (default Asia/Shanghai, checked)', async () => {
    const { loadConfig } = await import('../../../server/config');
    expect(loadConfig({})).toMatchObject({ reviewDailyCount: 5, reviewTags: [], orgTimeZone: 'Asia/Shanghai' });
    expect(loadConfig({ REVIEW_DAILY_COUNT: '10', REVIEW_TAGS: ' 党章, 纪律处分条例 ,', ORG_TIME_ZONE: 'Europe/Berlin' })).toMatchObject({
      reviewDailyCount: 10,
      reviewTags: ['党章', '纪律处分条例'],
      orgTimeZone: 'Europe/Berlin',
    });
    expect(() => loadConfig({ REVIEW_DAILY_COUNT: '0' })).toThrow(/REVIEW_DAILY_COUNT/);
    expect(() => loadConfig({ ORG_TIME_ZONE: 'Mars/Base' })).toThrow(/ORG_TIME_ZONE/);
  });
});
