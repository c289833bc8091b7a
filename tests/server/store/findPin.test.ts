import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedis } from '../../helpers/testApp';
import type { RedisClient } from '../../../server/infra/redis';
import { createGamesStore } from '../../../server/store/gamesStore';
import { keys } from '../../../server/store/keys';
import { PIN_LOOKUP_LIMIT } from '../../../server/domain/attemptLimits';

let redis: RedisClient;
beforeAll(async () => {
  redis = await testRedis();
  await redis.hSet(keys.gamePins(), '123456', 'game-1');
});
afterAll(() => redis.close());

const T0 = 1_800_000_000_000;

describe('PIN lookups and their failure limit in one step (issue 9 item 11, the PIN limiter)', () => {
  it('a burst of 1,000 wrong PINs from one address gets at most 30 answered; a right PIN after them is refused too', async () => {
    const games = createGamesStore(redis);
    const wrong = Array.from({ length: 1000 }, (_, i) => games.findByPinLimited(String(200000 + i), '10.0.0.1', T0, PIN_LOOKUP_LIMIT));
    const results = await Promise.all([...wrong, games.findByPinLimited('123456', '10.0.0.1', T0, PIN_LOOKUP_LIMIT)]);
    const refused = (code: string) => results.filter((r) => 'refused' in r && r.refused === code).length;
    expect(refused('NOT_FOUND')).toBe(PIN_LOOKUP_LIMIT.limit);
    expect(refused('RATE_LIMITED')).toBe(1001 - PIN_LOOKUP_LIMIT.limit);
    expect(results.at(-1)).toEqual({ refused: 'RATE_LIMITED' });
    // The window passes: the address may look again.
    expect(await games.findByPinLimited('123456', '10.0.0.1', T0 + PIN_LOOKUP_LIMIT.windowMs + 1, PIN_LOOKUP_LIMIT)).toEqual({ gameId: 'game-1' });
  });

  it('right PINs take no capacity: 500 members of one office join at once, all found', async () => {
    const games = createGamesStore(redis);
    const results = await Promise.all(Array.from({ length: 500 }, () => games.findByPinLimited('123456', '10.0.0.2', T0, PIN_LOOKUP_LIMIT)));
    expect(results.every((r) => 'gameId' in r && r.gameId === 'game-1')).toBe(true);
    expect(await redis.zCard(keys.rateLimit('pin', '10.0.0.2'))).toBe(0);
  });
});
