import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../server/infra/redis';
import { ADMIN_PASSWORD, startTestApp, testRedis, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';
import { ok, openSocket, seedQuiz } from '../helpers/live';
import { waitFor, type LiveClient } from '../helpers/sockets';

let redis: RedisClient;
let a: TestApp;
let b: TestApp;
const sockets: LiveClient[] = [];
beforeAll(async () => {
  redis = await testRedis();
  a = await startTestApp({ redis });
  b = await startTestApp({ redis });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await a.close();
  await b.close();
  await redis.close();
});

async function socket(url: string, client?: ApiClient) {
  const s = await openSocket(url, client);
  sockets.push(s);
  return s;
}

describe('two server processes on one Redis', () => {
  it('serve one game together: the host on one, players on both, every event reaches every player', async () => {
    const admin = new ApiClient(a.url);
    await admin.login('admin', ADMIN_PASSWORD);
    const { quizId } = await seedQuiz(admin, '多进程', 10);
    const { memberClient } = await seedBranch(a.url, admin, '多进程支部');
    const host = await socket(a.url, admin);
    const { gameId, pin } = await ok<{ gameId: string; pin: string }>(host, 'game:create', { quizId, allowGuests: true });
    const onA = await socket(a.url);
    const onB = await socket(b.url);
    await ok(onA, 'game:join', { pin, nickname: '甲' });
    await ok(onB, 'game:join', { pin, nickname: '乙' });

    const opened = Promise.all([waitFor(onA, 'question:open'), waitFor(onB, 'question:open')]);
    await ok(host, 'game:start', { gameId });
    await opened;
    const results = Promise.all([waitFor(onA, 'player:result'), waitFor(onB, 'player:result')]);
    const board = waitFor(onB, 'leaderboard');
    await ok(onA, 'answer:submit', { gameId, index: 0, answer: 1 });
    await ok(onB, 'answer:submit', { gameId, index: 0, answer: 0 }); // the last answer, on B, closes early for all
    const [ra, rb] = await results;
    expect(ra).toMatchObject({ correct: false, rank: 2 });
    expect(rb).toMatchObject({ correct: true, rank: 1 });
    expect((await board).top.map((e) => e.nickname)).toEqual(['乙', '甲']);

    // A member's second device on the other process takes over; the first hears it.
    const m1 = await socket(a.url, memberClient);
    await ok(m1, 'game:join', { pin });
    const replaced = waitFor(m1, 'player:replaced');
    const memberOnB = new ApiClient(b.url);
    memberOnB.cookie = memberClient.cookie;
    await ok(await socket(b.url, memberOnB), 'game:join', { pin });
    expect(await replaced).toEqual({ gameId });

    // Logging out on one process ends the session's sockets on the other.
    const ended = waitFor(sockets.at(-1)!, 'session:ended');
    await memberOnB.post('/api/auth/logout');
    expect((await ended).reason).toBe('logout');
  });
});
