import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { keys } from '../../server/store/keys';
import type { GameAnswersPayload, QuestionClosePayload } from '../../shared/events';
import { ADMIN_PASSWORD, logger, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';
import { command, errorCode, ok, openSocket, seedQuiz } from '../helpers/live';
import { waitFor, type LiveClient } from '../helpers/sockets';

let t: TestApp;
let admin: ApiClient;
let quizId: string;
let one: Awaited<ReturnType<typeof seedBranch>>;
const sockets: LiveClient[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  t = await startTestApp();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  ({ quizId } = await seedQuiz(admin, '第九号', 20));
  // Created before any guest joins, so the members' names are known to the lobby from the start.
  one = await seedBranch(t.url, admin, '九支部');
});
afterAll(async () => {
  for (const s of sockets) s.close();
  for (const close of closers) await close();
  await t.close();
});

async function socket(client?: ApiClient, url = t.url) {
  const s = await openSocket(url, client);
  sockets.push(s);
  return s;
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

/** Every event a socket receives, in order. */
function record(s: LiveClient) {
  const seen: { event: string; payload: unknown }[] = [];
  s.onAny((event: string, payload: unknown) => seen.push({ event, payload }));
  return seen;
}

/** Resolves once `check` holds, polling; fails after `timeoutMs`. */
async function until(check: () => boolean | Promise<boolean>, timeoutMs = 3000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('issue 9 item 1: reload or reconnect during the reveal', () => {
  it('question:close carries the question, player:result the player\'s own answer; a reloaded host and phone get both in the catch-up', async () => {
    const { host, gameId, pin } = await newGame();
    const a = await guest(pin, '揭晓甲');
    const b = await guest(pin, '揭晓乙');
    const opened = waitFor(a.s, 'question:open');
    await ok(host, 'game:start', { gameId });
    const open = await opened;
    await ok(a.s, 'answer:submit', { gameId, index: 0, answer: 1 });
    const closeA = waitFor(a.s, 'question:close');
    const resultA = waitFor(a.s, 'player:result');
    const resultB = waitFor(b.s, 'player:result');
    await ok(host, 'game:next', { gameId });
    expect((await closeA).question).toEqual(open.question);
    expect(await resultA).toMatchObject({ index: 0, correct: false, answer: 1 });
    expect(await resultB).toMatchObject({ index: 0, correct: false, answer: null });

    // The host console reloads: the ack and the catch-up hold everything the reveal screen needs.
    const host2 = await socket(admin);
    const hostClose = waitFor(host2, 'question:close');
    const hostBoard = waitFor(host2, 'leaderboard');
    expect(await ok(host2, 'game:host', { gameId })).toMatchObject({ phase: 'reveal', index: 0 });
    const caught: QuestionClosePayload = await hostClose;
    expect(caught).toMatchObject({ index: 0, correctAnswer: 0, question: open.question });
    expect(caught.explanation).not.toBe('');
    expect((await hostBoard).totalPlayers).toBe(2);

    // The phone reloads: its own result comes back with what it chose.
    a.s.close();
    const phone = await socket();
    const phoneClose = waitFor(phone, 'question:close');
    const phoneResult = waitFor(phone, 'player:result');
    expect(await ok(phone, 'game:join', { pin, rejoinToken: a.rejoinToken })).toMatchObject({ phase: 'reveal', playerId: a.playerId });
    expect((await phoneClose).question).toEqual(open.question);
    expect(await phoneResult).toMatchObject({ answer: 1, correct: false, index: 0 });
  });
});

describe('issue 9 item 10: the join and host acks, nameless guests, the final answer count', () => {
  it('game:join acks nickname, quiz title and guest; game:host acks locked and title', async () => {
    const { host, gameId, pin } = await newGame();
    const g = await socket();
    expect(await ok(g, 'game:join', { pin, nickname: '  访客小王 ' })).toMatchObject({ nickname: '访客小王', title: '第九号', guest: true });
    const m = await socket(one.memberClient);
    expect(await ok(m, 'game:join', { pin })).toMatchObject({ nickname: '九支部党员', title: '第九号', guest: false });
    // Coming back keeps the name the player joined with.
    expect(await ok(await socket(one.memberClient), 'game:join', { pin })).toMatchObject({ nickname: '九支部党员', guest: false });
    expect(await ok(host, 'game:host', { gameId })).toMatchObject({ locked: false, title: '第九号', phase: 'lobby', index: -1 });
  });

  it('refuses a guest join with an unknown rejoinToken and no nickname (INVALID_INPUT), creating no nameless player', async () => {
    const { gameId, pin } = await newGame();
    const s = await socket();
    expect(errorCode(await command(s, 'game:join', { pin, rejoinToken: 'no-such-token' }))).toBe('INVALID_INPUT');
    expect(await t.redis.hLen(keys.gamePlayers(gameId))).toBe(0);
    // With a nickname the same unknown token simply joins as a new player.
    expect(await ok(s, 'game:join', { pin, rejoinToken: 'no-such-token', nickname: '新来的' })).toMatchObject({ nickname: '新来的' });
    expect(await t.redis.hLen(keys.gamePlayers(gameId))).toBe(1);
  });

  it('sends the hosts an exact game:answers (answered == total) before question:close when everyone answered', async () => {
    const { host, gameId, pin } = await newGame();
    const players = [await guest(pin, '数一'), await guest(pin, '数二'), await guest(pin, '数三')];
    const seen = record(host);
    const opened = waitFor(players[0]!.s, 'question:open');
    await ok(host, 'game:start', { gameId });
    await opened;
    const closed = waitFor(host, 'question:close');
    await Promise.all(players.map((p) => ok(p.s, 'answer:submit', { gameId, index: 0, answer: 0 })));
    await closed;
    const at = seen.findIndex((e) => e.event === 'question:close');
    const counts = seen.slice(0, at).filter((e) => e.event === 'game:answers');
    expect(counts.at(-1)?.payload).toEqual({ gameId, index: 0, answered: 3, total: 3 } satisfies GameAnswersPayload);
  });
});

describe('issue 9 item 5: guests cannot pass as members', () => {
  it('refuses a guest nickname equal (trimmed, any case) to a member\'s display name, and marks guests on the leaderboard and podium', async () => {
    const latin = await admin.post('/api/users', { username: `li_${Date.now() % 100000}`, displayName: 'Li Lei', password: 'password-1', role: 'member', branchId: one.branch.id });
    expect(latin.status).toBe(201);
    // A fresh app, so its lobby reads the member names including the one just created.
    const fresh = await startTestApp({ redis: t.redis });
    closers.push(() => fresh.close());
    const host = await socket(admin, fresh.url);
    const { gameId, pin } = await ok<{ gameId: string; pin: string }>(host, 'game:create', { quizId, allowGuests: true });
    for (const nickname of ['九支部党员', ' 九支部党员 ', 'li lei', 'LI LEI']) {
      expect(errorCode(await command(await socket(undefined, fresh.url), 'game:join', { pin, nickname })), nickname).toBe('NICKNAME_TAKEN');
    }
    const g = await socket(undefined, fresh.url);
    await ok(g, 'game:join', { pin, nickname: '真访客' });
    const m = await socket(one.memberClient, fresh.url);
    await ok(m, 'game:join', { pin });
    const opened = waitFor(g, 'question:open');
    await ok(host, 'game:start', { gameId });
    await opened;
    const board = waitFor(host, 'leaderboard');
    await ok(g, 'answer:submit', { gameId, index: 0, answer: 0 });
    await ok(m, 'answer:submit', { gameId, index: 0, answer: 1 });
    const { top } = await board;
    expect(top.map((e) => [e.nickname, e.guest])).toEqual([
      ['真访客', true],
      ['九支部党员', false],
    ]);
    const finished = waitFor(g, 'game:finished');
    await ok(host, 'game:end', { gameId });
    expect((await finished).podium.map((e) => [e.nickname, e.guest])).toEqual([
      ['真访客', true],
      ['九支部党员', false],
    ]);
  });
});

describe('issue 9 item 6: join floods', () => {
  it('game:lock refuses new players with GAME_LOCKED while rejoins work; hosts see locked in game:players and the host ack', async () => {
    const { host, gameId, pin } = await newGame();
    const a = await guest(pin, '锁前');
    const m = await socket(one.memberClient);
    await ok(m, 'game:join', { pin });
    const roster = waitFor(host, 'game:players');
    expect(await ok(host, 'game:lock', { gameId, locked: true })).toEqual({ ok: true });
    await until(async () => (await roster).locked === true);
    expect(errorCode(await command(await socket(), 'game:join', { pin, nickname: '锁后' }))).toBe('GAME_LOCKED');
    // A logged-in account new to the game is a new player too.
    expect(errorCode(await command(await socket(one.secretaryClient), 'game:join', { pin }))).toBe('GAME_LOCKED');
    a.s.close();
    expect(await ok(await socket(), 'game:join', { pin, rejoinToken: a.rejoinToken })).toMatchObject({ playerId: a.playerId });
    const m2 = await socket(one.memberClient); // the member's second device takes over from `m`
    expect(await ok(m2, 'game:join', { pin })).toMatchObject({ guest: false });
    expect(await ok(await socket(admin), 'game:host', { gameId })).toMatchObject({ locked: true });
    expect(errorCode(await command(m2, 'game:lock', { gameId, locked: false }))).toBe('FORBIDDEN');
    const unlocked = waitFor(host, 'game:players');
    await ok(host, 'game:lock', { gameId, locked: false });
    expect((await unlocked).locked).toBe(false);
    await ok(await socket(), 'game:join', { pin, nickname: '解锁后' });
  });

  it('game:kickGuests kicks every guest (each hears player:kicked) and keeps the members', async () => {
    const { host, gameId, pin } = await newGame();
    const g1 = await guest(pin, '访一');
    const g2 = await guest(pin, '访二');
    const m = await socket(one.memberClient);
    await ok(m, 'game:join', { pin });
    const kicked = Promise.all([waitFor(g1.s, 'player:kicked'), waitFor(g2.s, 'player:kicked')]);
    expect(await ok(host, 'game:kickGuests', { gameId })).toEqual({ ok: true, removed: 2 });
    expect(await kicked).toEqual([{ gameId }, { gameId }]);
    const left = await t.app.services.liveGames.rosterView(gameId);
    expect(left.players.map((p) => p.nickname)).toEqual(['九支部党员']);
    expect(errorCode(await command(await socket(), 'game:join', { pin, rejoinToken: g1.rejoinToken }))).toBe('FORBIDDEN');
    expect(errorCode(await command(m, 'game:kickGuests', { gameId }))).toBe('FORBIDDEN');
  });

  it('limits new guest players per IP and game (GUEST_JOINS_PER_MINUTE); rejoins and members are not counted', async () => {
    const limited = await startTestApp({ redis: t.redis, config: { guestJoinsPerMinute: 2 } });
    closers.push(() => limited.close());
    const host = await socket(admin, limited.url);
    const { pin } = await ok<{ gameId: string; pin: string }>(host, 'game:create', { quizId, allowGuests: true });
    const first = await ok<{ rejoinToken: string }>(await socket(undefined, limited.url), 'game:join', { pin, nickname: '限一' });
    await ok(await socket(undefined, limited.url), 'game:join', { pin, nickname: '限二' });
    expect(errorCode(await command(await socket(undefined, limited.url), 'game:join', { pin, nickname: '限三' }))).toBe('RATE_LIMITED');
    await ok(await socket(undefined, limited.url), 'game:join', { pin, rejoinToken: first.rejoinToken });
    const member = new ApiClient(limited.url);
    member.cookie = one.memberClient.cookie;
    await ok(await socket(member, limited.url), 'game:join', { pin });
  });
});

describe('issue 9 items 13 and 14: every staff command re-checks the session and role in Redis', () => {
  /** A process whose sockets do not hear other processes' disconnects (a lost message): only the per-command check protects it. */
  async function isolatedApp() {
    const config = { ...loadConfig({}), clientDir: '/nonexistent' };
    const app = createApp({ redis: t.redis, clock: { now: () => Date.now() }, logger, config });
    await app.linkProcesses(`isolated-${process.env.VITEST_POOL_ID ?? '1'}-${Date.now()}`);
    await new Promise<void>((resolve) => app.http.listen(0, '127.0.0.1', resolve));
    closers.push(() => app.stop());
    return `http://127.0.0.1:${(app.http.address() as AddressInfo).port}`;
  }

  it('a secretary demoted through the REST API gets FORBIDDEN for game:start and every host command on the already open socket', async () => {
    const s = await seedBranch(t.url, admin, '降级支部');
    const url = await isolatedApp();
    const secretary = new ApiClient(url);
    secretary.cookie = s.secretaryClient.cookie;
    const sock = await socket(secretary, url);
    const { gameId } = await ok<{ gameId: string }>(sock, 'game:create', { quizId, allowGuests: true });
    expect((await admin.patch(`/api/users/${s.secretary.id}`, { role: 'member' })).status).toBe(200);
    expect(sock.connected).toBe(true);
    for (const event of ['game:start', 'game:next', 'game:end', 'game:host', 'game:kickGuests'] as const) {
      expect(errorCode(await command(sock, event, { gameId })), event).toBe('FORBIDDEN');
    }
    expect(errorCode(await command(sock, 'game:lock', { gameId, locked: true }))).toBe('FORBIDDEN');
    expect(errorCode(await command(sock, 'game:create', { quizId }))).toBe('FORBIDDEN');
    expect(await t.redis.hGet(keys.gameState(gameId), 'phase')).toBe('lobby');
  });

  it('an expired session gets UNAUTHENTICATED on the open socket', async () => {
    const s = await seedBranch(t.url, admin, '过期支部');
    const sock = await socket(s.secretaryClient);
    const { gameId } = await ok<{ gameId: string }>(sock, 'game:create', { quizId });
    for (const sid of await t.redis.sMembers(keys.userSessions(s.secretary.id))) await t.redis.del(keys.session(sid));
    expect(errorCode(await command(sock, 'game:start', { gameId }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await command(sock, 'game:create', { quizId }))).toBe('UNAUTHENTICATED');
    expect(await t.redis.hGet(keys.gameState(gameId), 'phase')).toBe('lobby');
  });

  it('issue 9 item 14: staff socket commands are refused with PASSWORD_CHANGE_REQUIRED while mustChangePassword is set', async () => {
    const username = `new_sec_${Date.now() % 100000}`;
    expect((await admin.post('/api/users', { username, displayName: '新书记', password: 'password-1', role: 'secretary', branchId: one.branch.id })).status).toBe(201);
    const fresh = new ApiClient(t.url);
    expect((await fresh.login(username, 'password-1', { keepMustChange: true })).mustChangePassword).toBe(true);
    const sock = await socket(fresh);
    expect(errorCode(await command(sock, 'game:create', { quizId }))).toBe('PASSWORD_CHANGE_REQUIRED');
    const { gameId } = await newGame();
    for (const event of ['game:host', 'game:start', 'game:end'] as const) {
      expect(errorCode(await command(sock, event, { gameId })), event).toBe('PASSWORD_CHANGE_REQUIRED');
    }
  });
});
