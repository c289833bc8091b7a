import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';
import { leakedKeys, reviewSnapshot } from '../helpers/review';
import { ok, openSocket, seedQuiz } from '../helpers/live';
import { waitFor, type LiveClient } from '../helpers/sockets';
import { keys } from '../../server/store/keys';
import { createGameReportDataStore } from '../../server/store/gameReportDataStore';

const DAY = 86_400_000;
// 10:00 in Shanghai: a test run never crosses the organisation's midnight by itself.
const BASE = Date.parse('2026-12-01T02:00:00Z');
let offset = BASE - Date.now();
const clock = { now: () => Date.now() + offset };
const nextDay = () => {
  offset += DAY;
};

let t: TestApp;
let admin: ApiClient;
let one: Awaited<ReturnType<typeof seedBranch>>;
let two: Awaited<ReturnType<typeof seedBranch>>;
const sockets: LiveClient[] = [];
/** Every question created, with its key, by id. */
const bank = new Map<string, { id: string; type: string; answer: unknown; tags: string[] }>();

const TYPES = [
  (i: number) => ({ type: 'single', text: `复习单选${i}：党的最高领导机关是？`, options: ['全国代表大会和它所产生的中央委员会', '中央纪律检查委员会', '中央军事委员会'], answer: 0 }),
  (i: number) => ({ type: 'judge', text: `复习判断${i}：党员必须履行党员义务。`, options: ['正确', '错误'], answer: 0 }),
  (i: number) => ({ type: 'multiple', text: `复习多选${i}：以下哪些是党的纪律？`, options: ['政治纪律', '组织纪律', '天气纪律'], answer: [0, 1] }),
  (i: number) => ({ type: 'blank', text: `复习填空${i}：党的根本宗旨是全心全意为____服务。`, options: [], answer: ['人民'] }),
];

const right = (id: string) => {
  const q = bank.get(id)!;
  return q.type === 'blank' ? '人民' : q.answer;
};
const wrong = (id: string) => {
  const q = bank.get(id)!;
  return q.type === 'blank' ? '群众' : q.type === 'multiple' ? [2] : 1;
};

/** A member of branch `one` with a fresh account, and a second device logged in as the same member. */
async function newMember(name: string, branchId = one.branch.id) {
  const username = `rv_${name}_${Math.random().toString(36).slice(2, 6)}`;
  const user = (await admin.post('/api/users', { username, displayName: name, password: 'password-1', role: 'member', branchId })).body.user;
  const phone = new ApiClient(t.url);
  await phone.login(username, 'password-1');
  return { user, phone, username };
}

const answer = (c: ApiClient, body: Record<string, unknown>) => c.post('/api/review/answers', { attemptId: randomUUID(), ...body });

beforeAll(async () => {
  t = await startTestApp({ clock });
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  one = await seedBranch(t.url, admin, '复习一支部');
  two = await seedBranch(t.url, admin, '复习二支部');
  for (let i = 0; i < 12; i++) {
    const res = await admin.post('/api/questions', { ...TYPES[i % 4]!(i), explanation: `解析${i}`, source: '《中国共产党章程》', tags: [i % 2 ? '党章' : '纪律处分条例'] });
    expect(res.status).toBe(201);
    bank.set(res.body.question.id, res.body.question);
  }
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await t.close();
});

describe('issue 11: the daily set (每日一练)', () => {
  it('is the same on two devices all day (even after answers make other cards due) and changes the next day', async () => {
    const { phone, username } = await newMember('两台设备');
    const tablet = new ApiClient(t.url);
    await tablet.login(username, 'password-1');
    const [a, b] = await Promise.all([phone.get('/api/review/daily'), tablet.get('/api/review/daily')]);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ date: '2026-12-01', total: 5, done: 0, due: 0 });
    const ids = a.body.items.map((i: { questionId: string }) => i.questionId);
    expect(b.body.items.map((i: { questionId: string }) => i.questionId)).toEqual(ids);

    // One answered on the phone shows as answered, with its result, on the tablet (resume where left).
    const first = await answer(phone, { mode: 'daily', questionId: ids[0], answer: right(ids[0]) });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ correct: true, explanation: expect.any(String), source: '《中国共产党章程》', nextDue: expect.any(Number) });
    const resumed = (await tablet.get('/api/review/daily')).body;
    expect(resumed.done).toBe(1);
    expect(resumed.items[0]).toMatchObject({ questionId: ids[0], answered: true, result: { correct: true } });

    // Other questions answered wrong in a practice are due a minute later; today's set still does not change.
    const sitting = (await phone.post('/api/review/practice', { order: 'sequential' })).body.sitting;
    const others = sitting.items.map((i: { questionId: string }) => i.questionId).filter((id: string) => !ids.includes(id));
    for (const id of others) expect((await answer(phone, { mode: 'practice', sittingId: sitting.id, questionId: id, answer: wrong(id) })).body.correct).toBe(false);
    offset += 5 * 60_000;
    const later = (await tablet.get('/api/review/daily')).body;
    expect(later.items.map((i: { questionId: string }) => i.questionId)).toEqual(ids);
    expect(later.due).toBe(others.length);

    nextDay();
    const [c, d] = await Promise.all([phone.get('/api/review/daily'), tablet.get('/api/review/daily')]);
    expect(c.body).toMatchObject({ date: '2026-12-02', done: 0, total: 5 });
    const tomorrow = c.body.items.map((i: { questionId: string }) => i.questionId);
    expect(d.body.items.map((i: { questionId: string }) => i.questionId)).toEqual(tomorrow);
    // Due cards first: the ones answered wrong yesterday (all due), before any new question.
    expect(tomorrow.every((id: string) => others.includes(id))).toBe(true);
    expect(tomorrow).not.toEqual(ids);
  });

  it('an answer retried with the same attemptId counts once, also 20 at the same moment', async () => {
    const { user, phone } = await newMember('重试');
    const items = (await phone.get('/api/review/daily')).body.items;
    const q = items[0].questionId;
    const attemptId = randomUUID();
    const body = { attemptId, mode: 'daily', questionId: q, answer: wrong(q) };
    const before = Number((await t.redis.hGet(keys.reviewQuestionAttempts(), q)) ?? 0);
    const all = await Promise.all(Array.from({ length: 20 }, () => phone.post('/api/review/answers', body)));
    expect(all.map((r) => r.status)).toEqual(Array(20).fill(200));
    for (const r of all) expect(r.body).toEqual(all[0]!.body);
    expect(all[0]!.body.correct).toBe(false);
    const again = await phone.post('/api/review/answers', { ...body, answer: right(q) });
    expect(again.body).toEqual(all[0]!.body);
    expect(await t.redis.lLen(keys.reviewLog(user.id))).toBe(1);
    expect(Number(await t.redis.hGet(keys.reviewQuestionAttempts(), q))).toBe(before + 1);
    const card = await t.redis.hGet(keys.reviewCards(user.id), q);
    expect(card).toBeTruthy();
    // A second attempt (a new attemptId) at the same question in the same set does not move the card.
    const second = await answer(phone, { mode: 'daily', questionId: q, answer: right(q) });
    expect(second.body).toMatchObject({ correct: true, nextDue: null });
    expect(await t.redis.hGet(keys.reviewCards(user.id), q)).toBe(card);
    expect(await t.redis.lLen(keys.reviewLog(user.id))).toBe(1);
  });

  it('an answer to a question not in the current set or sitting is refused with the envelope, nothing written', async () => {
    const { user, phone } = await newMember('越权');
    const ids = (await phone.get('/api/review/daily')).body.items.map((i: { questionId: string }) => i.questionId);
    const outside = [...bank.keys()].find((id) => !ids.includes(id))!;
    const attemptId = randomUUID();
    const before = await t.redis.hGetAll(keys.reviewQuestionAttempts());
    const refused = await phone.post('/api/review/answers', { attemptId, mode: 'daily', questionId: outside, answer: right(outside) });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    const noSitting = await phone.post('/api/review/answers', { attemptId, mode: 'practice', sittingId: 'nosuchsitting', questionId: outside, answer: 0 });
    expect(noSitting.status).toBe(404);
    const noSittingId = await phone.post('/api/review/answers', { attemptId, mode: 'practice', questionId: outside, answer: 0 });
    expect(noSittingId.status).toBe(400);
    expect(noSittingId.body.error.code).toBe('INVALID_INPUT');
    const badId = await phone.post('/api/review/answers', { attemptId: 'not-a-uuid', mode: 'daily', questionId: ids[0], answer: 0 });
    expect(badId.status).toBe(400);
    // Another member's sitting is not found for this one.
    const other = await newMember('别人的练习');
    const theirs = (await other.phone.post('/api/review/practice', { order: 'random' })).body.sitting;
    const stolen = await phone.post('/api/review/answers', { attemptId, mode: 'practice', sittingId: theirs.id, questionId: theirs.items[0].questionId, answer: 0 });
    expect(stolen.status).toBe(404);
    expect(await t.redis.exists([keys.reviewAttempt(user.id, attemptId), keys.reviewCards(user.id), keys.reviewLog(user.id), keys.reviewWrongBook(user.id), keys.reviewDays(user.id)])).toBe(0);
    expect(await t.redis.hGetAll(keys.reviewQuestionAttempts())).toEqual(before);
  });
});

describe('issue 11: edits and retries', () => {
  it('本题已修订: after a question is edited, the next review of a card for it is flagged revised, once', async () => {
    const { phone } = await newMember('修订');
    const first = (await phone.post('/api/review/practice', { tag: '党章', order: 'sequential' })).body.sitting;
    const q = first.items[0].questionId;
    expect(first.items[0].revised).toBeUndefined();
    expect((await answer(phone, { mode: 'practice', sittingId: first.id, questionId: q, answer: right(q) })).body.revised).toBeUndefined();
    const { id: _id, createdBy: _c, updatedAt: _u, branchId: _b, ...content } = (await admin.get(`/api/questions/${q}`)).body.question;
    const edited = await admin.request('PUT', `/api/questions/${q}`, { ...content, explanation: '解析已修订' });
    expect(edited.status).toBe(200);
    const second = (await phone.post('/api/review/practice', { tag: '党章', order: 'sequential' })).body.sitting;
    expect(second.items.find((i: { questionId: string }) => i.questionId === q).revised).toBe(true);
    const res = (await answer(phone, { mode: 'practice', sittingId: second.id, questionId: q, answer: right(q) })).body;
    expect(res).toMatchObject({ revised: true, explanation: '解析已修订' });
    const third = (await phone.post('/api/review/practice', { tag: '党章', order: 'sequential' })).body.sitting;
    expect(third.items.find((i: { questionId: string }) => i.questionId === q).revised).toBeUndefined();
  });

  it('a right answer slower than 3x the member\'s median for the type is Hard; a break of over 10 minutes is not slowness', async () => {
    const { user, phone } = await newMember('慢答');
    const sitting = (await phone.post('/api/review/practice', { tag: '纪律处分条例', order: 'sequential' })).body.sitting;
    const steps = [2_000, 2_000, 60_000, 20 * 60_000];
    const ids = sitting.items.map((i: { questionId: string }) => i.questionId).slice(0, steps.length);
    for (const [n, id] of ids.entries()) {
      offset += steps[n]!;
      expect((await answer(phone, { mode: 'practice', sittingId: sitting.id, questionId: id, answer: right(id) })).body.correct).toBe(true);
    }
    const grades = (await t.redis.lRange(keys.reviewLog(user.id), 0, -1)).map((l) => JSON.parse(l).grade);
    // The items of this tag alternate single and multiple choice: the 60 s one is the second single-choice answer.
    const types = ids.map((id: string) => bank.get(id)!.type);
    expect(types).toEqual(['single', 'multiple', 'single', 'multiple']);
    expect(grades).toEqual(['good', 'good', 'hard', 'good']);
  });

  it('a retry after midnight of an answer recorded the day before returns its first result, writing nothing', async () => {
    const { user, phone } = await newMember('跨日重试');
    const q = (await phone.get('/api/review/daily')).body.items[0].questionId;
    const body = { attemptId: randomUUID(), mode: 'daily', questionId: q, answer: right(q) };
    const first = await phone.post('/api/review/answers', body);
    nextDay();
    const retry = await phone.post('/api/review/answers', body);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(await t.redis.lLen(keys.reviewLog(user.id))).toBe(1);
  });
});

describe('issue 11: honesty', () => {
  it('no review payload carries the answer key or the explanation of a question not yet answered', async () => {
    const { phone } = await newMember('诚实');
    const daily = (await phone.get('/api/review/daily')).body;
    await answer(phone, { mode: 'daily', questionId: daily.items[0].questionId, answer: wrong(daily.items[0].questionId) });
    const sitting = (await phone.post('/api/review/practice', { tag: '党章', order: 'random' })).body.sitting;
    expect(sitting.items.length).toBeGreaterThan(0);
    const book = await phone.post('/api/review/practice', { order: 'sequential', fromWrongBook: true });
    const payloads = {
      daily: (await phone.get('/api/review/daily')).body,
      practice: sitting,
      bookPractice: book.body,
      topics: (await phone.get('/api/review/topics')).body,
      wrongBook: (await phone.get('/api/review/wrong-book')).body,
      stats: (await phone.get('/api/me/stats')).body,
    };
    expect(payloads.daily.items[0].answered).toBe(true);
    expect(payloads.wrongBook.items).toHaveLength(1);
    expect(payloads.bookPractice.sitting.items).toHaveLength(1);
    for (const [name, payload] of Object.entries(payloads)) {
      expect(leakedKeys(payload), name).toEqual([]);
    }
  });
});

describe('issue 11: the wrong-answer book (错题本)', () => {
  it('a question leaves the book after right answers in two reviews on two different days; tag and source filters', async () => {
    const { phone } = await newMember('错题');
    const sitting = (await phone.post('/api/review/practice', { tag: '党章', order: 'sequential' })).body.sitting;
    const q = sitting.items[0].questionId;
    const q2 = sitting.items[1].questionId;
    await answer(phone, { mode: 'practice', sittingId: sitting.id, questionId: q, answer: wrong(q) });
    await answer(phone, { mode: 'practice', sittingId: sitting.id, questionId: q2, answer: wrong(q2) });
    const book = (await phone.get('/api/review/wrong-book')).body;
    expect(book.items.map((e: { questionId: string }) => e.questionId).sort()).toEqual([q, q2].sort());
    expect(book.items[0]).toMatchObject({ sources: ['practice'], rightDays: [], firstWrongAt: expect.any(Number) });
    expect((await phone.get('/api/review/wrong-book?tag=%E7%BA%AA%E5%BE%8B%E5%A4%84%E5%88%86%E6%9D%A1%E4%BE%8B')).body.items).toEqual([]);
    expect((await phone.get(`/api/review/wrong-book?tag=${encodeURIComponent('党章')}&source=practice`)).body.total).toBe(2);
    expect((await phone.get('/api/review/wrong-book?source=live')).body.total).toBe(0);
    expect((await phone.get('/api/review/wrong-book?source=nonsense')).status).toBe(400);

    const practiseBook = async () => (await phone.post('/api/review/practice', { order: 'sequential', fromWrongBook: true })).body.sitting;
    const day1 = await practiseBook();
    expect(day1.fromWrongBook).toBe(true);
    // The book's practice takes mode wrong_book.
    expect((await answer(phone, { mode: 'practice', sittingId: day1.id, questionId: q, answer: right(q) })).status).toBe(400);
    expect((await answer(phone, { mode: 'wrong_book', sittingId: day1.id, questionId: q, answer: right(q) })).body.correct).toBe(true);
    // Right twice on the same day is one day.
    const day1b = await practiseBook();
    await answer(phone, { mode: 'wrong_book', sittingId: day1b.id, questionId: q, answer: right(q) });
    const still = (await phone.get('/api/review/wrong-book')).body.items.find((e: { questionId: string }) => e.questionId === q);
    expect(still.rightDays).toHaveLength(1);

    nextDay();
    const day2 = await practiseBook();
    await answer(phone, { mode: 'wrong_book', sittingId: day2.id, questionId: q, answer: right(q) });
    const after = (await phone.get('/api/review/wrong-book')).body;
    expect(after.items.map((e: { questionId: string }) => e.questionId)).toEqual([q2]);
  });

  it('a member cannot read another member\'s book (403); their own by memberId is fine', async () => {
    const mine = await one.memberClient.get(`/api/review/wrong-book?memberId=${one.member.id}`);
    expect(mine.status).toBe(200);
    const theirs = await one.memberClient.get(`/api/review/wrong-book?memberId=${two.member.id}`);
    expect(theirs.status).toBe(403);
    expect(theirs.body.error.code).toBe('FORBIDDEN');
    expect((await one.secretaryClient.get(`/api/review/wrong-book?memberId=${one.member.id}`)).status).toBe(403);
    expect((await new ApiClient(t.url).get('/api/review/wrong-book')).status).toBe(401);
  });
});

describe('issue 11: the live-game hook', () => {
  it('a logged-in player\'s wrong answer on Party Day lands in the book (once) and in the next daily set', async () => {
    const { user, phone } = await newMember('党日竞答', two.branch.id);
    const { quizId, questions } = await seedQuiz(admin, '党日复习');
    for (const q of questions) bank.set(q.id, q);
    const host = await openSocket(t.url, admin);
    const player = await openSocket(t.url, phone);
    sockets.push(host, player);
    const { gameId, pin } = await ok<{ gameId: string; pin: string }>(host, 'game:create', { quizId });
    await ok(player, 'game:join', { pin });
    const opened = waitFor(player, 'question:open');
    await ok(host, 'game:start', { gameId });
    await opened;
    await ok(player, 'answer:submit', { gameId, index: 0, answer: 2 });
    const finished = waitFor(player, 'game:finished', 8000);
    await ok(host, 'game:end', { gameId });
    await finished;
    const q0 = questions[0].id;
    let book: { items: { questionId: string; sources: string[] }[] } = { items: [] };
    for (let i = 0; i < 100 && book.items.length === 0; i++) {
      book = (await phone.get('/api/review/wrong-book')).body;
      if (book.items.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(book.items).toEqual([expect.objectContaining({ questionId: q0, sources: ['live'] })]);
    expect(await t.redis.lLen(keys.reviewLog(user.id))).toBe(1);

    // A second finalise (the sweep after a crash) records nothing more.
    const record = await t.app.services.reports.record(gameId);
    const detail = await createGameReportDataStore(t.redis).detail(gameId);
    await t.app.services.review.liveGames.gameFinished({ ...record!, detail: detail! });
    expect(await t.redis.lLen(keys.reviewLog(user.id))).toBe(1);

    nextDay();
    const daily = (await phone.get('/api/review/daily')).body;
    expect(daily.items[0].questionId).toBe(q0);
    expect(daily.due).toBe(1);
  });
});

describe('issue 11: topics, my stats and 学员常错题', () => {
  it('topics give per tag answered/total and accuracy; /api/me/stats days studied, accuracy by tag, 7 days of due cards', async () => {
    const { phone } = await newMember('统计');
    const sitting = (await phone.post('/api/review/practice', { tag: '纪律处分条例', order: 'sequential' })).body.sitting;
    const [a, b] = sitting.items.map((i: { questionId: string }) => i.questionId);
    await answer(phone, { mode: 'practice', sittingId: sitting.id, questionId: a, answer: right(a) });
    await answer(phone, { mode: 'practice', sittingId: sitting.id, questionId: b, answer: wrong(b) });
    const topics = (await phone.get('/api/review/topics')).body.items;
    const total = [...bank.values()].filter((q) => q.tags.includes('纪律处分条例')).length;
    expect(topics.find((x: { tag: string }) => x.tag === '纪律处分条例')).toEqual({ tag: '纪律处分条例', total, answered: 2, accuracy: 0.5 });
    expect(topics.find((x: { tag: string }) => x.tag === '党章')).toMatchObject({ answered: 0, accuracy: null });
    const stats = (await phone.get('/api/me/stats')).body;
    expect(stats.daysStudied).toBe(1);
    expect(stats.accuracyByTag).toEqual([{ tag: '纪律处分条例', answers: 2, accuracy: 0.5 }]);
    expect(stats.dueForecast).toHaveLength(7);
    // Both new cards are due within minutes: today.
    expect(stats.dueForecast[0].due).toBe(2);
    expect(stats.dueForecast.slice(1).every((d: { due: number }) => d.due === 0)).toBe(true);
  });

  it('GET /api/questions/hard (staff) lists the most failed questions with the failure rate, the most common wrong answer and leeches; /questions/:id still works', async () => {
    const q = [...bank.values()].find((x) => x.type === 'single')!;
    // A member failing one question over and over (through the sink, as live games and exams do) makes it a leech.
    const member = 'leechmember';
    let at = clock.now();
    for (let i = 0; i < 40; i++) {
      at += 3 * DAY;
      await t.app.services.review.sink.record([{ memberId: member, questionId: q.id, correct: i % 3 !== 2, at, source: 'exam', refId: `exam${i}`, answer: i % 3 !== 2 ? 0 : 2 }]);
      const card = await t.redis.hGet(keys.reviewCards(member), q.id);
      if (Number(card!.split(',')[4]) >= 8) break;
    }
    const res = await admin.get('/api/questions/hard');
    expect(res.status).toBe(200);
    const entry = res.body.items.find((x: { questionId: string }) => x.questionId === q.id);
    expect(entry).toMatchObject({ leech: true, text: expect.any(String), commonWrongAnswer: { answer: 2, count: expect.any(Number) } });
    expect(entry.failureRate).toBeGreaterThan(0);
    expect(entry.failureRate).toBeLessThanOrEqual(1);
    for (let i = 1; i < res.body.items.length; i++) expect(res.body.items[i - 1].fails).toBeGreaterThanOrEqual(res.body.items[i].fails);
    expect((await one.secretaryClient.get('/api/questions/hard')).status).toBe(200);
    const member403 = await one.memberClient.get('/api/questions/hard');
    expect(member403.status).toBe(403);
    expect((await admin.get(`/api/questions/${q.id}`)).body.question.id).toBe(q.id);
  });
});

describe('issue 11: bad input to the review routes', () => {
  const snapshot = () => reviewSnapshot(t.redis);

  it('arbitrary and near-valid bodies and queries: never a 5xx; a refusal carries the envelope and writes nothing', async () => {
    const fc = (await import('fast-check')).default;
    const { phone } = await newMember('模糊');
    const daily = (await phone.get('/api/review/daily')).body;
    const sitting = (await phone.post('/api/review/practice', { order: 'random' })).body.sitting;
    const valid = { attemptId: randomUUID(), mode: 'practice', sittingId: sitting.id, questionId: daily.items[0].questionId, answer: 0 };
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.tuple(fc.constantFrom(...Object.keys(valid)), fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => ({ ...valid, attemptId: randomUUID(), [k]: v })),
      fc.constantFrom(...Object.keys(valid)).map((k) => Object.fromEntries(Object.entries({ ...valid, attemptId: randomUUID() }).filter(([f]) => f !== k))),
    );
    const request = fc.oneof(
      body.map((b) => ['POST', '/api/review/answers', b] as const),
      fc.jsonValue({ maxDepth: 2 }).map((b) => ['POST', '/api/review/practice', b] as const),
      fc.tuple(fc.constantFrom('tag', 'source', 'memberId', 'x'), fc.string({ maxLength: 30 })).map(([k, v]) => ['GET', `/api/review/wrong-book?${k}=${encodeURIComponent(v)}`, undefined] as const),
      // Resuming and finishing a practice: its own id, near-valid ids and anything at all.
      fc
        .tuple(fc.constantFrom('GET', 'POST'), fc.oneof(fc.constant(sitting.id), fc.constantFrom(`${sitting.id}:answers`, `${sitting.id} `, '*'), fc.string({ maxLength: 70 })))
        .map(([m, id]) => [m, `/api/review/practice/${encodeURIComponent(id)}${m === 'POST' ? '/finish' : ''}`, m === 'POST' ? {} : undefined] as const),
    );
    await fc.assert(
      fc.asyncProperty(request, async ([method, path, b]) => {
        const before = await snapshot();
        const res = await phone.request(method, path, b);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
          expect(await snapshot()).toBe(before);
        }
      }),
      { numRuns: 150 },
    );
  });
});
