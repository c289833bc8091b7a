import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { ExamAnswerInput, ExamPublishInput } from '../../shared/schemas/exams';
import { createLogger } from '../../server/infra/logger';
import { noActivitySink } from '../../server/services/ledger/activity';
import { createExamsService } from '../../server/services/review/exams';
import type { AnswerOutcome } from '../../server/services/review/outcomes';
import { createBranchesStore } from '../../server/store/branchesStore';
import { keys } from '../../server/store/keys';
import { createExamsStore } from '../../server/store/review/examsStore';
import { ApiClient, seedBranch } from '../helpers/api';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';

// Mock exams (模拟考试), issue 11: the real app against the test Redis, with a clock the tests move.
let now = Date.parse('2026-12-01T09:00:00+08:00');
const clock = { now: () => now };
const MIN = 60_000;

let t: TestApp;
let admin: ApiClient;
let one: Awaited<ReturnType<typeof seedBranch>>;
let two: Awaited<ReturnType<typeof seedBranch>>;
let quizId: string;
/** Each question's correct option text, by question id (options are shuffled per attempt). */
const rightText = new Map<string, string>();

const question = (i: number) => ({
  type: 'single', text: `考试测试题 ${i}`, options: [`甲${i}`, `乙${i}`, `丙${i}`, `丁${i}`], answer: i % 4,
  explanation: `解析${i}`, source: `来源${i}`, tags: ['党章'],
});

const put = (c: ApiClient, attemptId: string, index: number, answer: unknown) => c.request('PUT', `/api/exams/attempts/${attemptId}/answers/${index}`, { answer });

type Q = { id: string; options: string[] };
const right = (q: Q) => q.options.indexOf(rightText.get(q.id)!);
const wrong = (q: Q) => (right(q) + 1) % q.options.length;

async function publish(c: ApiClient, branchIds: string[], extra: Record<string, unknown> = {}) {
  const res = await c.post('/api/exams', { quizId, timeLimitMin: 5, opensAt: now - MIN, closesAt: now + 60 * MIN, branchIds, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.exam as { id: string };
}

async function newMember(branchId: string, name: string) {
  const username = `m_${Math.random().toString(36).slice(2, 8)}`;
  await admin.post('/api/users', { username, displayName: name, password: 'password-1', role: 'member', branchId });
  const c = new ApiClient(t.url);
  await c.login(username, 'password-1');
  return c;
}

/** Every key an answer payload could leak the key through, at any depth. */
function leakedKeys(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => leakedKeys(v, found));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (['answer', 'correctAnswer', 'explanation', 'source', 'correct', 'score', 'review'].includes(k) && v !== null) found.push(k);
      leakedKeys(v, found);
    }
  }
  return found;
}

beforeAll(async () => {
  t = await startTestApp({ clock });
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  one = await seedBranch(t.url, admin, '一支部');
  two = await seedBranch(t.url, admin, '二支部');
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    const q = (await admin.post('/api/questions', question(i))).body.question;
    ids.push(q.id);
    rightText.set(q.id, q.options[q.answer]);
  }
  quizId = (await admin.post('/api/quizzes', { title: '党章模拟考试', questionIds: ids })).body.quiz.id;
});
afterAll(() => t.close());

describe('issue 11 mock exams: publishing', () => {
  it('issue 11 item exams: admin publishes for any branches, a secretary only for their own; bad input 400; nothing written on refusal', async () => {
    const before = await t.redis.dbSize();
    const cases: [ApiClient, Record<string, unknown>, number, string][] = [
      [one.secretaryClient, { branchIds: [two.branch.id] }, 403, 'FORBIDDEN'],
      [one.secretaryClient, { branchIds: [one.branch.id, two.branch.id] }, 403, 'FORBIDDEN'],
      [one.memberClient, { branchIds: [one.branch.id] }, 403, 'FORBIDDEN'],
      [admin, { branchIds: [one.branch.id], closesAt: now - 2 * MIN }, 400, 'INVALID_INPUT'],
      [admin, { branchIds: [] }, 400, 'INVALID_INPUT'],
      [admin, { branchIds: [one.branch.id], timeLimitMin: 0 }, 400, 'INVALID_INPUT'],
      [admin, { branchIds: [one.branch.id], opensAt: 'tomorrow' }, 400, 'INVALID_INPUT'],
      [admin, { branchIds: ['nosuchbranch'] }, 400, 'INVALID_INPUT'],
      [admin, { branchIds: [one.branch.id], quizId: 'nosuchquiz' }, 404, 'NOT_FOUND'],
    ];
    for (const [c, extra, status, code] of cases) {
      const res = await c.post('/api/exams', { quizId, timeLimitMin: 5, opensAt: now - MIN, closesAt: now + 60 * MIN, ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(status);
      expect(res.body.error.code).toBe(code);
    }
    expect(await t.redis.dbSize()).toBe(before);

    const res = await one.secretaryClient.post('/api/exams', { quizId, title: '一支部十二月模拟考试', timeLimitMin: 5, opensAt: '2026-12-01T08:00:00+08:00', closesAt: now + 60 * MIN, branchIds: [one.branch.id] });
    expect(res.status).toBe(201);
    expect(res.body.exam).toMatchObject({ title: '一支部十二月模拟考试', quizId, timeLimitMin: 5, opensAt: Date.parse('2026-12-01T00:00:00Z'), branchIds: [one.branch.id], questionCount: 4, window: 'open' });
    expect(leakedKeys(res.body)).toEqual([]);
  });

  it('issue 11 item exams: a member of another branch neither sees nor starts a branch exam (404), nor reads results (403)', async () => {
    const exam = await publish(one.secretaryClient, [one.branch.id]);
    expect((await two.memberClient.get(`/api/exams/${exam.id}`)).status).toBe(404);
    const start = await two.memberClient.post(`/api/exams/${exam.id}/attempts`);
    expect(start.status).toBe(404);
    expect(start.body.error.code).toBe('NOT_FOUND');
    expect((await two.memberClient.get('/api/exams')).body.items.map((e: { id: string }) => e.id)).not.toContain(exam.id);
    expect((await one.memberClient.get('/api/exams')).body.items.map((e: { id: string }) => e.id)).toContain(exam.id);
    expect((await two.secretaryClient.get(`/api/exams/${exam.id}/results`)).status).toBe(404);
    expect((await one.memberClient.get(`/api/exams/${exam.id}/results`)).status).toBe(403);
    expect(await t.redis.exists(keys.examAttempts(exam.id))).toBe(0);
  });

  it('issue 11 item exams: outside the window an attempt cannot start (WRONG_PHASE before, TOO_LATE after)', async () => {
    const early = await publish(admin, [one.branch.id], { opensAt: now + 10 * MIN, closesAt: now + 20 * MIN });
    expect((await one.memberClient.post(`/api/exams/${early.id}/attempts`)).body.error.code).toBe('WRONG_PHASE');
    const over = await publish(admin, [one.branch.id], { opensAt: now - 20 * MIN, closesAt: now - 10 * MIN });
    const res = await one.memberClient.post(`/api/exams/${over.id}/attempts`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('TOO_LATE');
  });
});

describe('issue 11 mock exams: attempts', () => {
  it('issue 11 item exams: no attempt payload carries the answer key before grading; answers in any order, changeable until hand-in, not after (WRONG_PHASE)', async () => {
    const exam = await publish(admin, [one.branch.id, two.branch.id]);
    const member = await newMember(one.branch.id, '张三');
    const started = await member.post(`/api/exams/${exam.id}/attempts`);
    expect(started.status).toBe(201);
    const { attempt, questions, deadline } = started.body;
    expect(deadline).toBe(now + 5 * MIN);
    expect(attempt).toMatchObject({ status: 'open', total: 4, answered: 0, deadline, score: null, correct: null });
    expect(questions).toHaveLength(4);
    for (const q of questions) expect(Object.keys(q).sort()).toEqual(['id', 'options', 'text', 'type']);
    expect(leakedKeys(started.body)).toEqual([]);

    // A second start resumes the same attempt (one open attempt per member and exam).
    const again = await member.post(`/api/exams/${exam.id}/attempts`);
    expect(again.status).toBe(200);
    expect(again.body.attempt.id).toBe(attempt.id);

    // Any order; question 2 changed from wrong to right, question 3 right, question 1 wrong, question 0 left blank.
    now += MIN;
    expect((await put(member, attempt.id, 2, wrong(questions[2]))).status).toBe(200);
    expect((await put(member, attempt.id, 3, right(questions[3]))).status).toBe(200);
    expect((await put(member, attempt.id, 1, wrong(questions[1]))).status).toBe(200);
    const changed = await put(member, attempt.id, 2, right(questions[2]));
    expect(changed.status).toBe(200);
    expect(changed.body.attempt).toMatchObject({ answered: 3, status: 'open' });
    expect(leakedKeys(changed.body.attempt)).toEqual([]);

    // Bad answers: not in the attempt, the wrong shape for the question, bad index; nothing written.
    const before = await t.redis.hGetAll(keys.examAttemptAnswers(attempt.id));
    for (const [index, answer] of [[4, 0], [0, [0, 1]], [0, 'text'], [0, 9], [0, -1]] as const) {
      const res = await put(member, attempt.id, index, answer);
      expect(res.status, `${index} ${JSON.stringify(answer)}`).toBe(400);
      expect(res.body.error.code).toBe('INVALID_INPUT');
    }
    expect((await member.request('PUT', `/api/exams/attempts/${attempt.id}/answers/x`, { answer: 0 })).status).toBe(400);
    expect((await one.memberClient.request('PUT', `/api/exams/attempts/${attempt.id}/answers/0`, { answer: 0 })).status).toBe(404);
    expect(await t.redis.hGetAll(keys.examAttemptAnswers(attempt.id))).toEqual(before);

    const open = await member.get(`/api/exams/attempts/${attempt.id}`);
    expect(open.body.answers).toEqual({ 1: wrong(questions[1]), 2: right(questions[2]), 3: right(questions[3]) });
    expect(leakedKeys(open.body)).toEqual([]);
    for (const path of [`/api/exams/${exam.id}`, '/api/exams']) expect(leakedKeys((await member.get(path)).body), path).toEqual([]);
    // Another member cannot read or hand in this attempt.
    expect((await one.memberClient.get(`/api/exams/attempts/${attempt.id}`)).status).toBe(404);
    expect((await one.memberClient.post(`/api/exams/attempts/${attempt.id}/submit`)).status).toBe(404);

    now += MIN;
    const submitted = await member.post(`/api/exams/attempts/${attempt.id}/submit`);
    expect(submitted.status).toBe(200);
    expect(submitted.body.attempt).toMatchObject({ status: 'graded', gradedBy: 'submit', correct: 2, score: 50, endedAt: now });
    const review = submitted.body.review as { index: number; yourAnswer: unknown; correctAnswer: number; correct: boolean; explanation: string; source: string; options: string[]; questionId: string }[];
    expect(review.map((r) => r.correct)).toEqual([false, false, true, true]);
    expect(review[0]!.yourAnswer).toBeNull();
    for (const r of review) {
      expect(r.options[r.correctAnswer]).toBe(rightText.get(r.questionId));
      expect(r.explanation).toMatch(/^解析\d$/);
      expect(r.source).toMatch(/^来源\d$/);
    }

    // After hand-in: WRONG_PHASE, nothing written.
    const late = await put(member, attempt.id, 0, right(questions[0]));
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('WRONG_PHASE');
    const after = await member.get(`/api/exams/attempts/${attempt.id}`);
    expect(after.body.review[0].yourAnswer).toBeNull();
    expect(after.body.attempt.score).toBe(50);

    // History: the graded attempt in the exam's view; a new start is a new attempt.
    const history = await member.get(`/api/exams/${exam.id}`);
    expect(history.body.exam.attempts.map((a: { id: string; score: number }) => [a.id, a.score])).toEqual([[attempt.id, 50]]);
    const retake = await member.post(`/api/exams/${exam.id}/attempts`);
    expect(retake.status).toBe(201);
    expect(retake.body.attempt.id).not.toBe(attempt.id);
  });

  it('issue 11 item exams: the deadline is enforced server-side (TOO_LATE, nothing written) and an attempt left open is graded at its deadline by the sweep', async () => {
    // The window closes 2 minutes after the start: the deadline is the window's end, not start + 5 minutes.
    const exam = await publish(admin, [one.branch.id, two.branch.id], { closesAt: now + 2 * MIN });
    const started = await two.memberClient.post(`/api/exams/${exam.id}/attempts`);
    const { attempt, questions, deadline } = started.body;
    expect(deadline).toBe(now + 2 * MIN);
    expect((await put(two.memberClient, attempt.id, 0, right(questions[0]))).status).toBe(200);

    now = deadline - 1;
    expect((await put(two.memberClient, attempt.id, 1, right(questions[1]))).status).toBe(200);
    expect(await t.app.services.exams.exams.sweep(now)).toBe(0);
    expect(await t.redis.hGet(keys.examAttempt(attempt.id), 'status')).toBe('open');

    now = deadline;
    const before = await t.redis.hGetAll(keys.examAttemptAnswers(attempt.id));
    const late = await put(two.memberClient, attempt.id, 2, right(questions[2]));
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('TOO_LATE');
    expect(await t.redis.hGetAll(keys.examAttemptAnswers(attempt.id))).toEqual(before);

    now = deadline + 3_000;
    await t.app.services.exams.exams.sweep(now);
    expect(await t.redis.hGetAll(keys.examAttempt(attempt.id))).toMatchObject({ status: 'graded', gradedBy: 'deadline', endedAt: String(deadline), correct: '2', score: '50' });
    expect(await t.redis.zScore(keys.examDeadlines(), attempt.id)).toBeNull();
    const late2 = await put(two.memberClient, attempt.id, 2, right(questions[2]));
    expect(late2.body.error.code).toBe('TOO_LATE');
    const seen = await two.memberClient.get(`/api/exams/attempts/${attempt.id}`);
    expect(seen.body.attempt).toMatchObject({ status: 'graded', gradedBy: 'deadline', score: 50 });
    expect(seen.body.review).toHaveLength(4);

    // The graded attempt's wrong (and unanswered) questions reached the review area: the member's wrong-answer book.
    const book = await two.memberClient.get('/api/review/wrong-book?source=exam');
    expect(book.status).toBe(200);
    expect(book.body.items.map((e: { questionId: string }) => e.questionId).sort()).toEqual([questions[2].id, questions[3].id].sort());
  });

  it('issue 11 item exams: results per branch for the publisher (participation, average, 10-point bands) and the .xlsx with numbers as numbers', async () => {
    now += MIN;
    const exam = await publish(admin, [one.branch.id, two.branch.id], { title: '=党章 模拟考试' });
    // Branch one: the member scores 100 then 25 (best 100); another member 75; the secretary does not take part.
    const a = await newMember(one.branch.id, '李四');
    const take = async (c: ApiClient, rightCount: number) => {
      const { attempt, questions } = (await c.post(`/api/exams/${exam.id}/attempts`)).body;
      for (let i = 0; i < 4; i++) await put(c, attempt.id, i, i < rightCount ? right(questions[i]) : wrong(questions[i]));
      return (await c.post(`/api/exams/attempts/${attempt.id}/submit`)).body.attempt.score as number;
    };
    expect(await take(one.memberClient, 4)).toBe(100);
    expect(await take(one.memberClient, 1)).toBe(25);
    expect(await take(a, 3)).toBe(75);

    const res = await admin.get(`/api/exams/${exam.id}/results`);
    expect(res.status).toBe(200);
    const [b1, b2] = res.body.branches;
    const bands = (...scores: number[]) => Array.from({ length: 10 }, (_, i) => scores.filter((s) => Math.min(9, Math.floor(s / 10)) === i).length);
    expect(b1).toEqual({ branchId: one.branch.id, branchName: '一支部', members: 4, participants: 2, participation: 0.5, average: 87.5, distribution: bands(100, 75) });
    expect(b2).toMatchObject({ branchId: two.branch.id, participants: 0, average: null, distribution: bands() });
    expect(res.body.members.map((m: { name: string; bestScore: number; attempts: number }) => [m.name, m.bestScore, m.attempts])).toEqual(
      expect.arrayContaining([['一支部党员', 100, 2], ['李四', 75, 1]]),
    );

    // A secretary sees only their own branch.
    const own = await one.secretaryClient.get(`/api/exams/${exam.id}/results`);
    expect(own.body.branches.map((b: { branchId: string }) => b.branchId)).toEqual([one.branch.id]);

    const file = await fetch(`${t.url}/api/exams/${exam.id}/results?format=xlsx`, { headers: { cookie: admin.cookie } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="exam-results\.xlsx"; filename\*=UTF-8''/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await file.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const summary = wb.getWorksheet('支部统计')!;
    expect(summary.getCell('B1').value).toBe("'=党章 模拟考试");
    const rows = summary.getSheetValues().filter((r): r is ExcelJS.CellValue[] => Array.isArray(r));
    const row1 = rows.find((r) => r[1] === '一支部')!;
    expect(row1.slice(2, 6)).toEqual([4, 2, 0.5, 87.5]);
    expect(row1.slice(6, 16)).toEqual(bands(100, 75));
    const people = wb.getWorksheet('个人成绩')!.getSheetValues().filter((r): r is ExcelJS.CellValue[] => Array.isArray(r));
    expect(people.find((r) => r[1] === '李四')?.slice(3, 5)).toEqual([75, 1]);
    expect((await one.memberClient.get(`/api/exams/${exam.id}/results?format=xlsx`)).status).toBe(403);
    expect((await admin.get(`/api/exams/${exam.id}/results?format=pdf`)).status).toBe(400);
  });
});

describe('issue 11 mock exams: grading exactly once', () => {
  it('issue 11 item exams: a concurrent double (and fivefold) hand-in grades once and hands the answers to the review once', async () => {
    const exam = await publish(admin, [one.branch.id]);
    const member = await newMember(one.branch.id, '王五');
    const { attempt, questions } = (await member.post(`/api/exams/${exam.id}/attempts`)).body;
    await put(member, attempt.id, 0, right(questions[0]));
    const replies = await Promise.all([member.post(`/api/exams/attempts/${attempt.id}/submit`), member.post(`/api/exams/attempts/${attempt.id}/submit`)]);
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    expect(replies.map((r) => r.body.attempt.score)).toEqual([25, 25]);
    expect(replies[0]!.body.attempt.endedAt).toBe(replies[1]!.body.attempt.endedAt);

    // The review sink, counted: a second service on the same Redis (as a second process would be).
    const batches: AnswerOutcome[][] = [];
    const store = createExamsStore(t.redis);
    const exams = createExamsService({
      store,
      quizzes: t.app.services.quizzes,
      branches: createBranchesStore(t.redis),
      outcomes: { record: async (o) => void batches.push(o) },
      activity: noActivitySink,
      clock,
      logger: createLogger('silent'),
    });
    const user = (await member.get('/api/me')).body.user;
    const second = await exams.start(user, exam.id);
    await exams.answer(user, second.attempt.id, 1, right(second.questions[1]!));
    await exams.answer(user, second.attempt.id, 2, wrong(second.questions[2]!));
    const graded = await Promise.all(Array.from({ length: 5 }, () => exams.submit(user, second.attempt.id)));
    expect(new Set(graded.map((g) => g.attempt.score))).toEqual(new Set([25]));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((o) => [o.questionId, o.correct, o.source, o.refId])).toEqual(
      second.questions.map((q, i) => [q.id, i === 1, 'exam', second.attempt.id]),
    );
    expect(batches[0]![0]!.answer).toBeNull();
    // The sweep later finds nothing to grade or to hand over again.
    now += 10 * MIN;
    await t.app.services.exams.exams.sweep(now);
    await exams.sweep(now + 120_000);
    expect(batches).toHaveLength(1);
    expect(await t.redis.zCard(keys.examOutcomesPending())).toBe(0);
  });
});

describe('issue 11 mock exams: bad input', () => {
  it('issue 11 item exams: arbitrary bodies and indexes never give a 5xx; a refusal carries the envelope and writes nothing', async () => {
    const exam = await publish(admin, [one.branch.id]);
    const member = await newMember(one.branch.id, '赵六');
    const { attempt } = (await member.post(`/api/exams/${exam.id}/attempts`)).body;
    const json = fc.oneof(fc.constant(undefined), fc.jsonValue(), fc.record({ answer: fc.jsonValue() }), fc.record({ quizId: fc.string(), branchIds: fc.array(fc.string()), timeLimitMin: fc.jsonValue() }));
    const index = fc.oneof(fc.nat(20).map(String), fc.string({ maxLength: 6 }).filter((x) => x !== '' && !x.includes('/') && !x.includes('?') && !x.includes('#')));
    await fc.assert(
      fc.asyncProperty(json, index, fc.constantFrom('put', 'publish', 'submitOther'), async (body, i, kind) => {
        const before = await t.redis.hGetAll(keys.examAttemptAnswers(attempt.id));
        const res =
          kind === 'put'
            ? await member.request('PUT', `/api/exams/attempts/${attempt.id}/answers/${encodeURIComponent(i)}`, body)
            : kind === 'publish'
              ? await one.secretaryClient.post('/api/exams', body)
              : await member.post(`/api/exams/attempts/${encodeURIComponent(i)}x/submit`, body);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.body.error.code).toEqual(expect.any(String));
          expect(await t.redis.hGetAll(keys.examAttemptAnswers(attempt.id))).toEqual(before);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('issue 11 item exams: a wrong payload does not compile', () => {
    const ok: ExamPublishInput = { quizId: 'q1', timeLimitMin: 30, opensAt: 1, closesAt: 2, branchIds: ['b1'] };
    // @ts-expect-error branchIds is a list of ids, not one
    const bad: ExamPublishInput = { ...ok, branchIds: 'b1' };
    // @ts-expect-error an answer is a number, numbers or text
    const badAnswer: ExamAnswerInput = { answer: { value: 1 } };
    expectTypeOf(ok.opensAt).toEqualTypeOf<number>();
    expect([bad, badAnswer]).toHaveLength(2);
  });
});
