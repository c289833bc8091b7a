import type { Role } from '../../../shared/schemas/users';
import type { RedisClient } from '../../infra/redis';
import { keys } from '../keys';
import { LuaScript } from '../scripts';
import rollLua from '../scripts/studyRoll.lua?raw';
import type { UsersStore } from '../usersStore';

const rollScript = new LuaScript(rollLua);

/** A member on the roll as at the start: the name for the record, the role for the roster's "host" mark. */
export interface RollEntry {
  name: string;
  role: Role;
}

/** A session's roll (应到): the branch's active members at the start, kept as they were (names too) for the record. */
export function createRollStore(redis: RedisClient, users: UsersStore) {
  return {
    /** Takes the roll once; later calls keep the first. */
    async take(sessionId: string, branchId: string): Promise<boolean> {
      const members = (await users.list(branchId)).filter((u) => !u.disabled);
      const args = members.flatMap((u) => [u.id, JSON.stringify({ name: u.displayName, role: u.role } satisfies RollEntry)]);
      return (await rollScript.run(redis, [keys.studyRoll(sessionId)], args)) === 1;
    },

    /** userId -> entry as at the start (empty before the start). */
    async get(sessionId: string): Promise<Map<string, RollEntry>> {
      const h = await redis.hGetAll(keys.studyRoll(sessionId));
      return new Map(Object.entries(h).filter(([id]) => id !== '').map(([id, raw]) => [id, JSON.parse(raw) as RollEntry]));
    },
  };
}

export type RollStore = ReturnType<typeof createRollStore>;
