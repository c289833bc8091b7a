import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../server/store/keys';
import { createPresenceStore } from '../../server/store/presenceStore';
import { gamePresenceScope } from '../../server/store/gamesStore';
import { PRESENCE_WINDOW_MS } from '../../server/services/presence';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient } from '../helpers/api';
import { ok, openSocket, seedQuiz } from '../helpers/live';
import { waitFor, type LiveClient } from '../helpers/sockets';

let t: TestApp;
const sockets: LiveClient[] = [];
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t.close();
});

async function redisNow() {
  const [s, us] = await t.redis.time();
  return Number(s) * 1000 + Math.floor(Number(us) / 1000);
}

describe('issue 9 item 7: a crashed process leaves no inflated presence', () => {
  it('stops counting a dead process\'s players within the window, so "everyone answered" closes the question early again', async () => {
    const admin = new ApiClient(t.url);
    await admin.login('admin', ADMIN_PASSWORD);
    const { quizId } = await seedQuiz(admin, '在线', 60);
    const host = await openSocket(t.url, admin);
    sockets.push(host);
    const { gameId, pin } = await ok<{ gameId: string; pin: string }>(host, 'game:create', { quizId, allowGuests: true });
    const a = await openSocket(t.url);
    sockets.push(a);
    await ok(a, 'game:join', { pin, nickname: '活着的' });
    const ghost = await openSocket(t.url);
    const { playerId: ghostId } = await ok<{ playerId: string }>(ghost, 'game:join', { pin, nickname: '进程崩溃' });
    ghost.close();
    // The ghost's socket lived on a process that then died without its disconnect handler: its presence entry
    // stays, under that process's last heartbeat.
    const store = createPresenceStore(t.redis);
    const scope = gamePresenceScope(gameId);
    await store.join(scope, ghostId, 'crashed-process');
    await t.redis.zAdd(scope.processes, { score: (await redisNow()) - 10_000, value: 'crashed-process' });
    await expect.poll(() => t.redis.hGet(keys.gameState(gameId), 'online')).toBe('2');

    const opened = waitFor(a, 'question:open');
    await ok(host, 'game:start', { gameId });
    await opened;
    await ok(a, 'answer:submit', { gameId, index: 0, answer: 0 });
    // The ghost still counts (its process's heartbeat is recent): no early close, even after a sweep.
    await t.app.services.liveGames.sweep();
    expect(await t.redis.hGet(keys.gameState(gameId), 'phase')).toBe('question');

    // Time passes for the dead process: its heartbeat is now older than the window (under a minute).
    expect(PRESENCE_WINDOW_MS).toBeLessThan(60_000 - 5_000); // plus one sweep period, still within the minute
    await t.redis.zAdd(scope.processes, { score: (await redisNow()) - PRESENCE_WINDOW_MS - 1_000, value: 'crashed-process' });
    const closed = waitFor(a, 'question:close');
    await t.app.services.liveGames.sweep();
    expect((await closed).index).toBe(0);
    expect(await t.redis.hGet(keys.gameState(gameId), 'online')).toBe('1');
  });
});
