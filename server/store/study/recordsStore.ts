import type { MeetingRecord } from '../../../shared/schemas/study';
import type { RedisClient } from '../../infra/redis';
import { keys } from '../keys';
import { versionedDocs } from '../versionedDocs';

export type StoredRecord = Omit<MeetingRecord, 'version'>;

/** Meeting records: one versioned document per session (stale edits are refused in the same Lua step). */
export function createRecordsStore(redis: RedisClient) {
  const docs = versionedDocs<StoredRecord>(redis, keys.studyRecord, keys.studyRecordsAll());
  const markSubmitted = async (r: StoredRecord) => {
    if (r.status === 'submitted') await redis.zAdd(keys.studyRecordsSubmitted(), { score: r.startedAt, value: r.sessionId });
    else await redis.zRem(keys.studyRecordsSubmitted(), r.sessionId);
  };
  return {
    async save(r: StoredRecord, expectedVersion: number) {
      const saved = await docs.save(r.sessionId, r, expectedVersion, r.startedAt);
      // The index of records awaiting approval follows the saved status (a dashboard reads it, not every record).
      if (saved.ok) await markSubmitted(r);
      return saved;
    },
    get: docs.get,

    /** Records waiting for approval, oldest first; the index is built from the records once, the first time. */
    async submitted(): Promise<(StoredRecord & { version: number })[]> {
      if (!(await redis.exists(keys.studyRecordsSubmittedBuilt()))) {
        for (const r of await docs.all()) await markSubmitted(r);
        await redis.set(keys.studyRecordsSubmittedBuilt(), '1');
      }
      const records = await Promise.all((await redis.zRange(keys.studyRecordsSubmitted(), 0, -1)).map((id) => docs.get(id)));
      return records.filter((r): r is StoredRecord & { version: number } => r !== null && r.status === 'submitted');
    },
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
