import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedis } from '../../helpers/testApp';
import type { RedisClient } from '../../../server/infra/redis';
import { createBranchesStore } from '../../../server/store/branchesStore';
import { createUsersStore } from '../../../server/store/usersStore';
import { createRollStore } from '../../../server/store/study/rollStore';

let redis: RedisClient;
beforeAll(async () => {
  redis = await testRedis();
});
afterAll(() => redis.close());

describe('the roll of a study session', () => {
  it('is taken once, with names and roles, even for a branch of 9,000 members (a single HSET would overflow Lua unpack)', async () => {
    const branches = createBranchesStore(redis);
    const users = createUsersStore(redis);
    const branch = { id: 'big-branch', name: '大支部', secretaryId: null };
    expect(await branches.create(branch, 1)).toBe('saved');
    const base = { displayName: '', role: 'member' as const, branchId: branch.id, disabled: false, mustChangePassword: false, passwordHash: 'x', createdAt: 1 };
    for (let i = 0; i < 9000; i += 500) {
      await Promise.all(Array.from({ length: 500 }, (_, k) => users.create({ ...base, id: `m${i + k}`, username: `m${i + k}`, displayName: `党员${i + k}` })));
    }
    await users.create({ ...base, id: 'sec', username: 'sec', displayName: '书记', role: 'secretary' });
    await users.create({ ...base, id: 'gone', username: 'gone', displayName: '已停用', disabled: true });
    const roll = createRollStore(redis, users);
    expect(await roll.take('s1', branch.id)).toBe(true);
    const taken = await roll.get('s1');
    expect(taken.size).toBe(9001);
    expect(taken.get('m8999')).toEqual({ name: '党员8999', role: 'member' });
    expect(taken.get('sec')).toEqual({ name: '书记', role: 'secretary' });
    expect(taken.has('gone')).toBe(false);
    // A second start keeps the first roll.
    await users.create({ ...base, id: 'late', username: 'late', displayName: '后来的' });
    expect(await roll.take('s1', branch.id)).toBe(false);
    expect((await roll.get('s1')).has('late')).toBe(false);
  });
});
