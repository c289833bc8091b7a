import { createClient } from 'redis';
import type { Logger } from './logger';

export type RedisClient = ReturnType<typeof createClient>;

/** Where to reach Redis: a URL (redis://, rediss://) or a unix socket path. */
export type RedisTarget = { url: string } | { socketPath: string };

export function describeTarget(target: RedisTarget): string {
  return 'url' in target ? target.url.replace(/\/\/[^@]*@/, '//***@') : `unix:${target.socketPath}`;
}

/** Connects a client that keeps retrying in the background and never crashes the process on errors. */
export async function connectRedis(target: RedisTarget, logger: Logger, database?: number): Promise<RedisClient> {
  const reconnectStrategy = (retries: number) => Math.min(100 * 2 ** retries, 2000);
  const client =
    'url' in target
      ? createClient({ url: target.url, database, socket: { reconnectStrategy } })
      : createClient({ database, socket: { path: target.socketPath, reconnectStrategy } });
  let lastError = '';
  client.on('error', (err: Error) => {
    // Logged once per distinct message so a dead Redis does not flood the log while reconnecting.
    if (err.message !== lastError) logger.error({ err: err.message }, 'redis error');
    lastError = err.message;
  });
  client.on('ready', () => {
    lastError = '';
  });
  await client.connect();
  return client;
}

/** Resolves true when Redis answers PING within timeoutMs; never waits longer. */
export async function pingWithin(client: RedisClient, timeoutMs: number): Promise<boolean> {
  if (!client.isReady) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([client.ping().then((r) => r === 'PONG'), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
