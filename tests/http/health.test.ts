import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, logger, type TestApp } from '../helpers/testApp';
import { startTestRedis, type TestRedis } from '../helpers/redisServer';
import { connectRedis } from '../../server/infra/redis';

let redisServer: TestRedis;
let t: TestApp;

beforeAll(async () => {
  // Its own redis-server, because this test stops it.
  redisServer = await startTestRedis();
  t = await startTestApp({ redis: await connectRedis({ socketPath: redisServer.socketPath }, logger) });
});
afterAll(async () => {
  await t.close();
  t.redis.destroy();
  await redisServer.stop();
});

describe('health', () => {
  it('healthz and readyz answer 200 while Redis is up', async () => {
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
  });

  it('readyz answers 503 with the error envelope, within about a second, once Redis stops', async () => {
    await redisServer.stop();
    const started = Date.now();
    const res = await fetch(`${t.url}/readyz`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(1500);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });
});
