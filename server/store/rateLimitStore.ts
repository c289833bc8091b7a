import { randomBytes } from 'node:crypto';
import type { AttemptCounter } from '../domain/attemptLimits';
import type { RedisClient } from '../infra/redis';
import { keys } from './keys';
import { LuaScript } from './scripts';
import reserveAttemptLua from './scripts/reserveAttempt.lua?raw';

const reserveAttempt = new LuaScript(reserveAttemptLua);

/** A place held in every counter of an attempt; give it back when the attempt turned out not to be a failure. */
export interface Reservation {
  release(): Promise<void>;
}

export type ReserveOutcome = ({ ok: true } & Reservation) | { ok: false; limitedBy: AttemptCounter };

/** Sliding-window counters in Redis, so every server process sees the same counts. */
export function createRateLimitStore(redis: RedisClient) {
  return {
    /**
     * Reserves one attempt in all the counters in one atomic step, before the attempt is checked: however many
     * arrive at once, no more than each limit are ever let through. Refused (`ok: false`) when one is full.
     */
    async reserve(counters: AttemptCounter[], now: number): Promise<ReserveOutcome> {
      const keyList = counters.map((c) => keys.rateLimit(c.scope, c.subject));
      const member = `${now}-${randomBytes(8).toString('hex')}`;
      const args = [now, member, ...counters.flatMap((c) => [c.limit, c.windowMs])];
      const full = Number(await reserveAttempt.run(redis, keyList, args));
      if (full > 0) return { ok: false, limitedBy: counters[full - 1]! };
      return {
        ok: true,
        async release() {
          const multi = redis.multi();
          for (const key of keyList) multi.zRem(key, member);
          await multi.exec();
        },
      };
    },
  };
}

export type RateLimitStore = ReturnType<typeof createRateLimitStore>;
