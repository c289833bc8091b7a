import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlayerResultPayload, QuestionOpenPayload } from '../../shared/events';
import { competitionRanks, scoreAnswer } from '../../server/domain/scoring';
import { createLiveAnswersStore } from '../../server/store/liveAnswersStore';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';
import { ok, openSocket, seedQuiz } from '../helpers/live';
import { waitFor, type LiveClient } from '../helpers/sockets';

let t: TestApp;
let admin: ApiClient;
beforeAll(async () => {
  t = await startTestApp();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
});
afterAll(() => t.close());

const RIGHT = [0, [0, 1, 2], 0, '人民'] as const;
const WRONG = [1, [0, 1], 1, '群众'] as const;
const PLAYERS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a full game with 50 players', () => {
  it('scores every player exactly as the rules give from the server-recorded answer times', async () => {
    const { quizId } = await seedQuiz(admin, '五十人竞答', 5);
    const { branch, member, memberClient } = await seedBranch(t.url, admin, '竞答支部');
    const host = await openSocket(t.url, admin);
    const { gameId, pin } = await ok<{ gameId: string; pin: string }>(host, 'game:create', { quizId, allowGuests: true });
    expect(pin).toMatch(/^\d{6}$/);

    // 49 guests and one logged-in member, whose result lands in their study record.
    const players: { socket: LiveClient; playerId: string; opens: QuestionOpenPayload[]; results: PlayerResultPayload[] }[] = [];
    for (let i = 0; i < PLAYERS; i++) {
      const socket = await openSocket(t.url, i === 0 ? memberClient : undefined);
      const entry = { socket, playerId: '', opens: [] as QuestionOpenPayload[], results: [] as PlayerResultPayload[] };
      socket.on('question:open', (p) => entry.opens.push(p));
      socket.on('player:result', (p) => entry.results.push(p));
      const joined = await ok<{ playerId: string; phase: string }>(socket, 'game:join', i === 0 ? { pin } : { pin, nickname: `玩家${i}` });
      expect(joined.phase).toBe('lobby');
      entry.playerId = joined.playerId;
      players.push(entry);
    }
    const rawOpens: string[] = [];
    host.on('question:open', (p) => rawOpens.push(JSON.stringify(p)));

    const answersStore = createLiveAnswersStore(t.redis);
    const expected = new Map(players.map((p) => [p.playerId, { score: 0, streak: 0 }]));
    for (let q = 0; q < RIGHT.length; q++) {
      const opened = Promise.all(players.map((p) => waitFor(p.socket, 'question:open')));
      await ok(host, q === 0 ? 'game:start' : 'game:next', { gameId });
      const opens = await opened;
      expect(new Set(opens.map((o) => o.index))).toEqual(new Set([q]));
      const closed = waitFor(host, 'question:close', 8000);
      const resulted = Promise.all(players.map((p) => waitFor(p.socket, 'player:result', 8000)));
      // Every player answers once, at spread times; some right, some wrong. The last answer closes the question early.
      await Promise.all(
        players.map(async (p, i) => {
          await sleep((i * 7) % 300);
          const right = (i + q) % 3 !== 0;
          await ok(p.socket, 'answer:submit', { gameId, index: q, answer: right ? RIGHT[q] : WRONG[q] });
        }),
      );
      const close = await closed;
      expect(close.correctAnswer).toEqual(q === 3 ? ['人民'] : RIGHT[q]);
      await resulted;
      const { openedAt, timeLimitMs } = opens[0]!;
      for (const [i, p] of players.entries()) {
        const at = await answersStore.answerTime(gameId, q, p.playerId);
        expect(at).not.toBeNull();
        const e = expected.get(p.playerId)!;
        const scored = scoreAnswer((i + q) % 3 !== 0, e.streak, at! - openedAt, timeLimitMs, { speedBonus: true, streakBonus: true });
        e.score += scored.points;
        e.streak = scored.streak;
        const result = p.results[q]!;
        expect(result).toMatchObject({ index: q, points: scored.points, score: e.score, streak: scored.streak, correct: scored.points > 0 });
      }
      // Ranks in each result are the standard competition ranks of all scores.
      const ranked = competitionRanks([...expected.entries()].map(([id, e]) => ({ id, score: e.score })));
      for (const p of players) expect(p.results[q]!.rank).toBe(ranked.find((r) => r.id === p.playerId)!.rank);
    }

    const finished = waitFor(host, 'game:finished');
    await ok(host, 'game:next', { gameId });
    const { podium } = await finished;
    const top = Math.max(...[...expected.values()].map((e) => e.score));
    expect(podium[0]!.score).toBe(top);
    expect(podium.every((e) => e.rank <= 3)).toBe(true);

    // No question:open frame ever carried an answer or an explanation.
    expect(rawOpens).toHaveLength(4);
    for (const raw of rawOpens) {
      const open = JSON.parse(raw) as QuestionOpenPayload;
      expect(Object.keys(open.question).sort()).toEqual(['id', 'options', 'text', 'type']);
      expect(raw).not.toMatch(/answer|explanation|党章规定|六项纪律/);
    }

    // The record: report, list, export, and the member's own result.
    const report = (await admin.get(`/api/games/${gameId}`)).body.game;
    expect(report.phase).toBe('finished');
    expect(report.players).toHaveLength(PLAYERS);
    for (const p of players) expect(report.players.find((r: { playerId: string }) => r.playerId === p.playerId).score).toBe(expected.get(p.playerId)!.score);
    expect(report.questions.map((q: { answered: number }) => q.answered)).toEqual([PLAYERS, PLAYERS, PLAYERS, PLAYERS]);
    const rightCount = (q: number) => players.filter((_, i) => (i + q) % 3 !== 0).length;
    expect(report.questions.map((q: { correct: number }) => q.correct)).toEqual([0, 1, 2, 3].map(rightCount));
    expect((await admin.get('/api/games')).body.items.map((g: { id: string }) => g.id)).toContain(gameId);
    const xlsx = await admin.get(`/api/games/${gameId}/export.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect((await memberClient.get(`/api/games/${gameId}/export.xlsx`)).status).toBe(403);
    expect((await memberClient.get(`/api/games/${gameId}`)).status).toBe(403);
    const mine = (await memberClient.get('/api/me/games')).body.items;
    expect(mine).toEqual([expect.objectContaining({ gameId, score: expected.get(players[0]!.playerId)!.score, total: 4, players: PLAYERS })]);
    expect(member.branchId).toBe(branch.id);

    host.close();
    for (const p of players) p.socket.close();
  }, 60_000);
});
