import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../../server/infra/redis';
import { createPresenceStore, type PresenceScope } from '../../../server/store/presenceStore';
import { createPresence } from '../../../server/services/presence';
import { testRedis } from '../../helpers/testApp';

let redis: RedisClient;
let store: ReturnType<typeof createPresenceStore>;
const WINDOW = 45_000;

beforeAll(async () => {
  redis = await testRedis();
  store = createPresenceStore(redis);
});
afterAll(() => redis.close());

const scopeOf = (id: string): PresenceScope => ({
  members: `{t:${id}}:members`,
  processes: `{t:${id}}:processes`,
  ofProcess: (p) => `{t:${id}}:of:${p}`,
  counter: { key: `{t:${id}}:state`, field: 'online' },
});

async function redisNow() {
  const [s, us] = await redis.time();
  return Number(s) * 1000 + Math.floor(Number(us) / 1000);
}

/** What a process that died without cleaning up leaves behind: its last heartbeat `agoMs` in the past. */
async function ageHeartbeat(scope: PresenceScope, processId: string, agoMs: number) {
  await redis.zAdd(scope.processes, { score: (await redisNow()) - agoMs, value: processId });
}

describe('issue 9 item 7: presence per process with a heartbeat', () => {
  it('counts a member once however many sockets and processes hold it; leaving the last socket uncounts it', async () => {
    const scope = scopeOf('a');
    expect(await store.join(scope, 'p1', 'A')).toBe(1);
    expect(await store.join(scope, 'p1', 'B')).toBe(1);
    expect(await store.join(scope, 'p2', 'B')).toBe(2);
    expect(await store.leave(scope, 'p1', 'B')).toBe(2);
    expect(await store.leave(scope, 'p1', 'A')).toBe(1);
    expect(await store.leave(scope, 'p2', 'B')).toBe(0);
    // A leave with nothing recorded for it changes nothing (never negative).
    expect(await store.leave(scope, 'p2', 'B')).toBe(0);
  });

  it('takes back a dead process\'s members once its heartbeat is older than the window, and only then', async () => {
    const scope = scopeOf('b');
    await store.join(scope, 'p1', 'alive');
    await store.join(scope, 'p1', 'dead');
    await store.join(scope, 'p2', 'dead');
    await store.join(scope, 'p2', 'dead');
    expect(await store.count(scope)).toBe(2);
    await ageHeartbeat(scope, 'dead', WINDOW - 5_000);
    expect(await store.staleProcesses(scope, WINDOW)).toEqual([]);
    expect(await store.reap(scope, ['dead'], WINDOW)).toBe(0); // not stale yet: the script checks again
    await ageHeartbeat(scope, 'dead', WINDOW + 1_000);
    expect(await store.staleProcesses(scope, WINDOW)).toEqual(['dead']);
    expect(await store.reap(scope, ['dead'], WINDOW)).toBe(1);
    expect(await store.count(scope)).toBe(1); // p2 was only on the dead process; p1 is still on a live one
    expect(await redis.hGetAll(scope.members)).toEqual({ p1: '1' });
    // The dead process's late disconnects (if it was only stalled) take nothing away from others.
    expect(await store.leave(scope, 'p1', 'dead')).toBe(1);
    expect(await store.leave(scope, 'p2', 'dead')).toBe(1);
  });

  it('a heartbeat keeps a process counted; a process taken for dead registers its sockets again on its next heartbeat', async () => {
    const scope = scopeOf('c');
    const presence = createPresence(store, 'slow', WINDOW);
    await presence.enter('c', scope, 'p1');
    await presence.enter('c', scope, 'p2');
    await ageHeartbeat(scope, 'slow', WINDOW - 1_000);
    await presence.beat();
    expect(await store.staleProcesses(scope, WINDOW)).toEqual([]);
    await ageHeartbeat(scope, 'slow', WINDOW + 1_000);
    const other = createPresence(store, 'other', WINDOW);
    expect(await other.reap(scope)).toBe(1);
    expect(await store.count(scope)).toBe(0);
    await presence.beat();
    expect(await store.count(scope)).toBe(2);
    await presence.leave('c', scope, 'p1');
    expect(await store.count(scope)).toBe(1);
  });
});
