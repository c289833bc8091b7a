import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../infra/redis';
import { keys } from './keys';
import { LuaScript } from './scripts';
import slidingWindowLua from './scripts/slidingWindow.lua?raw';

const slidingWindow = new LuaScript(slidingWindowLua);

/** Sliding-window counters in Redis, so every server process sees the same counts. */
export function createRateLimitStore(redis: RedisClient) {
  const run = async (scope: string, subject: string, now: number, windowMs: number, record: boolean) =>
    Number(
      await slidingWindow.run(redis, [keys.rateLimit(scope, subject)], [
        now,
        windowMs,
        `${now}-${randomBytes(4).toString('hex')}`,
        record ? 1 : 0,
      ]),
    );
  return {
    count: (scope: string, subject: string, now: number, windowMs: number) => run(scope, subject, now, windowMs, false),
    record: (scope: string, subject: string, now: number, windowMs: number) => run(scope, subject, now, windowMs, true),
  };
}

export type RateLimitStore = ReturnType<typeof createRateLimitStore>;
