import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../infra/redis';
import { keys } from './keys';

export interface Session {
  id: string;
  userId: string;
}

/** Sessions expire after idleMs without use; each use pushes the expiry out again. */
export function createSessionsStore(redis: RedisClient, idleMs: number) {
  return {
    async create(userId: string, now: number): Promise<Session> {
      const id = randomBytes(24).toString('base64url');
      await redis
        .multi()
        .hSet(keys.session(id), { userId, createdAt: String(now) })
        .pExpire(keys.session(id), idleMs)
        .sAdd(keys.userSessions(userId), id)
        .exec();
      return { id, userId };
    },

    /** Reads a session and renews its idle expiry in one round trip. */
    async touch(id: string): Promise<Session | null> {
      const [data] = (await redis
        .multi()
        .hGetAll(keys.session(id))
        .pExpire(keys.session(id), idleMs)
        .exec()) as unknown as [Record<string, string>, number];
      return data?.userId ? { id, userId: data.userId } : null;
    },

    async destroy(session: Session): Promise<void> {
      await redis.multi().del(keys.session(session.id)).sRem(keys.userSessions(session.userId), session.id).exec();
    },

    /** Ends every session of a user, optionally keeping one; returns the ids ended. */
    async destroyAllFor(userId: string, keep?: string): Promise<string[]> {
      const ids = (await redis.sMembers(keys.userSessions(userId))).filter((id) => id !== keep);
      if (ids.length === 0) return [];
      const multi = redis.multi();
      for (const id of ids) multi.del(keys.session(id));
      multi.sRem(keys.userSessions(userId), ids);
      await multi.exec();
      return ids;
    },
  };
}

export type SessionsStore = ReturnType<typeof createSessionsStore>;
