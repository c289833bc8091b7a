import type { RedisClient } from '../../infra/redis';
import { keys } from '../keys';

/** Whether the one-off backfill of the study record has run on this Redis (and when it last finished). */
export function createLedgerBackfillStore(redis: RedisClient) {
  return {
    async finishedAt(): Promise<number | null> {
      const raw = await redis.get(keys.ledgerBackfilled());
      return raw === null ? null : Number(raw);
    },
    async markFinished(at: number): Promise<void> {
      await redis.set(keys.ledgerBackfilled(), String(at));
    },
  };
}

export type LedgerBackfillStore = ReturnType<typeof createLedgerBackfillStore>;
