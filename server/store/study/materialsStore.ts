import type { Material } from '../../../shared/schemas/study';
import type { RedisClient } from '../../infra/redis';
import { keys } from '../keys';
import { versionedDocs } from '../versionedDocs';

/** What the document hash holds: everything but the version (kept beside it) and the Markdown body (its own key). */
export type StoredMaterial = Omit<Material, 'version' | 'body'>;

export function createMaterialsStore(redis: RedisClient) {
  const docs = versionedDocs<StoredMaterial>(redis, keys.material, keys.materialsAll());
  return {
    /** Writes the metadata and, when given, the Markdown body in one versioned step. */
    save: (material: StoredMaterial, body: string | null, expectedVersion: number) =>
      docs.save(material.id, material, expectedVersion, material.updatedAt, body === null ? undefined : { key: keys.materialBody(material.id), value: body }),
    get: docs.get,
    all: docs.all,
    body: (id: string) => redis.get(keys.materialBody(id)),
    /** True the first time only: the starter materials are loaded once, never again after an admin deleted them. */
    async markSeeded(): Promise<boolean> {
      return (await redis.set(keys.materialsSeeded(), '1', { condition: 'NX' })) === 'OK';
    },
    async remove(id: string): Promise<boolean> {
      const [deleted] = (await redis.multi().del(keys.material(id)).del(keys.materialBody(id)).zRem(keys.materialsAll(), id).exec()) as unknown as [number];
      return deleted === 1;
    },
  };
}

export type MaterialsStore = ReturnType<typeof createMaterialsStore>;
