import type { RedisClient } from '../infra/redis';
import { LuaScript } from './scripts';
import joinLua from './scripts/presenceJoin.lua?raw';
import leaveLua from './scripts/presenceLeave.lua?raw';
import beatLua from './scripts/presenceBeat.lua?raw';
import reapLua from './scripts/presenceReap.lua?raw';

const joinScript = new LuaScript(joinLua);
const leaveScript = new LuaScript(leaveLua);
const beatScript = new LuaScript(beatLua);
const reapScript = new LuaScript(reapLua);

/**
 * Where one scope's presence lives (a live game, a study session …). All keys of a scope should share a hash tag.
 * `counter` names the hash field that counts members with at least one socket anywhere.
 */
export interface PresenceScope {
  /** member -> sockets, over all processes */
  members: string;
  /** sorted set: process id -> its last heartbeat (Redis time, ms) */
  processes: string;
  /** member -> sockets, of one process */
  ofProcess(processId: string): string;
  counter: { key: string; field: string };
}

/** Presence keys outlive a quiet scope by this much; a heartbeat or a join renews them. */
const KEY_TTL_MS = 24 * 3600_000;

/** Counts sockets per member and per process, so a process that died stops counting once its heartbeat is stale. */
export function createPresenceStore(redis: RedisClient) {
  const keysOf = (scope: PresenceScope, processId: string) => [scope.members, scope.processes, scope.ofProcess(processId), scope.counter.key];
  return {
    /** One more socket of `member` on `processId`; returns how many members are present. */
    async join(scope: PresenceScope, member: string, processId: string): Promise<number> {
      return Number(await joinScript.run(redis, keysOf(scope, processId), [member, processId, scope.counter.field, KEY_TTL_MS]));
    },

    /** One socket fewer; returns how many members are present. */
    async leave(scope: PresenceScope, member: string, processId: string): Promise<number> {
      return Number(await leaveScript.run(redis, keysOf(scope, processId), [member, processId, scope.counter.field]));
    },

    /** Renews the process's heartbeat; false when it had been taken for dead (its sockets must be registered again). */
    async beat(scope: PresenceScope, processId: string): Promise<boolean> {
      return (await beatScript.run(redis, [scope.processes, scope.ofProcess(processId)], [processId, KEY_TTL_MS])) === 1;
    },

    /** Processes whose last heartbeat is older than `windowMs` by Redis time. */
    async staleProcesses(scope: PresenceScope, windowMs: number): Promise<string[]> {
      const [seconds, micros] = await redis.time();
      const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      return redis.zRangeByScore(scope.processes, '-inf', `(${now - windowMs}`);
    },

    /** Takes back the counts of the given processes if they are still stale; returns how many were. */
    async reap(scope: PresenceScope, processIds: string[], windowMs: number): Promise<number> {
      if (processIds.length === 0) return 0;
      const keys = [scope.members, scope.processes, scope.counter.key, ...processIds.map((p) => scope.ofProcess(p))];
      return Number(await reapScript.run(redis, keys, [scope.counter.field, windowMs, ...processIds]));
    },

    /** How many members are present (the counter). */
    async count(scope: PresenceScope): Promise<number> {
      return Number((await redis.hGet(scope.counter.key, scope.counter.field)) ?? 0);
    },
  };
}

export type PresenceStore = ReturnType<typeof createPresenceStore>;
