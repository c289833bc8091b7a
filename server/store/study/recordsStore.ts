import type { MeetingRecord } from '../../../shared/schemas/study';
import type { RedisClient } from '../../infra/redis';
import { keys } from '../keys';
import { versionedDocs } from '../versionedDocs';

export type StoredRecord = Omit<MeetingRecord, 'version'>;

/** Meeting records: one versioned document per session (stale edits are refused in the same Lua step). */
export function createRecordsStore(redis: RedisClient) {
  const docs = versionedDocs<StoredRecord>(redis, keys.studyRecord, keys.studyRecordsAll());
  return {
    save: (r: StoredRecord, expectedVersion: number) => docs.save(r.sessionId, r, expectedVersion, r.startedAt),
    get: docs.get,
    all: docs.all,
    async between(from: number, to: number): Promise<(StoredRecord & { version: number })[]> {
      const ids = await docs.idsBetween(from, to);
      const records = await Promise.all(ids.map((id) => docs.get(id)));
      return records.filter((r): r is StoredRecord & { version: number } => r !== null);
    },

    /** A member's 心得体会 for a session (their latest text replaces the earlier one). */
    async saveReflection(sessionId: string, userId: string, text: string, at: number): Promise<void> {
      await redis.hSet(keys.studyReflections(sessionId), userId, JSON.stringify({ text, at }));
    },
    async reflections(sessionId: string): Promise<Map<string, { text: string; at: number }>> {
      const h = await redis.hGetAll(keys.studyReflections(sessionId));
      return new Map(Object.entries(h).map(([id, raw]) => [id, JSON.parse(raw) as { text: string; at: number }]));
    },
  };
}

export type RecordsStore = ReturnType<typeof createRecordsStore>;
