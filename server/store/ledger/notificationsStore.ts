import type { RedisClient } from '../../infra/redis';
import { keys } from '../keys';

export interface StoredNotification {
  id: string;
  kind: 'reminder';
  at: number;
  fromName: string;
  message: string;
  read: boolean;
}

const KEEP = 50;

/** A member's in-app notifications, newest first; the oldest fall off after 50. */
export function createNotificationsStore(redis: RedisClient) {
  return {
    /** Adds a reminder unless the member had one in the last `everyMs` (one atomic SET NX decides); false if not. */
    async addReminder(memberId: string, n: StoredNotification, everyMs: number): Promise<boolean> {
      if ((await redis.set(keys.reminderGate(memberId), String(n.at), { NX: true, PX: everyMs })) !== 'OK') return false;
      await this.add(memberId, n);
      return true;
    },
    async add(memberId: string, n: StoredNotification): Promise<void> {
      await redis.multi().lPush(keys.notifications(memberId), JSON.stringify(n)).lTrim(keys.notifications(memberId), 0, KEEP - 1).exec();
    },
    async list(memberId: string): Promise<StoredNotification[]> {
      return (await redis.lRange(keys.notifications(memberId), 0, -1)).map((raw) => JSON.parse(raw) as StoredNotification);
    },
    /** Marks them read, all in one step so a concurrent add is not lost. */
    async markAllRead(memberId: string): Promise<void> {
      const key = keys.notifications(memberId);
      await redis.eval(
        "local n = redis.call('LLEN', KEYS[1]) for i = 0, n - 1 do local v = cjson.decode(redis.call('LINDEX', KEYS[1], i)) if not v.read then v.read = true redis.call('LSET', KEYS[1], i, cjson.encode(v)) end end return n",
        { keys: [key], arguments: [] },
      );
    },
  };
}

export type NotificationsStore = ReturnType<typeof createNotificationsStore>;
