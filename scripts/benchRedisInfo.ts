import type { RedisClient } from '../server/infra/redis';

/** INFO memory's used_memory and used_memory_dataset (bytes): what the benches report as Redis memory. */
export async function usedMemory(redis: RedisClient): Promise<{ used: number; dataset: number }> {
  const info = await redis.info('memory');
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? NaN);
  return { used: field('used_memory'), dataset: field('used_memory_dataset') };
}
