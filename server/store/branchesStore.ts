import type { Branch } from '../../shared/schemas/branches';
import { normaliseForCompare } from '../../shared/text';
import type { RedisClient } from '../infra/redis';
import { keys } from './keys';
import { LuaScript } from './scripts';
import saveBranchLua from './scripts/saveBranch.lua?raw';
import deleteBranchLua from './scripts/deleteBranch.lua?raw';

const saveBranchScript = new LuaScript(saveBranchLua);
const deleteBranchScript = new LuaScript(deleteBranchLua);

/** Branch names are unique regardless of case, width and spacing. */
const nameKey = (name: string) => normaliseForCompare(name);

function fromHash(h: Record<string, string>): Branch | null {
  if (!h.id) return null;
  return { id: h.id, name: h.name ?? '', secretaryId: h.secretaryId || null };
}

export function createBranchesStore(redis: RedisClient) {
  async function save(branch: Branch, previousName: string | null, createdAt: number | null) {
    const result = await saveBranchScript.run(
      redis,
      [keys.branchesByName(), keys.branch(branch.id), keys.branchesAll()],
      [
        branch.id,
        nameKey(branch.name),
        previousName === null ? '' : nameKey(previousName),
        createdAt === null ? '' : createdAt,
        'id', branch.id,
        'name', branch.name,
        'secretaryId', branch.secretaryId ?? '',
      ],
    );
    return result === 1 ? 'saved' : result === 0 ? 'missing' : 'name-taken';
  }

  return {
    create: (branch: Branch, createdAt: number) => save(branch, null, createdAt),
    update: (branch: Branch, previousName: string) => save(branch, previousName, null),

    async get(id: string): Promise<Branch | null> {
      return fromHash(await redis.hGetAll(keys.branch(id)));
    },

    async findByName(name: string): Promise<Branch | null> {
      const id = await redis.hGet(keys.branchesByName(), nameKey(name));
      return id ? this.get(id) : null;
    },

    async list(): Promise<Branch[]> {
      const ids = await redis.zRange(keys.branchesAll(), 0, -1);
      if (ids.length === 0) return [];
      const multi = redis.multi();
      for (const id of ids) multi.hGetAll(keys.branch(id));
      const replies = (await multi.execAsPipeline()) as unknown as Record<string, string>[];
      return replies.map(fromHash).filter((b): b is Branch => b !== null);
    },

    async memberCount(id: string): Promise<number> {
      return redis.sCard(keys.branchMembers(id));
    },

    async remove(branch: Branch): Promise<'deleted' | 'missing' | 'has-members'> {
      const result = await deleteBranchScript.run(
        redis,
        [keys.branch(branch.id), keys.branchMembers(branch.id), keys.branchesAll(), keys.branchesByName()],
        [branch.id, nameKey(branch.name)],
      );
      return result === 1 ? 'deleted' : result === 0 ? 'missing' : 'has-members';
    },
  };
}

export type BranchesStore = ReturnType<typeof createBranchesStore>;
