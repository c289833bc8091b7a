import { createHash } from 'node:crypto';
import type { RedisClient } from '../infra/redis';

/** A Lua script run by EVALSHA, loaded with EVAL the first time a server has not seen it. */
export class LuaScript {
  private readonly sha: string;
  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisClient, keyList: string[], args: (string | number)[]): Promise<unknown> {
    const options = { keys: keyList, arguments: args.map(String) };
    try {
      return await redis.evalSha(this.sha, options);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return redis.eval(this.source, options);
      throw err;
    }
  }
}
