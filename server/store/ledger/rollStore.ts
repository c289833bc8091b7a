import type { RedisClient } from '../../infra/redis';
import type { RollInterval } from '../../domain/ledger/participation';
import { keys } from '../keys';
import { LuaScript } from '../scripts';
import ledgerRollLua from '../scripts/ledgerRoll.lua?raw';

const rollScript = new LuaScript(ledgerRollLua);

/** Who was on a branch's roll when: participation counts members for the part of a period they were on it. */
export function createLedgerRollStore(redis: RedisClient) {
  return {
    async join(branchId: string, memberId: string, at: number): Promise<void> {
      await rollScript.run(redis, [keys.ledgerRoll(branchId)], [memberId, at, 'join']);
    },
    async leave(branchId: string, memberId: string, at: number): Promise<void> {
      await rollScript.run(redis, [keys.ledgerRoll(branchId)], [memberId, at, 'leave']);
    },
    /** Per branch: member id -> stretches on the roll. */
    async of(branchIds: string[]): Promise<Map<string, Map<string, RollInterval[]>>> {
      const multi = redis.multi();
      for (const b of branchIds) multi.hGetAll(keys.ledgerRoll(b));
      const replies = (await multi.execAsPipeline()) as unknown as Record<string, string>[];
      return new Map(
        branchIds.map((b, i) => [b, new Map(Object.entries(replies[i] ?? {}).map(([m, raw]) => [m, (JSON.parse(raw) as [number, number | null][]).map(([f, t]) => [f, t ?? null] as RollInterval)]))]),
      );
    },
  };
}

export type LedgerRollStore = ReturnType<typeof createLedgerRollStore>;
