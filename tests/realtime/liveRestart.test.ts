import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../server/store/keys';
import type { RedisClient } from '../../server/infra/redis';
import { ADMIN_PASSWORD, startTestApp, testRedis, type TestApp } from '../helpers/testApp';
import { ApiClient } from '../helpers/api';
import { ok, openSocket, seedQuiz } from '../helpers/live';
import { waitFor, type LiveClient } from '../helpers/sockets';

let redis: RedisClient;
const sockets: LiveClient[] = [];
beforeAll(async () => {
  redis = await testRedis();
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await redis.close();
});

async function socket(url: string, client?: ApiClient) {
  const s = await openSocket(url, client);
  sockets.push(s);
  return s;
}

describe('restart survival', () => {
  it('goes on after the server process is replaced: the open question closes at its original deadline, rejoined players keep acknowledged answers', async () => {
    let t: TestApp = await startTestApp({ redis });
    const admin = new ApiClient(t.url);
    await admin.login('admin', ADMIN_PASSWORD);
    const { quizId } = await seedQuiz(admin, '重启', 5);
    const host = await socket(t.url, admin);
    const { gameId, pin } = await ok<{ gameId: string; pin: string }>(host, 'game:create', { quizId, allowGuests: true });
    const players = [] as { token: string; playerId: string }[];
    let first: LiveClient | null = null;
    for (const nickname of ['甲', '乙']) {
      const s = await socket(t.url);
      first ??= s;
      const joined = await ok<{ rejoinToken: string; playerId: string }>(s, 'game:join', { pin, nickname });
      players.push({ token: joined.rejoinToken, playerId: joined.playerId });
    }
    const opened = waitFor(first!, 'question:open');
    await ok(host, 'game:start', { gameId });
    const { closesAt } = await opened;
    await ok(first!, 'answer:submit', { gameId, index: 0, answer: 0 }); // acknowledged before the stop

    // The first server stops mid-question; a second one starts on the same Redis.
    await t.close();
    t = await startTestApp({ redis });
    const admin2 = new ApiClient(t.url);
    admin2.cookie = admin.cookie; // the session lives in Redis too
    const a = await socket(t.url);
    const b = await socket(t.url);
    const reopened = waitFor(a, 'question:open');
    expect(await ok(a, 'game:join', { pin, rejoinToken: players[0]!.token })).toMatchObject({ playerId: players[0]!.playerId, phase: 'question', answered: true });
    expect((await reopened).closesAt).toBe(closesAt);
    await ok(b, 'game:join', { pin, rejoinToken: players[1]!.token });
    const host2 = await socket(t.url, admin2);
    expect(await ok(host2, 'game:host', { gameId })).toMatchObject({ pin, phase: 'question', index: 0 });

    // b never answers, so the question waits for its original deadline, on the new server's timer.
    const result = waitFor(a, 'player:result', 8000);
    const closed = await waitFor(host2, 'question:close', 8000);
    expect(Date.now()).toBeGreaterThanOrEqual(closesAt);
    expect(Date.now()).toBeLessThan(closesAt + 1000);
    expect(closed.index).toBe(0);
    expect(await result).toMatchObject({ correct: true, rank: 1 });

    // Next question opens; this time the server is down past the deadline: the next one closes it at once.
    const opened2 = waitFor(a, 'question:open');
    await ok(host2, 'game:next', { gameId });
    const q2 = await opened2;
    await t.close();
    // While no server runs, the deadline passes: moved into the past in Redis rather than waited for.
    expect(await redis.hGet(keys.gameState(gameId), 'closesAt')).toBe(String(q2.closesAt));
    const [seconds] = await redis.time();
    await redis.hSet(keys.gameState(gameId), 'closesAt', String(Number(seconds) * 1000 - 1_000));
    t = await startTestApp({ redis });
    const c = await socket(t.url);
    const caughtUp = waitFor(c, 'question:close');
    expect(await ok(c, 'game:join', { pin, rejoinToken: players[0]!.token })).toMatchObject({ phase: 'reveal' });
    expect((await caughtUp).index).toBe(1);

    const host3 = await socket(t.url, admin2);
    await ok(host3, 'game:host', { gameId });
    const finished = waitFor(c, 'game:finished');
    await ok(host3, 'game:end', { gameId });
    expect((await finished).podium[0]).toMatchObject({ playerId: players[0]!.playerId, rank: 1 });
    const admin3 = new ApiClient(t.url);
    admin3.cookie = admin.cookie;
    const report = (await admin3.get(`/api/games/${gameId}`)).body.game;
    expect(report.players.find((p: { playerId: string }) => p.playerId === players[0]!.playerId).correct).toBe(1);
    await t.close();
  }, 30_000);
});

describe('idle games', () => {
  it('ends a game with no activity for GAME_IDLE_HOURS and frees its PIN', async () => {
    // The injected clock: a day passes in a step, no sleeping.
    let offset = 0;
    const t = await startTestApp({ redis, clock: { now: () => Date.now() + offset }, config: { gameIdleMs: 24 * 3600_000 } });
    const admin = new ApiClient(t.url);
    await admin.login('admin', ADMIN_PASSWORD);
    const { quizId } = await seedQuiz(admin, '闲置', 5);
    const host = await socket(t.url, admin);
    const { gameId, pin } = await ok<{ gameId: string; pin: string }>(host, 'game:create', { quizId, allowGuests: true });
    const player = await socket(t.url);
    await ok(player, 'game:join', { pin, nickname: '等待的人' });
    const finished = waitFor(player, 'game:finished');
    await t.app.services.liveGames.sweep();
    expect(await redis.hGet(keys.gamePins(), pin)).toBe(gameId); // not idle yet
    offset = 24 * 3600_000;
    await t.app.services.liveGames.sweep();
    expect((await finished).gameId).toBe(gameId);
    expect(await redis.hGet(keys.gamePins(), pin)).toBeNull();
    const late = await socket(t.url);
    expect((await late.timeout(3000).emitWithAck('game:join', { pin, nickname: '迟到' })) as { ok: boolean; error?: { code: string } }).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await t.close();
  });
});
