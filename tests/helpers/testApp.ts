import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { createApp, type App } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import type { Clock } from '../../server/infra/clock';
import { createLogger } from '../../server/infra/logger';
import { connectRedis, type RedisClient } from '../../server/infra/redis';
import { ensureAdmin } from '../../server/services/bootstrap';
import { createUsersStore } from '../../server/store/usersStore';

export const ADMIN_PASSWORD = 'admin-pass-123';
export const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

/** A Redis client on this worker's own database, emptied first. */
export async function testRedis(): Promise<RedisClient> {
  const db = Number(process.env.VITEST_POOL_ID ?? '1');
  const redis = await connectRedis({ socketPath: inject('redisSocket') }, logger, db);
  await redis.flushDb();
  return redis;
}

export interface TestApp {
  url: string;
  app: App;
  redis: RedisClient;
  config: Config;
  close(): Promise<void>;
}

/** The real app on a random port against the test Redis, with an admin whose password is ADMIN_PASSWORD. */
export async function startTestApp(options: { clock?: Clock; redis?: RedisClient; config?: Partial<Config> } = {}): Promise<TestApp> {
  const redis = options.redis ?? (await testRedis());
  const config = { ...loadConfig({}), clientDir: loadConfig({}).clientDir, ...options.config };
  const clock = options.clock ?? { now: () => Date.now() };
  await ensureAdmin(createUsersStore(redis), clock, logger, ADMIN_PASSWORD);
  const app = createApp({ redis, clock, logger, config });
  // Pub/sub channels ignore the database number: each test worker gets its own channel prefix.
  await app.linkProcesses(`tongpin-test-${process.env.VITEST_POOL_ID ?? '1'}`);
  await new Promise<void>((resolve) => app.http.listen(0, '127.0.0.1', resolve));
  const { port } = app.http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    redis,
    config,
    async close() {
      await app.stop();
      if (!options.redis) await redis.close();
    },
  };
}
