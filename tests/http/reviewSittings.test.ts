import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../server/infra/clock';
import type { ServiceDeps } from '../../server/services/deps';
import type { GameRecord } from '../../server/services/gameReportsService';
import type { Activity, ActivitySink } from '../../server/services/ledger/activity';
import { createReviewServices } from '../../server/services/review';
import { createLiveGameHook } from '../../server/services/review/liveHook';
import type { AnswerOutcome } from '../../server/services/review/outcomes';
import { createBranchesStore } from '../../server/store/branchesStore';
import { keys } from '../../server/store/keys';
import { createFailuresStore } from '../../server/store/review/failuresStore';
import { createUsersStore } from '../../server/store/usersStore';
import { ApiClient, seedBranch } from '../helpers/api';
import { leakedKeys, reviewSnapshot } from '../helpers/review';
import { ADMIN_PASSWORD, logger, startTestApp, type TestApp } from '../helpers/testApp';

/**
 * Issue 11, the gaps closed after the first round: practice sittings resumable and finished once (with their one
 * study-record activity), the live-game hook at least once without double counting, the wrong-answer book atomic.
 */
const DAY = 86_400_000;
// 10:00 in Shanghai: the test never crosses the organisation's midnight by itself.
const BASE = Date.parse('2026-12-01T02:00:00Z');
const clock = { now: () => BASE };
const TAG = '党内监督条例';

let t: TestApp;
let admin: ApiClient;
let one: Awaited<ReturnType<typeof seedBranch>>;
/** Every question created, with its key (all single choice: option 0 is right). */
const bank: string[] = [];

async function newMember(name: string) {
  const username = `rs_${Math.random().toString(36).slice(2, 8)}`;
  const user = (await admin.post('/api/users', { username, displayName: name, password: 'password-1', role: 'member', branchId: one.branch.id })).body.user;
  const phone = new ApiClient(t.url);
  await phone.login(username, 'password-1');
  const tablet = new ApiClient(t.url);
  await tablet.login(username, 'password-1');
  return { user, me: (await phone.get('/api/me')).body.user, phone, tablet };
}

const answer = (c: ApiClient, body: Record<string, unknown>) => c.post('/api/review/answers', { attemptId: randomUUID(), ...body });

/** The review services on the test's Redis with their own clock and study record (a second process, as it were). */
function reviewWith(now: Clock, activity: ActivitySink) {
  // The review reaches only these two of the app's shared stores (the branch summary's roll).
  const stores = { branches: createBranchesStore(t.redis), users: createUsersStore(t.redis) };
  const deps = { redis: t.redis, clock: now, logger, config: t.config, stores, notifier: { sessionsEnded: () => {}, userChanged: () => {} } };
  return createReviewServices(deps as unknown as ServiceDeps, activity);
}

/** A study record as the ledger keeps it: every call handed over, and the first write per (kind, refId, member). */
function recordingSink() {
  const calls: Activity[] = [];
  const kept = new Map<string, Activity>();
  const sink: ActivitySink = {
    async record(list) {
      for (const a of list) {
        calls.push(a);
        const id = `${a.kind}:${a.refId}:${a.memberId}`;
        if (!kept.has(id)) kept.set(id, a);
      }
    },
  };
  return { sink, calls, kept };
}

const snapshot = () => reviewSnapshot(t.redis);

beforeAll(async () => {
  t = await startTestApp({ clock });
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  one = await seedBranch(t.url, admin, '练习续答支部');
  for (let i = 0; i < 4; i++) {
    const res = await admin.post('/api/questions', {
      type: 'single',
      text: `监督${i}：党内监督的任务是什么？`,
      options: ['确保党章党规党纪在全党得到遵守', '确保个人意志', '确保部门利益'],
      answer: 0,
      explanation: `解析${i}`,
      source: '《中国共产党党内监督条例》',
      tags: [TAG],
    });
    expect(res.status).toBe(201);
    bank.push(res.body.question.id);
  }
});
afterAll(() => t.close());

describe('issue 11 item 1: practice sittings resumable', () => {
  it('issue 11: practice sitting resumes after reload and on a second device: the POST\'s shape, answered items with their result, no key for the rest', async () => {
    const { phone, tablet } = await newMember('续答');
    const started = await phone.post('/api/review/practice', { tag: TAG, order: 'sequential' });
    expect(started.status).toBe(201);
    const sitting = started.body.sitting;
    expect(sitting.finished).toBeNull();
    // Before any answer, the GET is the POST's answer exactly.
    expect((await tablet.get(`/api/review/practice/${sitting.id}`)).body).toEqual(started.body);

    const [q0, q1] = sitting.items.map((i: { questionId: string }) => i.questionId);
    const first = await answer(phone, { mode: 'practice', sittingId: sitting.id, questionId: q0, answer: 1 });
    expect(first.body).toMatchObject({ correct: false, correctAnswer: 0 });
    await answer(phone, { mode: 'practice', sittingId: sitting.id, questionId: q1, answer: 0 });

    const resumed = await tablet.get(`/api/review/practice/${sitting.id}`);
    expect(resumed.status).toBe(200);
    const s = resumed.body.sitting;
    expect(s).toMatchObject({ id: sitting.id, tag: TAG, order: 'sequential', fromWrongBook: false, total: sitting.total, finished: null });
    expect(s.items.map((i: { questionId: string }) => i.questionId)).toEqual(sitting.items.map((i: { questionId: string }) => i.questionId));
    expect(s.items[0]).toEqual({ questionId: q0, question: sitting.items[0].question, answered: true, result: first.body });
    expect(s.items[1]).toMatchObject({ answered: true, result: { correct: true, explanation: expect.any(String) } });
    for (const item of s.items.slice(2)) expect(item.answered).toBeUndefined();
    expect(leakedKeys(resumed.body)).toEqual([]);
  });

  it('issue 11: another member\'s sitting is 404 (not named), a malformed id 404, signed out 401; nothing written', async () => {
    const owner = await newMember('练习主人');
    const other = await newMember('旁人');
    const sitting = (await owner.phone.post('/api/review/practice', { tag: TAG, order: 'random' })).body.sitting;
    await answer(owner.phone, { mode: 'practice', sittingId: sitting.id, questionId: sitting.items[0].questionId, answer: 0 });
    const before = await snapshot();
    for (const res of [await other.phone.get(`/api/review/practice/${sitting.id}`), await other.phone.post(`/api/review/practice/${sitting.id}/finish`)]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    expect((await other.phone.get('/api/review/practice/nosuchsitting')).status).toBe(404);
    for (const bad of [`${sitting.id}:answers`, `${sitting.id}:finished`, 'a%20b', '%00', 'x'.repeat(65), '%7Breview%3A1%7D', '*']) {
      const got = await owner.phone.get(`/api/review/practice/${bad}`);
      expect(got.status, bad).toBe(404);
      expect(got.body.error.code).toBe('NOT_FOUND');
      const finished = await owner.phone.post(`/api/review/practice/${bad}/finish`);
      expect(finished.status, bad).toBe(404);
    }
    expect((await new ApiClient(t.url).get(`/api/review/practice/${sitting.id}`)).status).toBe(401);
    expect(await snapshot()).toBe(before);
    // The owner's sitting is untouched: still open.
    expect((await owner.phone.get(`/api/review/practice/${sitting.id}`)).body.sitting.finished).toBeNull();
  });
});

describe('issue 11 item 2: finishing a practice sitting', () => {
  it('issue 11: 结束练习 gives { answered, correct } once; an answer after it is 409 CONFLICT writing nothing; one activity in the record', async () => {
    const { me, phone } = await newMember('结束练习');
    const record = recordingSink();
    const review = reviewWith(clock, record.sink);
    const sitting = await review.practice.start(me, { tag: TAG, order: 'sequential' });
    const ids = sitting.items.map((i) => i.questionId);
    await review.answers.answer(me, { attemptId: randomUUID(), mode: 'practice', sittingId: sitting.id, questionId: ids[0]!, answer: 0 });
    await review.answers.answer(me, { attemptId: randomUUID(), mode: 'practice', sittingId: sitting.id, questionId: ids[1]!, answer: 2 });
    expect(record.calls).toEqual([]);

    expect(await review.practice.finish(me, sitting.id)).toEqual({ answered: 2, correct: 1 });
    // A repeat (here through the route) gives the first finish's summary.
    const again = await phone.post(`/api/review/practice/${sitting.id}/finish`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ answered: 2, correct: 1 });
    expect(await review.practice.finish(me, sitting.id)).toEqual({ answered: 2, correct: 1 });
    expect((await phone.get(`/api/review/practice/${sitting.id}`)).body.sitting.finished).toEqual({ answered: 2, correct: 1 });
    expect([...record.kept.values()]).toEqual([{ memberId: me.id, kind: 'practice', refId: sitting.id, at: BASE, title: TAG, result: { correct: 1, total: 2 } }]);
    expect(new Set(record.calls.map((c) => JSON.stringify(c))).size).toBe(1);

    // After the finish: refused, nothing written (a new attemptId, an unanswered question and an answered one).
    const before = await snapshot();
    const attemptId = randomUUID();
    for (const questionId of [ids[2], ids[0]]) {
      const late = await phone.post('/api/review/answers', { attemptId, mode: 'practice', sittingId: sitting.id, questionId, answer: 0 });
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('CONFLICT');
    }
    await expect(review.answers.answer(me, { attemptId: randomUUID(), mode: 'practice', sittingId: sitting.id, questionId: ids[3]!, answer: 0 })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await snapshot()).toBe(before);
  });

  it('issue 11: the last answer finishes the sitting (the book\'s practice is titled 错题练习); a finish with no answer records nothing', async () => {
    const { me } = await newMember('答完即结束');
    const record = recordingSink();
    const review = reviewWith(clock, record.sink);
    // Two wrong answers put two questions in the book; its practice then holds just those.
    const topic = await review.practice.start(me, { tag: TAG, order: 'sequential' });
    for (const item of topic.items.slice(0, 2)) await review.answers.answer(me, { attemptId: randomUUID(), mode: 'practice', sittingId: topic.id, questionId: item.questionId, answer: 1 });
    const book = await review.practice.start(me, { order: 'random', fromWrongBook: true });
    expect(book.total).toBe(2);
    for (const [n, item] of book.items.entries()) {
      expect(record.kept.has(`practice:${book.id}:${me.id}`)).toBe(false);
      await review.answers.answer(me, { attemptId: randomUUID(), mode: 'wrong_book', sittingId: book.id, questionId: item.questionId, answer: n === 0 ? 0 : 2 });
    }
    expect(record.kept.get(`practice:${book.id}:${me.id}`)).toEqual({ memberId: me.id, kind: 'practice', refId: book.id, at: BASE, title: '错题练习', result: { correct: 1, total: 2 } });
    expect((await review.practice.get(me, book.id)).finished).toEqual({ answered: 2, correct: 1 });
    await expect(review.answers.answer(me, { attemptId: randomUUID(), mode: 'wrong_book', sittingId: book.id, questionId: book.items[0]!.questionId, answer: 0 })).rejects.toMatchObject({ code: 'CONFLICT' });

    const empty = await review.practice.start(me, { tag: TAG, order: 'random' });
    expect(await review.practice.finish(me, empty.id)).toEqual({ answered: 0, correct: 0 });
    expect(record.kept.has(`practice:${empty.id}:${me.id}`)).toBe(false);
    expect(record.kept.has(`practice:${topic.id}:${me.id}`)).toBe(false);
  });
});

describe('issue 11: a question deleted after the sitting was made', () => {
  it('does not keep the sitting open for ever: answering the rest finishes it, and the record counts what was answered', async () => {
    const tag = '删除后练习';
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await admin.post('/api/questions', { type: 'single', text: `删除测试${i}：党内监督没有什么？`, options: ['禁区', '内容'], answer: 0, tags: [tag] });
      ids.push(res.body.question.id);
    }
    const { phone, user } = await newMember('删题');
    const sitting = (await phone.post('/api/review/practice', { tag, order: 'sequential' })).body.sitting;
    expect(sitting.total).toBe(2);
    expect((await admin.delete(`/api/questions/${ids[1]}`)).status).toBe(204);
    expect((await answer(phone, { mode: 'practice', sittingId: sitting.id, questionId: ids[0], answer: 0 })).body.correct).toBe(true);
    expect((await phone.get(`/api/review/practice/${sitting.id}`)).body.sitting.finished).toEqual({ answered: 1, correct: 1 });
    const entries = await t.app.services.ledger.record.ofMember(user.id);
    expect(entries.filter((e) => e.kind === 'practice')).toEqual([expect.objectContaining({ refId: sitting.id, title: tag, result: { correct: 1, total: 1 } })]);
  });
});

describe('issue 11 item 4: the live-game hook records at least once, applies once', () => {
  /** A finished game's record with what the hook reads: players, questions, every answer. */
  function gameRecord(id: string, players: { playerId: string; userId: string }[], answers: { playerId: string; index: number; correct: boolean; answer: number }[]) {
    const record = { id, createdAt: BASE - 3_600_000, finishedAt: BASE - 60_000, players, questions: bank.slice(0, 2).map((qid, index) => ({ index, id: qid })), detail: { answers, roll: null } };
    return record as unknown as GameRecord;
  }

  it('issue 11: a crash after part of a game was recorded (before its marker) is healed by the replay; nothing moves twice', async () => {
    const a = await newMember('党日甲');
    const b = await newMember('党日乙');
    const game = gameRecord(
      `game${Math.random().toString(36).slice(2, 8)}`,
      [
        { playerId: 'pa', userId: a.user.id },
        { playerId: 'pb', userId: b.user.id },
      ],
      [
        { playerId: 'pa', index: 0, correct: false, answer: 1 },
        { playerId: 'pa', index: 1, correct: true, answer: 0 },
        { playerId: 'pb', index: 0, correct: false, answer: 2 },
      ],
    );
    const sink = t.app.services.review.sink;
    const failures = createFailuresStore(t.redis);
    // The process dies after member A's answers went to the review, before B's and before the game's marker.
    const crashing = createLiveGameHook(
      {
        async record(outcomes: AnswerOutcome[]) {
          await sink.record(outcomes.filter((o) => o.memberId === a.user.id));
          throw new Error('process died');
        },
      },
      failures,
    );
    await expect(crashing.gameFinished(game)).rejects.toThrow('process died');
    const attemptsBefore = Number((await t.redis.hGet(keys.reviewQuestionAttempts(), bank[0]!)) ?? 0);
    const cardA = await t.redis.hGet(keys.reviewCards(a.user.id), bank[0]!);

    // The sweep finalises the game again: B's answer lands, A's are not applied a second time.
    await t.app.services.review.liveGames.gameFinished(game);
    expect(await t.redis.lLen(keys.reviewLog(a.user.id))).toBe(2);
    expect(await t.redis.hGet(keys.reviewCards(a.user.id), bank[0]!)).toBe(cardA);
    expect(await t.redis.lLen(keys.reviewLog(b.user.id))).toBe(1);
    expect(Number(await t.redis.hGet(keys.reviewQuestionAttempts(), bank[0]!))).toBe(attemptsBefore + 1);
    const bookA = (await a.phone.get('/api/review/wrong-book')).body.items;
    expect(bookA.map((e: { questionId: string; sources: string[] }) => [e.questionId, e.sources])).toEqual([[bank[0], ['live']]]);
    expect((await b.phone.get('/api/review/wrong-book')).body.items.map((e: { questionId: string }) => e.questionId)).toEqual([bank[0]]);

    // A replay of the whole recording (a crash after it, before the marker) changes nothing at all.
    const before = await snapshot();
    await sink.record([
      { memberId: a.user.id, questionId: bank[0]!, correct: false, at: BASE - 60_000, source: 'live', refId: game.id, answer: 1 },
      { memberId: a.user.id, questionId: bank[1]!, correct: true, at: BASE - 60_000, source: 'live', refId: game.id, answer: 0 },
      { memberId: b.user.id, questionId: bank[0]!, correct: false, at: BASE - 60_000, source: 'live', refId: game.id, answer: 2 },
    ]);
    expect(await snapshot()).toBe(before);
  });

  it('issue 11: a question asked twice in one game moves the card twice, and a replay still not again', async () => {
    const { user } = await newMember('两问同题');
    const outcome = (correct: boolean): AnswerOutcome => ({ memberId: user.id, questionId: bank[2]!, correct, at: BASE - 60_000, source: 'live', refId: 'gametwice', answer: correct ? 0 : 1 });
    await t.app.services.review.sink.record([outcome(false), outcome(true)]);
    expect(await t.redis.lLen(keys.reviewLog(user.id))).toBe(2);
    await t.app.services.review.sink.record([outcome(false), outcome(true)]);
    expect(await t.redis.lLen(keys.reviewLog(user.id))).toBe(2);
  });
});

describe('issue 11 item 5: the wrong-answer book updates atomically', () => {
  it('issue 11: right answers on two different days given at the same moment (two processes) take questions out of the book', async () => {
    const { me, phone } = await newMember('并发错题');
    // Every question wrong once: all four in the book.
    const topic = (await phone.post('/api/review/practice', { tag: TAG, order: 'sequential' })).body.sitting;
    for (const item of topic.items) await answer(phone, { mode: 'practice', sittingId: topic.id, questionId: item.questionId, answer: 1 });
    expect((await phone.get('/api/review/wrong-book')).body.total).toBe(bank.length);

    // Two processes whose clocks stand on two different days answer each question right at once.
    const today = reviewWith(clock, recordingSink().sink);
    const tomorrow = reviewWith({ now: () => BASE + DAY }, recordingSink().sink);
    const [s1, s2] = await Promise.all([today.practice.start(me, { order: 'sequential', fromWrongBook: true }), tomorrow.practice.start(me, { order: 'sequential', fromWrongBook: true })]);
    await Promise.all(
      bank.flatMap((questionId) => [
        today.answers.answer(me, { attemptId: randomUUID(), mode: 'wrong_book', sittingId: s1.id, questionId, answer: 0 }),
        tomorrow.answers.answer(me, { attemptId: randomUUID(), mode: 'wrong_book', sittingId: s2.id, questionId, answer: 0 }),
      ]),
    );
    expect((await phone.get('/api/review/wrong-book')).body.items).toEqual([]);
  });

  it('issue 11: wrong answers from several places at once all keep their source', async () => {
    const { me, user } = await newMember('多处答错');
    const review = reviewWith(clock, recordingSink().sink);
    const sitting = await review.practice.start(me, { tag: TAG, order: 'sequential' });
    const q = bank[3]!;
    await Promise.all([
      review.answers.answer(me, { attemptId: randomUUID(), mode: 'practice', sittingId: sitting.id, questionId: q, answer: 1 }),
      t.app.services.review.sink.record([{ memberId: user.id, questionId: q, correct: false, at: BASE, source: 'live', refId: 'gamesources', answer: 2 }]),
      t.app.services.review.sink.record([{ memberId: user.id, questionId: q, correct: false, at: BASE, source: 'exam', refId: 'attemptsources', answer: 1 }]),
    ]);
    const entry = JSON.parse((await t.redis.hGet(keys.reviewWrongBook(user.id), q))!);
    expect([...entry.sources].sort()).toEqual(['exam', 'live', 'practice']);
    expect(entry).toMatchObject({ firstWrongAt: BASE, lastWrongAt: BASE, rightDays: [] });
  });
});
