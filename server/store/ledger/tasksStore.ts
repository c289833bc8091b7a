import type { Task } from '../../../shared/schemas/tasks';
import type { RedisClient } from '../../infra/redis';
import { keys } from '../keys';
import { LuaScript } from '../scripts';
import taskDoneLua from '../scripts/taskDone.lua?raw';

const doneScript = new LuaScript(taskDoneLua);

const parse = (raw: string | null | undefined): Task | null => (raw ? (JSON.parse(raw) as Task) : null);

/** Study tasks: the task documents, their indexes (by due date, by branch, by member) and who finished each. */
export function createTasksStore(redis: RedisClient) {
  async function getMany(ids: string[]): Promise<Task[]> {
    if (ids.length === 0) return [];
    const raws = await redis.mGet(ids.map((id) => keys.task(id)));
    return raws.map(parse).filter((t): t is Task => t !== null);
  }

  return {
    /** Writes the task and its indexes in one MULTI, so a task is never half listed. */
    async create(task: Task): Promise<void> {
      const multi = redis.multi().set(keys.task(task.id), JSON.stringify(task)).zAdd(keys.tasksByDue(), { score: task.due, value: task.id });
      for (const b of task.branchIds ?? []) multi.sAdd(keys.tasksOfBranch(b), task.id);
      for (const m of task.memberIds ?? []) multi.sAdd(keys.tasksOfMember(m), task.id);
      await multi.exec();
    },

    get: async (id: string): Promise<Task | null> => parse(await redis.get(keys.task(id))),
    getMany,

    /** Tasks due in [start, end), soonest first. */
    async dueBetween(start: number, end: number): Promise<Task[]> {
      return getMany(await redis.zRangeByScore(keys.tasksByDue(), start, `(${end}`));
    },

    /** The tasks that reach a member: given to their branch, or to them by name. */
    async ofMember(memberId: string, branchId: string | null): Promise<Task[]> {
      return (await this.ofMembers([{ memberId, branchId }]))[0]!;
    },

    /** The same for many (member, branch) pairs in two round trips: a finished game's players, a backfill batch. */
    async ofMembers(pairs: { memberId: string; branchId: string | null }[]): Promise<Task[][]> {
      if (pairs.length === 0) return [];
      const multi = redis.multi();
      for (const { memberId, branchId } of pairs) multi.sUnion([keys.tasksOfMember(memberId), ...(branchId ? [keys.tasksOfBranch(branchId)] : [])]);
      const idLists = (await multi.execAsPipeline()) as unknown as string[][];
      const tasks = new Map((await getMany([...new Set(idLists.flat())])).map((t) => [t.id, t]));
      return idLists.map((ids) => ids.map((id) => tasks.get(id)).filter((t): t is Task => t !== undefined));
    },

    /** Member id -> when they finished the task. */
    async doneOf(taskId: string): Promise<Map<string, number>> {
      return new Map(Object.entries(await redis.hGetAll(keys.taskDone(taskId))).map(([m, at]) => [m, Number(at)]));
    },

    /** Many tasks' done hashes in one round trip. */
    async doneOfMany(taskIds: string[]): Promise<Map<string, Map<string, number>>> {
      if (taskIds.length === 0) return new Map();
      const multi = redis.multi();
      for (const id of taskIds) multi.hGetAll(keys.taskDone(id));
      const replies = (await multi.execAsPipeline()) as unknown as Record<string, string>[];
      return new Map(taskIds.map((id, i) => [id, new Map(Object.entries(replies[i] ?? {}).map(([m, at]) => [m, Number(at)]))]));
    },

    /** For one member: which of these tasks they finished. */
    async doneByMember(taskIds: string[], memberId: string): Promise<Set<string>> {
      if (taskIds.length === 0) return new Set();
      const multi = redis.multi();
      for (const id of taskIds) multi.hExists(keys.taskDone(id), memberId);
      const replies = (await multi.execAsPipeline()) as unknown as number[];
      return new Set(taskIds.filter((_, i) => Number(replies[i]) === 1));
    },

    /** Marks the member done, once: true only for the call that did it (HSETNX), so the follow-up runs once. */
    async markDone(taskId: string, memberId: string, at: number): Promise<boolean> {
      return Number(await doneScript.run(redis, [keys.task(taskId), keys.taskDone(taskId)], [memberId, at])) === 1;
    },

    async remove(task: Task): Promise<boolean> {
      const multi = redis.multi().del(keys.task(task.id)).del(keys.taskDone(task.id)).zRem(keys.tasksByDue(), task.id);
      for (const b of task.branchIds ?? []) multi.sRem(keys.tasksOfBranch(b), task.id);
      for (const m of task.memberIds ?? []) multi.sRem(keys.tasksOfMember(m), task.id);
      const [deleted] = (await multi.exec()) as unknown as [number];
      return deleted === 1;
    },
  };
}

export type TasksStore = ReturnType<typeof createTasksStore>;
