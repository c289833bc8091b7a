import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExamResults, GradedAttemptView, MemberExam, OpenAttemptView } from '../../shared/schemas/exams';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { launchBrowser } from '../helpers/browser';
import { ApiClient, seedBranch } from '../helpers/api';
import { expectInViewport, shot, useLocale } from '../helpers/layout';

// 模拟考试 (issue 11) through the pages: a secretary publishes from a quiz, a member takes it on a phone.
let t: TestApp;
let browser: Browser;
let admin: ApiClient;
/** Each question's correct option text, by question id (options are shuffled per attempt). */
const rightText = new Map<string, string>();
const questionIds: string[] = [];

const PHONE = { width: 390, height: 844 };
const SMALL = { width: 360, height: 640 };
const DESKTOP = { width: 1366, height: 768 };

beforeAll(async () => {
  if (!existsSync(path.resolve('dist/client/index.html'))) throw new Error('dist/client is missing: run `npm test` (it builds) or `npm run build`');
  t = await startTestApp();
  browser = await launchBrowser();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const texts = ['党的最高领导机关是什么？', '党员的预备期为多久？', '党的基层组织每届任期一般为几年？'];
  const options = [['党的全国代表大会和它所产生的中央委员会', '中央纪律检查委员会', '中央军事委员会'], ['一年', '半年', '两年'], ['三年至五年', '一年', '十年']];
  for (let i = 0; i < 3; i++) {
    const res = await admin.post('/api/questions', { type: 'single', text: texts[i], options: options[i], answer: 0, explanation: `解析${i + 1}`, source: '《中国共产党章程》', tags: ['党章'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    questionIds.push(res.body.question.id);
    rightText.set(res.body.question.id, options[i]![0]!);
  }
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signedIn(username: string, viewport: { width: number; height: number }, locale: 'zh-CN' | 'en' = 'zh-CN', password = 'password-1'): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  await useLocale(context, locale);
  const res = await context.request.post(`${t.url}/api/auth/login`, { data: { username, password } });
  expect(res.status()).toBe(200);
  return context;
}

async function getJson<T>(page: Page, url: string): Promise<T> {
  const res = await page.context().request.get(`${t.url}${url}`);
  expect(res.status(), url).toBe(200);
  return (await res.json()) as T;
}

/** The pad's index of an option text on the question now shown (options are shuffled per attempt). */
function optionIndex(view: OpenAttemptView, index: number, right: boolean): number {
  const q = view.questions[index]!;
  const r = q.options.indexOf(rightText.get(q.id)!);
  expect(r).toBeGreaterThanOrEqual(0);
  return right ? r : (r + 1) % q.options.length;
}

async function quizOf(b: Awaited<ReturnType<typeof seedBranch>>, title: string) {
  const res = await b.secretaryClient.post('/api/quizzes', { title, questionIds });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.quiz.id as string;
}

describe('issue 11 mock exams (browser)', () => {
  it('issue 11 模拟考试: a secretary publishes from a quiz, a member answers on a phone, changes an answer, hands in and sees the review', async () => {
    const b = await seedBranch(t.url, admin, '考试一支部');
    const quizId = await quizOf(b, '党章知识模拟考试');
    const staff = await signedIn(b.secretary.username, DESKTOP);
    const sp = await staff.newPage();
    await sp.goto(`${t.url}/exams/manage`);
    await sp.waitForSelector('[data-test=exam-publish-form]');
    await sp.selectOption('[data-test=exam-quiz]', quizId);
    await sp.fill('[data-test=exam-title]', '党章知识模拟考试（十二月）');
    await sp.fill('[data-test=exam-time-limit]', '15');
    expect(await sp.locator('[data-test=exam-own-branch]').count()).toBe(1);
    await sp.click('[data-test=exam-publish]');
    await sp.waitForSelector('[data-test=exam-published]');
    const listed = await getJson<{ items: MemberExam[] }>(sp, '/api/exams');
    const exam = listed.items.find((e) => e.quizId === quizId)!;
    expect(exam).toMatchObject({ title: '党章知识模拟考试（十二月）', timeLimitMin: 15, branchIds: [b.branch.id], window: 'open', questionCount: 3 });
    await sp.waitForSelector(`[data-test=managed-exam-${exam.id}]`);
    await shot(sp, 'exams-manage-zh-1366');

    // The member, on a phone: the list shows the window and limit, then the exam screen.
    const member = await signedIn(b.member.username, PHONE);
    const mp = await member.newPage();
    await mp.goto(`${t.url}/exams`);
    const card = mp.locator(`[data-test=exam-${exam.id}]`);
    await card.waitFor();
    expect(await card.textContent()).toContain('限时 15 分钟');
    await card.locator('[data-test=exam-start]').click();
    await mp.waitForSelector('[data-test=exam-question-text]');
    const mine = await getJson<{ exam: MemberExam }>(mp, `/api/exams/${exam.id}`);
    const attemptId = mine.exam.attempts[0]!.id;
    let view = await getJson<OpenAttemptView>(mp, `/api/exams/attempts/${attemptId}`);
    expect(view.attempt.status).toBe('open');
    // The countdown runs on the server's deadline: about 15 minutes (a new attempt's start is a floor under the clock estimate, so never over).
    const seconds = Number(await mp.getAttribute('[data-test=exam-countdown]', 'data-seconds'));
    expect(seconds).toBeGreaterThan(14 * 60);
    expect(seconds).toBeLessThanOrEqual(15 * 60);
    expect(await mp.textContent('[data-test=exam-question-text]')).toBe(view.questions[0]!.text);
    await expectInViewport(mp, '[data-test=exam-hand-in]');
    await shot(mp, 'exam-screen-zh-390');

    // Question 1: a wrong choice first, saved by the server; then changed to the right one.
    await mp.click(`[data-test=answer-option-${optionIndex(view, 0, false)}]`);
    await mp.waitForSelector('[data-test=exam-saved]');
    view = await getJson<OpenAttemptView>(mp, `/api/exams/attempts/${attemptId}`);
    const wrong0 = optionIndex(view, 0, false);
    expect(view.answers[0]).toBe(wrong0);
    const right0 = optionIndex(view, 0, true);
    await mp.click(`[data-test=answer-option-${right0}]`);
    await mp.waitForFunction(
      (text) => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('[data-test=exam-saved]')?.textContent.includes(text),
      view.questions[0]!.options[right0]!,
    );
    view = await getJson<OpenAttemptView>(mp, `/api/exams/attempts/${attemptId}`);
    expect(view.answers[0]).toBe(right0);
    expect(await mp.getAttribute('[data-test=exam-map-0]', 'aria-label')).toContain('已答');

    // Question 2 through "下一题", question 3 left open; the map says which is which in words, not colour alone.
    await mp.click('[data-test=exam-next]');
    await mp.waitForFunction(
      (text) => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('[data-test=exam-question-text]')?.textContent === text,
      view.questions[1]!.text,
    );
    await mp.click(`[data-test=answer-option-${optionIndex(view, 1, true)}]`);
    await mp.waitForSelector('[data-test=exam-saved]');
    expect(await mp.getAttribute('[data-test=exam-map-2]', 'aria-label')).toContain('未答');
    expect(await mp.textContent('[data-test=exam-map-2]')).toContain('○');
    expect(await mp.textContent('[data-test=exam-map-1]')).toContain('✓');
    await shot(mp, 'exam-map-zh-390');
    view = await getJson<OpenAttemptView>(mp, `/api/exams/attempts/${attemptId}`);
    expect(Object.keys(view.answers).sort()).toEqual(['0', '1']);

    // Hand-in: the confirmation names the unanswered question; "继续作答" keeps the attempt open.
    await mp.click('[data-test=exam-hand-in]');
    const confirmText = await mp.textContent('[data-test=exam-confirm-text]');
    expect(confirmText).toContain('1 题未作答');
    expect(confirmText).toContain('第 3 题');
    await expectInViewport(mp, '[data-test=exam-confirm-yes]');
    await shot(mp, 'exam-confirm-zh-390');
    await mp.click('[data-test=exam-confirm-yes]');
    await mp.waitForSelector('[data-test=exam-score]');
    const graded = await getJson<GradedAttemptView>(mp, `/api/exams/attempts/${attemptId}`);
    expect(graded.attempt).toMatchObject({ status: 'graded', gradedBy: 'submit', correct: 2, total: 3 });
    expect(await mp.textContent('[data-test=exam-score]')).toBe(String(graded.attempt.score));
    expect(await mp.textContent('[data-test=exam-correct]')).toContain('答对 2 题，共 3 题');
    expect(await mp.locator('li[data-test^=exam-review-]').count()).toBe(3);
    expect(await mp.textContent('[data-test=exam-review-2] [data-test=exam-review-yours]')).toBe('未作答');
    expect(await mp.textContent('[data-test=exam-review-2] [data-test=exam-review-verdict]')).toContain('错误');
    expect(await mp.textContent('[data-test=exam-review-0] [data-test=exam-review-verdict]')).toContain('正确');
    expect(await mp.textContent('[data-test=exam-review-0] [data-test=exam-review-correct]')).toContain(rightText.get(graded.review[0]!.questionId)!);
    expect(await mp.textContent('[data-test=exam-review-0] [data-test=exam-review-source]')).toContain('《中国共产党章程》');
    await shot(mp, 'exam-result-zh-390');

    // A hand-in is final: the server refuses a later change.
    const late = await mp.context().request.put(`${t.url}/api/exams/attempts/${attemptId}/answers/2`, { data: { answer: 0 } });
    expect(late.status()).toBe(409);

    // The secretary's results page: the branch's participation, the member's line, the export link.
    const results = await getJson<ExamResults>(sp, `/api/exams/${exam.id}/results`);
    const branch = results.branches.find((r) => r.branchId === b.branch.id)!;
    expect(branch.participants).toBe(1);
    await sp.goto(`${t.url}/exams/manage`);
    await sp.click(`[data-test=managed-exam-${exam.id}] [data-test=exam-results-link]`);
    const row = sp.locator(`[data-test=exam-branch-result-${b.branch.id}]`);
    await row.waitFor();
    expect(await row.locator('[data-test=exam-participation]').textContent()).toContain(`1/${branch.members} 人`);
    expect(await row.locator('[data-test=exam-average]').textContent()).toBe(branch.average!.toFixed(1));
    expect(await sp.textContent(`[data-test=exam-member-${b.member.id}]`)).toContain(b.member.displayName);
    expect(await sp.getAttribute('[data-test=exam-export]', 'href')).toBe(`/api/exams/${exam.id}/results?format=xlsx`);
    await shot(sp, 'exam-results-zh-1366');

    // The same pages in English (staff) and on the smallest phone (a second member, who hands in with all answered).
    const staffEn = await signedIn(b.secretary.username, DESKTOP, 'en');
    const se = await staffEn.newPage();
    await se.goto(`${t.url}/exams/manage/${exam.id}`);
    await se.waitForSelector(`[data-test=exam-branch-result-${b.branch.id}]`);
    expect(await se.textContent('[data-test=exam-export]')).toContain('Export to Excel');
    await shot(se, 'exam-results-en-1366');
    await se.goto(`${t.url}/exams/manage`);
    await se.waitForSelector('[data-test=exam-publish-form]');
    await shot(se, 'exams-manage-en-1366');
    await staff.close();
    await staffEn.close();
    await member.close();
  }, 60_000);

  it('issue 11 模拟考试: an admin picks the branches; English on a 360x640 phone, all answered: the confirmation says so and the result shows', async () => {
    const b = await seedBranch(t.url, admin, '考试二支部');
    const other = await seedBranch(t.url, admin, '考试四支部');
    const quizId = (await admin.post('/api/quizzes', { title: 'Constitution mock exam', questionIds })).body.quiz.id as string;
    const staff = await signedIn('admin', DESKTOP, 'en', ADMIN_PASSWORD);
    const ap = await staff.newPage();
    await ap.goto(`${t.url}/exams/manage`);
    await ap.waitForSelector('[data-test=exam-publish-form]');
    await ap.selectOption('[data-test=exam-quiz]', quizId);
    await ap.fill('[data-test=exam-time-limit]', '10');
    await ap.check(`[data-test=exam-branch-${b.branch.id}]`);
    await ap.check(`[data-test=exam-branch-${other.branch.id}]`);
    await ap.click('[data-test=exam-publish]');
    await ap.waitForSelector('[data-test=exam-published]');
    const exam = (await getJson<{ items: MemberExam[] }>(ap, '/api/exams')).items.find((e) => e.quizId === quizId)!;
    expect(exam).toMatchObject({ title: 'Constitution mock exam', timeLimitMin: 10 });
    expect([...exam.branchIds].sort()).toEqual([b.branch.id, other.branch.id].sort());
    await staff.close();
    const examId = exam.id;
    const member = await signedIn(b.member.username, SMALL, 'en');
    const mp = await member.newPage();
    await mp.goto(`${t.url}/exams`);
    await mp.waitForSelector(`[data-test=exam-${examId}]`);
    await shot(mp, 'exams-list-en-360');
    await mp.click(`[data-test=exam-${examId}] [data-test=exam-start]`);
    await mp.waitForSelector('[data-test=exam-question-text]');
    const attemptId = (await getJson<{ exam: MemberExam }>(mp, `/api/exams/${examId}`)).exam.attempts[0]!.id;
    const view = await getJson<OpenAttemptView>(mp, `/api/exams/attempts/${attemptId}`);
    await expectInViewport(mp, '[data-test=exam-hand-in]');
    await shot(mp, 'exam-screen-en-360');
    for (let i = 0; i < 3; i++) {
      await mp.click(`[data-test=exam-map-${i}]`);
      await mp.click(`[data-test=answer-option-${optionIndex(view, i, true)}]`);
      await mp.waitForSelector(`[data-test=exam-map-${i}][data-answered=true]`);
    }
    await shot(mp, 'exam-map-en-360');
    await mp.click('[data-test=exam-hand-in]');
    expect(await mp.textContent('[data-test=exam-confirm-text]')).toContain('All 3 questions are answered');
    await expectInViewport(mp, '[data-test=exam-confirm-yes]');
    await shot(mp, 'exam-confirm-en-360');
    await mp.click('[data-test=exam-confirm-yes]');
    await mp.waitForSelector('[data-test=exam-score]');
    expect(await mp.textContent('[data-test=exam-correct]')).toContain('3 of 3 right');
    await shot(mp, 'exam-result-en-360');
    await member.close();
  }, 60_000);

  it('issue 11 模拟考试: a member who does not hand in sees the graded result when the server-timed countdown reaches 0', async () => {
    const b = await seedBranch(t.url, admin, '考试三支部');
    const quizId = await quizOf(b, '限时模拟考试');
    // The window closes in 12 s, so the attempt's deadline (min of start + limit, window end) is that.
    const published = await b.secretaryClient.post('/api/exams', { quizId, timeLimitMin: 1, opensAt: Date.now() - 60_000, closesAt: Date.now() + 12_000, branchIds: [b.branch.id] });
    expect(published.status).toBe(201);
    const examId = published.body.exam.id as string;
    const member = await signedIn(b.member.username, PHONE);
    const mp = await member.newPage();
    await mp.goto(`${t.url}/exams/${examId}/attempt`);
    await mp.waitForSelector('[data-test=exam-question-text]');
    const attemptId = (await getJson<{ exam: MemberExam }>(mp, `/api/exams/${examId}`)).exam.attempts[0]!.id;
    const view = await getJson<OpenAttemptView>(mp, `/api/exams/attempts/${attemptId}`);
    const seconds = Number(await mp.getAttribute('[data-test=exam-countdown]', 'data-seconds'));
    expect(seconds).toBeGreaterThan(3);
    expect(seconds).toBeLessThanOrEqual(Math.ceil((view.attempt.deadline - Date.now()) / 1000) + 1);
    await mp.click(`[data-test=answer-option-${optionIndex(view, 0, true)}]`);
    await mp.waitForSelector('[data-test=exam-saved]');
    await mp.waitForFunction(
      () => (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null } }).document.querySelector('[data-test=exam-countdown]')?.getAttribute('data-seconds') === '0',
      undefined,
      { timeout: 20_000 },
    );
    await mp.waitForSelector('[data-test=exam-score]', { timeout: 10_000 });
    const graded = await getJson<GradedAttemptView>(mp, `/api/exams/attempts/${attemptId}`);
    expect(graded.attempt).toMatchObject({ status: 'graded', gradedBy: 'deadline', correct: 1, total: 3 });
    expect(await mp.textContent('[data-test=exam-graded-by]')).toContain('时间到');
    expect(await mp.textContent('[data-test=exam-score]')).toBe(String(graded.attempt.score));
    await shot(mp, 'exam-deadline-zh-390');
    await member.close();
  }, 60_000);
});
