import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger, testRedis } from '../../helpers/testApp';
import type { RedisClient } from '../../../server/infra/redis';
import { createMaterialsStore } from '../../../server/store/study/materialsStore';
import { parseStarterMaterial, readStarterMaterials, seedMaterialsOnFirstStart } from '../../../server/services/study/starterMaterials';

let redis: RedisClient;
beforeAll(async () => {
  redis = await testRedis();
});
afterAll(() => redis.close());

describe('starter study materials', () => {
  it('load once on first start as organisation-wide Markdown naming their source; never again', async () => {
    const store = createMaterialsStore(redis);
    const files = readStarterMaterials();
    expect(files.length).toBeGreaterThanOrEqual(2);
    await seedMaterialsOnFirstStart(store, { now: () => 1 }, logger);
    const stored = await store.all();
    expect(stored.map((m) => m.title).sort()).toEqual(files.map((f) => f.title).sort());
    for (const m of stored) {
      expect(m).toMatchObject({ branchId: null, kind: 'markdown', createdBy: 'starter-materials' });
      expect(m.source).toMatch(/《.+》/);
      expect(m.pages).toBeGreaterThanOrEqual(2);
      expect((await store.body(m.id))?.length).toBeGreaterThan(100);
    }
    // An admin deletes one; a restart does not bring it back.
    await store.remove(stored[0]!.id);
    await seedMaterialsOnFirstStart(store, { now: () => 2 }, logger);
    expect(await store.all()).toHaveLength(stored.length - 1);
  });

  it('a file without front matter is refused with its name', () => {
    expect(() => parseStarterMaterial('bad.md', '# 没有头部')).toThrow(/bad\.md: front matter missing/);
    expect(() => parseStarterMaterial('bad.md', '---\ntitle: x\n---\nbody')).toThrow(/title, tags and source are required/);
  });
});
