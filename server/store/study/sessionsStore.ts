import type { StudySession } from '../../../shared/schemas/study';
import type { RedisClient } from '../../infra/redis';
import { keys } from '../keys';
import { versionedDocs } from '../versionedDocs';

export type StoredStudySession = Omit<StudySession, 'version'>;

/** Study sessions as versioned documents indexed by planned time; every status change is a versioned write. */
export function createStudySessionsStore(redis: RedisClient) {
  const docs = versionedDocs<StoredStudySession>(redis, keys.studySession, keys.studySessionsAll());
  return {
    save: (s: StoredStudySession, expectedVersion: number) => docs.save(s.id, s, expectedVersion, s.plannedAt),
    get: docs.get,
    all: docs.all,
    /** Sessions live now (the sweep visits only these). */
    async setLive(id: string, live: boolean): Promise<void> {
      if (live) await redis.sAdd(keys.studyLiveAll(), id);
      else await redis.sRem(keys.studyLiveAll(), id);
    },
    liveIds: () => redis.sMembers(keys.studyLiveAll()),

    async remove(id: string): Promise<boolean> {
      const [deleted] = (await redis.multi().del(keys.studySession(id)).zRem(keys.studySessionsAll(), id).exec()) as unknown as [number];
      return deleted === 1;
    },
  };
}

export type StudySessionsStore = ReturnType<typeof createStudySessionsStore>;
