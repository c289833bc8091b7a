import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';
import { command, errorCode, ok, openSocket, seedQuiz } from '../helpers/live';
import { waitFor, type LiveClient } from '../helpers/sockets';
import { keys } from '../../server/store/keys';

let t: TestApp;
let admin: ApiClient;
let quizId: string;
let one: Awaited<ReturnType<typeof seedBranch>>;
let two: Awaited<ReturnType<typeof seedBranch>>;
const sockets: LiveClient[] = [];

beforeAll(async () => {
  t = await startTestApp({ config: { maxPlayersPerGame: 4 } });
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  ({ quizId } = await seedQuiz(admin, '规则', 5));
  one = await seedBranch(t.url, admin, '一支部');
  two = await seedBranch(t.url, admin, '二支部');
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t.close();
});

async function socket(client?: ApiClient) {
  const s = await openSocket(t.url, client);
  sockets.push(s);
  return s;
}

/** Redis's clock (ms), the one answers are timed by. */
async function redisNow() {
  const [seconds, micros] = await t.redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

async function newGame(options: Record<string, unknown> = { allowGuests: true }) {
  const host = await socket(admin);
  const { gameId, pin } = await ok<{ gameId: string; pin: string }>(host, 'game:create', { quizId, ...options });
  return { host, gameId, pin };
}

async function guest(pin: string, nickname: string) {
  const s = await socket();
  const joined = await ok<{ playerId: string; rejoinToken: string }>(s, 'game:join', { pin, nickname });
  return { s, ...joined };
}

describe('who may do what', () => {
  it('refuses every host command from players with FORBIDDEN, and game:create from guests and members', async () => {
    const { gameId, pin } = await newGame();
    const member = await socket(one.memberClient);
    await ok(member, 'game:join', { pin });
    const { s: g } = await guest(pin, '游客甲');
    for (const player of [member, g]) {
      for (const event of ['game:host', 'game:start', 'game:next', 'game:end'] as const) {
        expect(errorCode(await command(player, event, { gameId }))).toBe('FORBIDDEN');
      }
      expect(errorCode(await command(player, 'game:kick', { gameId, playerId: 'x' }))).toBe('FORBIDDEN');
    }
    expect(errorCode(await command(member, 'game:create', { quizId }))).toBe('FORBIDDEN');
    expect(errorCode(await command(await socket(), 'game:create', { quizId }))).toBe('UNAUTHENTICATED');
    // Another branch's secretary is staff but not this game's host.
    expect(errorCode(await command(await socket(two.secretaryClient), 'game:start', { gameId }))).toBe('FORBIDDEN');
  });

  it('answers an unknown PIN with NOT_FOUND, a guest in a members-only game with UNAUTHENTICATED, a bad payload with INVALID_INPUT', async () => {
    const { pin } = await newGame({ allowGuests: false });
    const s = await socket();
    const unknown = pin === '000000' ? '000001' : '000000';
    expect(errorCode(await command(s, 'game:join', { pin: unknown, nickname: 'a' }))).toBe('NOT_FOUND');
    expect(errorCode(await command(s, 'game:join', { pin, nickname: 'a' }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await command(s, 'game:join', { pin: '12' }))).toBe('INVALID_INPUT');
    expect(errorCode(await command(s, 'game:join', 'nonsense'))).toBe('INVALID_INPUT');
    expect(errorCode(await command(await socket(admin), 'game:create', { quizId: 'missing' }))).toBe('NOT_FOUND');
  });

  it('keeps guest nicknames unique (case-insensitive), trims them and strips control characters; refuses the player past the limit', async () => {
    const { pin } = await newGame();
    await guest(pin, 'Zhang');
    const s = await socket();
    expect(errorCode(await command(s, 'game:join', { pin, nickname: ' zhang ' }))).toBe('NICKNAME_TAKEN');
    expect(errorCode(await command(s, 'game:join', { pin, nickname: '\u0000\u0007 ' }))).toBe('INVALID_INPUT');
    const host = sockets.at(-3)!;
    const players = waitFor(host, 'game:players');
    await ok(s, 'game:join', { pin, nickname: '  小\u0007李  ' });
    expect((await players).players.map((p) => p.nickname)).toContain('小李');
    await guest(pin, '三');
    await guest(pin, '四');
    expect(errorCode(await command(await socket(), 'game:join', { pin, nickname: '五' }))).toBe('GAME_FULL');
  });
});

describe('answers', () => {
  it('gives WRONG_PHASE, INVALID_INPUT, ALREADY_ANSWERED and TOO_LATE exactly as the protocol says', async () => {
    const { host, gameId, pin } = await newGame();
    const a = await guest(pin, '甲');
    const b = await guest(pin, '乙');
    expect(errorCode(await command(a.s, 'answer:submit', { gameId, index: 0, answer: 0 }))).toBe('WRONG_PHASE');
    const opened = waitFor(a.s, 'question:open');
    await ok(host, 'game:start', { gameId });
    await opened;
    expect(errorCode(await command(a.s, 'answer:submit', { gameId, index: 1, answer: [0, 1] }))).toBe('WRONG_PHASE');
    for (const answer of [4, '0', [0], [0, 0], 9, -1, 1.5]) {
      expect(errorCode(await command(a.s, 'answer:submit', { gameId, index: 0, answer })), JSON.stringify(answer)).toBe('INVALID_INPUT');
    }
    expect(await command(a.s, 'answer:submit', { gameId, index: 0, answer: 0 })).toEqual({ ok: true });
    expect(errorCode(await command(a.s, 'answer:submit', { gameId, index: 0, answer: 1 }))).toBe('ALREADY_ANSWERED');
    // The host closes the question early; b's answer now is too late.
    const closed = waitFor(b.s, 'question:close');
    await ok(host, 'game:next', { gameId });
    await closed;
    expect(errorCode(await command(b.s, 'answer:submit', { gameId, index: 0, answer: 0 }))).toBe('TOO_LATE');
    // Not joined to the game at all.
    expect(errorCode(await command(await socket(), 'answer:submit', { gameId, index: 0, answer: 0 }))).toBe('UNAUTHENTICATED');
  });

  it('closes a question early once every connected player has answered, and tells a late joiner it is open', async () => {
    const { host, gameId, pin } = await newGame();
    const a = await guest(pin, '甲');
    const b = await guest(pin, '乙');
    const opened = waitFor(a.s, 'question:open');
    await ok(host, 'game:start', { gameId });
    const { closesAt } = await opened;
    await ok(a.s, 'answer:submit', { gameId, index: 0, answer: 0 });
    // A late joiner gets question:open right after the ack, and counts as someone who has to answer.
    const c = await socket();
    const lateOpen = waitFor(c, 'question:open');
    const joined = await ok<{ phase: string; answered: boolean }>(c, 'game:join', { pin, nickname: '丙' });
    expect(joined).toMatchObject({ phase: 'question', answered: false });
    expect((await lateOpen).index).toBe(0);
    b.s.close(); // a disconnected player is not waited for
    const closed = waitFor(a.s, 'question:close');
    await ok(c, 'answer:submit', { gameId, index: 0, answer: 1 });
    await closed;
    expect(Date.now()).toBeLessThan(closesAt);
  });
});

describe('coming back', () => {
  it('brings a guest back with the rejoin token and the score; a second device of a member replaces the first', async () => {
    const { host, gameId, pin } = await newGame();
    const a = await guest(pin, '回来的人');
    const m1 = await socket(one.memberClient);
    const first = await ok<{ playerId: string }>(m1, 'game:join', { pin });
    const opened = waitFor(a.s, 'question:open');
    await ok(host, 'game:start', { gameId });
    await opened;
    await ok(a.s, 'answer:submit', { gameId, index: 0, answer: 0 });
    a.s.close();

    const back = await socket();
    const reopened = waitFor(back, 'question:open');
    const again = await ok<{ playerId: string; answered: boolean; phase: string }>(back, 'game:join', { pin, rejoinToken: a.rejoinToken });
    expect(again).toMatchObject({ playerId: a.playerId, phase: 'question', answered: true });
    await reopened;

    const replaced = waitFor(m1, 'player:replaced');
    const m2 = await socket(one.memberClient);
    const second = await ok<{ playerId: string }>(m2, 'game:join', { pin });
    expect(second.playerId).toBe(first.playerId);
    expect(await replaced).toEqual({ gameId });

    const result = waitFor(back, 'player:result');
    await ok(host, 'game:next', { gameId });
    expect(await result).toMatchObject({ correct: true, rank: 1 });
    expect((await result).score).toBeGreaterThanOrEqual(500);
  });

  it('kicks a player for good: player:kicked, gone from the roster, and any later join is FORBIDDEN', async () => {
    const { host, gameId, pin } = await newGame();
    const a = await guest(pin, '被移出');
    const kicked = waitFor(a.s, 'player:kicked');
    await ok(host, 'game:kick', { gameId, playerId: a.playerId });
    expect(await kicked).toEqual({ gameId });
    expect(errorCode(await command(await socket(), 'game:join', { pin, rejoinToken: a.rejoinToken }))).toBe('FORBIDDEN');
    const member = await socket(one.memberClient);
    const joined = await ok<{ playerId: string }>(member, 'game:join', { pin });
    await ok(host, 'game:kick', { gameId, playerId: joined.playerId });
    expect(errorCode(await command(await socket(one.memberClient), 'game:join', { pin }))).toBe('FORBIDDEN');
    expect(errorCode(await command(host, 'game:kick', { gameId, playerId: 'nobody' }))).toBe('NOT_FOUND');
  });
});

describe('team mode', () => {
  it('ranks branches by the average score of their players; guests belong to none', async () => {
    const { host, gameId, pin } = await newGame({ allowGuests: true, teamMode: 'branch' });
    const m1 = await socket(one.memberClient);
    await ok(m1, 'game:join', { pin });
    const m2 = await socket(two.memberClient);
    await ok(m2, 'game:join', { pin });
    const g = await guest(pin, '游客');
    const opened = waitFor(m1, 'question:open');
    await ok(host, 'game:start', { gameId });
    await opened;
    const board = waitFor(host, 'leaderboard');
    await ok(m1, 'answer:submit', { gameId, index: 0, answer: 0 });
    await ok(m2, 'answer:submit', { gameId, index: 0, answer: 1 });
    // The guest answers later by Redis's clock (the one points are measured by), so it scores fewer points than m1:
    // at a 5 s limit a point is 10 ms, so wait until Redis's time is 30 ms past the members' recorded answers.
    const answeredAt = Math.max(...Object.values(await t.redis.hGetAll(keys.gameAnswers(gameId, 0))).map((raw) => Number(raw.split('|')[0])));
    await expect.poll(async () => (await redisNow()) - answeredAt, { interval: 5 }).toBeGreaterThanOrEqual(30);
    await ok(g.s, 'answer:submit', { gameId, index: 0, answer: 0 });
    const { branches, totalPlayers, top } = await board;
    expect(totalPlayers).toBe(3);
    expect(top).toHaveLength(3);
    const m1Score = top.find((e) => e.nickname === '一支部党员')!.score;
    expect(branches).toEqual([
      { branchId: one.branch.id, name: '一支部', score: m1Score, players: 1 },
      { branchId: two.branch.id, name: '二支部', score: 0, players: 1 },
    ]);
    const finished = waitFor(m1, 'game:finished');
    await ok(host, 'game:end', { gameId });
    const { podium } = await finished;
    expect(podium.map((e) => e.rank)).toEqual([1, 2, 3]);
    expect(podium[2]).toMatchObject({ nickname: '二支部党员', score: 0 });
  });
});

describe('abuse', () => {
  it('rate limits a socket that floods commands, and closes the connection on a frame over 16 KB', async () => {
    const { pin } = await newGame();
    const s = await socket();
    const acks = await Promise.all(Array.from({ length: 40 }, () => command(s, 'game:join', { pin: '000000', nickname: 'x' })));
    expect(acks.filter((a) => errorCode(a) === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(15);

    const big = await socket();
    const gone = new Promise<string>((resolve) => big.once('disconnect', (reason) => resolve(reason)));
    big.emit('game:join', { pin, nickname: 'y'.repeat(20_000) }, () => undefined);
    expect(await gone).toBe('transport close');
  });
});
