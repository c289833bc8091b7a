import type { TestProject } from 'vitest/node';
import { startTestRedis } from './redisServer';

declare module 'vitest' {
  export interface ProvidedContext {
    redisSocket: string;
  }
}

/** One private redis-server for the whole run; each worker uses its own database number. */
export default async function setup(project: TestProject) {
  const redis = await startTestRedis();
  project.provide('redisSocket', redis.socketPath);
  return () => redis.stop();
}
