import { Router } from 'express';
import { ErrorCode } from '../../shared/errors';
import { pingWithin, type RedisClient } from '../infra/redis';
import { envelope } from './errorHandler';

export function healthRoutes(redis: RedisClient): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Answers within about a second even while the Redis client is reconnecting.
  router.get('/readyz', async (_req, res) => {
    if (await pingWithin(redis, 1000)) return void res.json({ status: 'ok' });
    res.status(503).json(envelope(ErrorCode.UNAVAILABLE, 'Redis 暂时无法连接'));
  });
  return router;
}
