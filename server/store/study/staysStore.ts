import type { StayInterval } from '../../domain/study/attendance';
import type { RedisClient } from '../../infra/redis';
import { keys } from '../keys';
import { LuaScript } from '../scripts';
import departLua from '../scripts/studyDepart.lua?raw';
import closeProcessLua from '../scripts/studyCloseProcess.lua?raw';

const departScript = new LuaScript(departLua);
const closeProcessScript = new LuaScript(closeProcessLua);

/** A socket in a study session now. */
export interface OpenSocket {
  socketId: string;
  userId: string;
  processId: string;
  from: number;
  hidden: boolean;
}

const ALIVE = (id: string) => [keys.studySockets(id), keys.studyStays(id), keys.studyHidden(id)];

/**
 * The sockets of a study session and the stays they leave behind: the raw evidence of attendance, kept for audit.
 * Only inside a live session: Tongpin tracks nobody's presence anywhere else.
 */
export function createStaysStore(redis: RedisClient) {
  return {
    async arrive(id: string, socket: Omit<OpenSocket, 'hidden'>): Promise<void> {
      const { socketId, ...rest } = socket;
      await redis.multi().hSet(keys.studySockets(id), socketId, JSON.stringify(rest)).sAdd(keys.studySeen(id), socket.userId).exec();
    },

    /** Returns whether the socket was there (a repeated depart closes nothing twice). */
    async depart(id: string, socketId: string, at: number): Promise<boolean> {
      return (await departScript.run(redis, ALIVE(id), [socketId, at])) === 1;
    },

    /** `visibilitychange` of one socket: drives "away" on the roster, nothing else. */
    async setHidden(id: string, socketId: string, hidden: boolean): Promise<void> {
      if (hidden) await redis.hSet(keys.studyHidden(id), socketId, '1');
      else await redis.hDel(keys.studyHidden(id), socketId);
    },

    async sockets(id: string): Promise<OpenSocket[]> {
      const [all, hidden] = await Promise.all([redis.hGetAll(keys.studySockets(id)), redis.hGetAll(keys.studyHidden(id))]);
      return Object.entries(all).map(([socketId, raw]) => ({ socketId, ...(JSON.parse(raw) as Omit<OpenSocket, 'socketId' | 'hidden'>), hidden: socketId in hidden }));
    },

    /** Closes a dead process's sockets at its last heartbeat, or (processId '*') everyone's at the end. */
    async closeProcess(id: string, processId: string | '*', at: number): Promise<number> {
      return Number(await closeProcessScript.run(redis, ALIVE(id), [processId, at]));
    },

    /** Everyone who has had a socket in the session (left = seen, with no socket now). */
    seen: (id: string) => redis.sMembers(keys.studySeen(id)),

    /** Processes of this session's presence whose last heartbeat (Redis time) is older than `windowMs`. */
    async staleProcesses(id: string, windowMs: number): Promise<{ processId: string; lastBeat: number }[]> {
      const [seconds, micros] = await redis.time();
      const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      const rows = await redis.zRangeByScoreWithScores(keys.studyPresenceProcesses(id), '-inf', `(${now - windowMs}`);
      return rows.map((r) => ({ processId: r.value, lastBeat: r.score }));
    },

    /** Every closed stay, per user, plus the sockets still open (their `to` is null). */
    async staysByUser(id: string): Promise<Map<string, StayInterval[]>> {
      const [closed, open] = await Promise.all([redis.lRange(keys.studyStays(id), 0, -1), redis.hGetAll(keys.studySockets(id))]);
      const byUser = new Map<string, StayInterval[]>();
      const add = (userId: string, stay: StayInterval) => byUser.set(userId, [...(byUser.get(userId) ?? []), stay]);
      for (const raw of closed) {
        const s = JSON.parse(raw) as { userId: string; from: number; to: number };
        add(s.userId, { from: s.from, to: s.to });
      }
      for (const raw of Object.values(open)) {
        const s = JSON.parse(raw) as { userId: string; from: number };
        add(s.userId, { from: s.from, to: null });
      }
      return byUser;
    },
  };
}

export type StaysStore = ReturnType<typeof createStaysStore>;
