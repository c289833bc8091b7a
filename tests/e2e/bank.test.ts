import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type TestApp } from '../helpers/testApp';
import { loginThroughPage, startBrowserApp } from '../helpers/browser';
import { ApiClient, seedBranch } from '../helpers/api';

let t: TestApp;
let browser: Browser;
let app: Awaited<ReturnType<typeof startBrowserApp>>;
let admin: ApiClient;
let tmp: string;

beforeAll(async () => {
  app = await startBrowserApp();
  ({ t, browser } = app);
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  tmp = mkdtempSync(path.join(tmpdir(), 'tongpin-bank-'));
});
afterAll(async () => {
  await app?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function loginAsAdmin(page: Page) {
  await loginThroughPage(page, t.url, 'admin', ADMIN_PASSWORD);
  await page.waitForSelector('[data-test=logout]');
}

const STEM = '党的最高领导机关是什么？';
const EDITED = '党的最高领导机关是（ ）。';

describe('question bank and quizzes in the browser', () => {
  it('admin creates and edits a single-choice question, then builds a 30-second quiz from it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await loginAsAdmin(page);

    await page.click('[data-test=nav-bank]');
    await page.click('[data-test=new-question]');
    await page.fill('[data-test=q-text]', STEM);
    const options = ['党的全国代表大会和它所产生的中央委员会', '中央政治局', '中央书记处', '中央军事委员会'];
    for (const [i, text] of options.entries()) await page.fill(`[data-test=q-option-${i}]`, text);
    await page.check('[data-test=q-answer-0]');
    await page.fill('[data-test=q-tags]', '党章');
    // The live preview shows the stem and lettered options, not the answer.
    const preview = page.locator('[data-test=question-preview]');
    await expect.poll(() => preview.textContent()).toContain(STEM);
    expect(await preview.textContent()).toContain('中央书记处');
    await page.click('[data-test=q-save]');
    await page.waitForSelector(`[data-test=questions-table] >> text=${STEM}`);

    const created = await admin.get(`/api/questions?q=${encodeURIComponent(STEM)}`);
    expect(created.body.total).toBe(1);
    const question = created.body.items[0];
    expect(question).toMatchObject({ type: 'single', text: STEM, options, answer: 0, tags: ['党章'], version: 1 });

    await page.locator('[data-test=questions-table] tr', { hasText: STEM }).locator('[data-test=question-edit]').click();
    // Someone else saves the question while the dialog is open: the stale save is refused and the latest is loaded.
    const { id: _id, createdBy: _c, updatedAt: _u, ...content } = question;
    expect((await admin.request('PUT', `/api/questions/${question.id}`, { ...content, explanation: '党章第十条' })).status).toBe(200);
    await page.fill('[data-test=q-text]', EDITED);
    await page.click('[data-test=q-save]');
    await page.waitForSelector('[data-test=q-conflict]');
    expect(await page.inputValue('[data-test=q-explanation]')).toBe('党章第十条');
    await page.fill('[data-test=q-text]', EDITED);
    await page.click('[data-test=q-save]');
    await page.waitForSelector(`[data-test=questions-table] >> text=${EDITED}`);
    const edited = (await admin.get(`/api/questions/${question.id}`)).body.question;
    expect(edited).toMatchObject({ text: EDITED, answer: 0, explanation: '党章第十条', version: 3 });

    await page.click('[data-test=nav-quizzes]');
    await page.click('[data-test=new-quiz]');
    await page.fill('[data-test=quiz-title]', '党章测验');
    await page.fill('[data-test=quiz-time-limit]', '30');
    await page.fill('[data-test=pick-search]', '最高领导机关');
    const row = page.locator('[data-test=quiz-picker] label', { hasText: EDITED });
    await row.locator('[data-test=pick-question]').check();
    await page.waitForSelector(`[data-test=quiz-chosen] >> text=${EDITED}`);
    await page.click('[data-test=quiz-save]');
    await page.waitForSelector('[data-test=quizzes-table] >> text=党章测验');
    expect(await page.textContent('[data-test=quizzes-table]')).toContain('1 道指定题目');

    const quizzes = (await admin.get('/api/quizzes')).body.items;
    const quiz = quizzes.find((q: { title: string }) => q.title === '党章测验');
    expect(quiz).toMatchObject({ questionIds: [question.id], timeLimitSec: 30, branchId: null, draw: null });
    await page.close();
  });

  it('an import is checked first, reports bad rows by number, then imports the good ones; a tag is renamed across the bank', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await loginAsAdmin(page);
    const file = path.join(tmp, 'questions.csv');
    writeFileSync(
      file,
      ['题型,题干,选项A,选项B,答案,标签', '判断,入党誓词由党章规定。,,,对,入党', '问答,这一行的题型不对,,,A,'].join('\n'),
    );

    await page.click('[data-test=nav-bank]');
    await page.click('[data-test=q-import-open]');
    await page.setInputFiles('[data-test=q-import-file]', file);
    await page.click('[data-test=q-import-dry-run]');
    await page.waitForSelector('[data-test=q-import-report]');
    expect(await page.textContent('[data-test=q-import-report]')).toContain('新增 1 道');
    // Exactly one error, on row 3 (the header is row 1), about the question type.
    expect(await page.locator('[data-test=q-import-errors] tbody tr td:first-child').allTextContents()).toEqual(['3']);
    expect(await page.textContent('[data-test=q-import-errors] tbody tr td:nth-child(2)')).toContain('题型');
    // A dry run writes nothing.
    expect((await admin.get('/api/questions?q=入党誓词')).body.total).toBe(0);

    await page.click('[data-test=q-import-confirm]');
    await page.waitForSelector('[data-test=q-import-result]');
    await page.click('[data-test=q-import-close]');
    await page.waitForSelector('[data-test=questions-table] >> text=入党誓词由党章规定。');
    const imported = (await admin.get('/api/questions?q=入党誓词')).body.items[0];
    expect(imported).toMatchObject({ type: 'judge', answer: 0, tags: ['入党'] });

    // Tag management: rename the imported tag across the bank
    await page.click('[data-test=tags-open]');
    await page.fill('[data-test=tag-new-入党]', '入党誓词');
    await page.click('[data-test=tag-rename-入党]');
    await page.waitForSelector('[data-test=tag-row-入党誓词]');
    expect((await admin.get(`/api/questions/${imported.id}`)).body.question.tags).toEqual(['入党誓词']);
    await page.close();
  });

  it("issue 9 item 10: the quiz list's 发起竞答 opens the host setup with that quiz chosen; the title error clears once filled", async () => {
    const q = (await admin.post('/api/questions', { type: 'judge', text: '发起竞答测试：党员有表决权。', options: ['正确', '错误'], answer: 0 })).body.question;
    const older = (await admin.post('/api/quizzes', { title: '较早的试卷', questionIds: [q.id] })).body.quiz;
    await admin.post('/api/quizzes', { title: '较新的试卷', questionIds: [q.id] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await loginAsAdmin(page);
    await page.click('[data-test=nav-quizzes]');

    await page.click('[data-test=new-quiz]');
    expect(await page.isChecked('[data-test=quiz-shuffle]')).toBe(true); // issue 9 item 9: shuffled unless turned off
    await page.click('[data-test=quiz-save]');
    await page.waitForSelector('[data-test=quiz-error-title]');
    await page.fill('[data-test=quiz-title]', '有名字了');
    await page.waitForSelector('[data-test=quiz-error-title]', { state: 'detached' });
    await page.locator('[data-test=quiz-form] button', { hasText: '取消' }).click();
    await page.waitForSelector('[data-test=quiz-form]', { state: 'detached' });

    // Not the first quiz in the list, so a preselection cannot be the setup's default.
    await page.locator('[data-test=quizzes-table] tr', { hasText: '较早的试卷' }).locator('[data-test=quiz-host]').click();
    await page.waitForURL((url) => url.pathname === '/host' && url.searchParams.get('quizId') === older.id);
    await page.waitForSelector(`[data-test=host-quiz] >> option[value="${older.id}"]`, { state: 'attached' });
    await expect.poll(() => page.inputValue('[data-test=host-quiz]')).toBe(older.id);
    await page.close();
  });

  it('issue 9 item 15: a secretary sees each question\'s scope, cannot touch organisation-wide ones, and a bulk delete names the quiz that keeps a question', async () => {
    const one = await seedBranch(t.url, admin, '题库页支部');
    const base = { type: 'judge', options: ['正确', '错误'], answer: 0, tags: ['归属页'] };
    const org = (await admin.post('/api/questions', { ...base, text: '归属页：全组织的题' })).body.question;
    const used = (await one.secretaryClient.post('/api/questions', { ...base, text: '归属页：试卷用到的支部题' })).body.question;
    const spare = (await one.secretaryClient.post('/api/questions', { ...base, text: '归属页：可以删的支部题' })).body.question;
    expect((await one.secretaryClient.post('/api/quizzes', { title: '支部月度测验', questionIds: [used.id] })).status).toBe(201);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await loginThroughPage(page, t.url, one.secretary.username, 'password-1');
    await page.waitForSelector('[data-test=logout]');
    await page.click('[data-test=nav-bank]');
    await page.fill('[data-test=bank-search]', '归属页');
    const row = (text: string) => page.locator('[data-test=questions-table] tr', { hasText: text });
    await row(org.text).waitFor();
    await row(spare.text).waitFor();

    expect(await row(org.text).locator('[data-test=question-scope]').textContent()).toBe('全组织');
    expect(await row(org.text).locator('[data-test=question-edit]').isDisabled()).toBe(true);
    expect(await row(org.text).locator('[data-test=question-delete]').isDisabled()).toBe(true);
    expect(await row(org.text).locator('[data-test=question-readonly]').textContent()).toContain('仅管理员可修改');
    expect(await row(org.text).locator('.n-checkbox--disabled').count()).toBe(1);
    expect(await row(spare.text).locator('[data-test=question-scope]').textContent()).toBe('本支部');
    expect(await row(spare.text).locator('[data-test=question-edit]').isDisabled()).toBe(false);

    await row(used.text).locator('.n-checkbox').click();
    await row(spare.text).locator('.n-checkbox').click();
    await page.click('[data-test=bulk-delete]');
    await page.click('[data-test=confirm-bulk-delete]');
    const failures = page.locator('[data-test=delete-failures]');
    await failures.waitFor();
    expect(await failures.textContent()).toContain('支部月度测验');
    expect(await failures.textContent()).toContain(used.text);
    expect(await failures.textContent()).not.toContain(spare.text);
    await page.click('[data-test=delete-failures-ok]');
    await row(spare.text).waitFor({ state: 'detached' });
    expect((await admin.get(`/api/questions/${spare.id}`)).status).toBe(404);
    expect((await admin.get(`/api/questions/${used.id}`)).status).toBe(200);
    expect((await admin.get(`/api/questions/${org.id}`)).status).toBe(200);
    await page.close();

    // An admin chooses the scope in the form: the organisation-wide question becomes the branch's.
    const adminPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await loginAsAdmin(adminPage);
    await adminPage.click('[data-test=nav-bank]');
    await adminPage.fill('[data-test=bank-search]', org.text);
    await adminPage.locator('[data-test=questions-table] tr', { hasText: org.text }).locator('[data-test=question-edit]').click();
    expect(await adminPage.inputValue('[data-test=q-scope]')).toBe('');
    await adminPage.selectOption('[data-test=q-scope]', one.branch.id);
    await adminPage.click('[data-test=q-save]');
    await adminPage.waitForSelector('[data-test=question-form]', { state: 'detached' });
    expect((await admin.get(`/api/questions/${org.id}`)).body.question.branchId).toBe(one.branch.id);
    expect(await adminPage.locator('[data-test=questions-table] tr', { hasText: org.text }).locator('[data-test=question-scope]').textContent()).toBe('题库页支部');
    await adminPage.close();
  });
});
