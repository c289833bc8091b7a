import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../infra/redis';
import { keys } from './keys';

/** Server secrets kept in Redis: created once by whichever process asks first, then the same for all. */
export function createSecretsStore(redis: RedisClient) {
  let deviceKey: Promise<Buffer> | null = null;

  async function loadDeviceKey(): Promise<Buffer> {
    await redis.set(keys.deviceCookieSecret(), randomBytes(32).toString('base64'), { condition: 'NX' });
    const stored = await redis.get(keys.deviceCookieSecret());
    if (!stored) throw new Error('device cookie secret missing after SET NX');
    return Buffer.from(stored, 'base64');
  }

  return {
    /** The key that signs device cookies; read once per process. */
    deviceCookieKey(): Promise<Buffer> {
      deviceKey ??= loadDeviceKey().catch((err: unknown) => {
        deviceKey = null; // a Redis hiccup must not poison the cache
        throw err;
      });
      return deviceKey;
    },
  };
}

export type SecretsStore = ReturnType<typeof createSecretsStore>;
