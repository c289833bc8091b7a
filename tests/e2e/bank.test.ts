import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type TestApp } from '../helpers/testApp';
import { loginThroughPage, startBrowserApp } from '../helpers/browser';
import { ApiClient } from '../helpers/api';

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
    const errors = await page.textContent('[data-test=q-import-errors]');
    expect(errors).toContain('3');
    expect(errors).toContain('题型');
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
});
