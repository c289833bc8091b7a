import type { Config } from '../config';
import type { Logger } from './logger';
import { startManagedRedis, type ManagedRedis } from './managedRedis';
import { connectRedis, describeTarget, type RedisClient, type RedisTarget } from './redis';

export interface OpenRedis {
  redis: RedisClient;
  /** Closes the client and, when Tongpin started its own redis-server, stops it (flushing the AOF). */
  close(): Promise<void>;
}

/** REDIS_URL when set; otherwise the private redis-server under the data directory. */
export async function openRedis(config: Config, logger: Logger): Promise<OpenRedis> {
  let managed: ManagedRedis | null = null;
  let target: RedisTarget;
  if (config.redisUrl) target = { url: config.redisUrl };
  else {
    managed = await startManagedRedis(config.dataDir, config.appendfsync, logger);
    target = { socketPath: managed.socketPath };
  }
  const redis = await connectRedis(target, logger);
  logger.info({ redis: describeTarget(target) }, 'connected to redis');
  return {
    redis,
    async close() {
      await redis.close().catch(() => undefined);
      await managed?.stop();
    },
  };
}
