import type { RedisClient } from '../infra/redis';
import { LuaScript } from './scripts';
import saveVersionedLua from './scripts/saveVersioned.lua?raw';

const saveScript = new LuaScript(saveVersionedLua);

export type VersionedSave = { ok: true; version: number } | { ok: false; reason: 'missing' | 'stale' | 'exists' };

/**
 * JSON documents with an optimistic version, for any area that edits through "PUT with version; stale -> 409":
 * the check and the write are one Lua step, so two editors can never both win.
 */
export function versionedDocs<T extends object>(redis: RedisClient, docKey: (id: string) => string, indexKey: string) {
  const parse = (h: Record<string, string>): (T & { version: number }) | null => (h.json ? { ...(JSON.parse(h.json) as T), version: Number(h.version) } : null);

  return {
    /** expectedVersion 0 creates (refused when the id exists); otherwise the stored version must match. A companion value is written in the same step. */
    async save(id: string, doc: T, expectedVersion: number, score: number, companion?: { key: string; value: string }): Promise<VersionedSave> {
      const keyList = companion ? [docKey(id), indexKey, companion.key] : [docKey(id), indexKey];
      const args = [id, expectedVersion, JSON.stringify(doc), score, ...(companion ? [companion.value] : [])];
      const result = Number(await saveScript.run(redis, keyList, args));
      if (result > 0) return { ok: true, version: result };
      return { ok: false, reason: result === 0 ? 'missing' : result === -1 ? 'stale' : 'exists' };
    },

    async get(id: string): Promise<(T & { version: number }) | null> {
      return parse(await redis.hGetAll(docKey(id)));
    },

    /** Every document of the index, highest score first. */
    async all(): Promise<(T & { version: number })[]> {
      const ids = await redis.zRange(indexKey, 0, -1, { REV: true });
      if (ids.length === 0) return [];
      const multi = redis.multi();
      for (const id of ids) multi.hGetAll(docKey(id));
      const replies = (await multi.execAsPipeline()) as unknown as Record<string, string>[];
      return replies.map(parse).filter((d): d is T & { version: number } => d !== null);
    },

    /** Ids with scores in [min, max] (e.g. sessions planned in a period). */
    async idsBetween(min: number, max: number): Promise<string[]> {
      return redis.zRangeByScore(indexKey, min, max);
    },
  };
}
