import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type TestApp } from '../helpers/testApp';
import { loginThroughPage, startBrowserApp } from '../helpers/browser';
import { ApiClient, seedBranch } from '../helpers/api';
import { expectInViewport, shot, useLocale } from '../helpers/layout';

/**
 * Issue 11 items 1-2 in the browser: a practice sitting lives in its route, so a reload or a second device resumes it
 * where the member was; 结束练习 asks once, then shows the summary, and the sitting takes no more answers.
 */
let t: TestApp;
let browser: Browser;
let app: Awaited<ReturnType<typeof startBrowserApp>>;
let admin: ApiClient;
let seeded: Awaited<ReturnType<typeof seedBranch>>;
const contexts: BrowserContext[] = [];
const TAG = '问责条例';
const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1366, height: 768 },
];
const SUMMARY = { 'zh-CN': '已答 2 题，答对 1 题', en: '2 answered, 1 correct' };

async function newMember(name: string) {
  const username = `rvp_${Math.random().toString(36).slice(2, 8)}`;
  await admin.post('/api/users', { username, displayName: name, password: 'password-1', role: 'member', branchId: seeded.branch.id });
  const client = new ApiClient(t.url);
  await client.login(username, 'password-1');
  return { client, username };
}

async function pageFor(username: string, locale: 'zh-CN' | 'en', viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, hasTouch: viewport.width < 800, isMobile: viewport.width < 800 });
  contexts.push(context);
  await useLocale(context, locale);
  const page = await context.newPage();
  await loginThroughPage(page, t.url, username, 'password-1');
  await page.waitForSelector('[data-test=home-today-start]');
  return page;
}

beforeAll(async () => {
  app = await startBrowserApp();
  ({ t, browser } = app);
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  seeded = await seedBranch(t.url, admin, '练习续答测试支部');
  // Single choice, option 0 right: the page answers right with option 0 and wrong with option 1.
  for (let i = 0; i < 4; i++) {
    const res = await admin.post('/api/questions', {
      type: 'single',
      text: `问责${i}：党组织、党的领导干部违反党章和其他党内法规，应当予以问责的依据是什么？`,
      options: ['《中国共产党问责条例》', '部门规章', '个人意见'],
      answer: 0,
      explanation: `解析${i}：依据《中国共产党问责条例》。`,
      source: '《中国共产党问责条例》',
      tags: [TAG],
    });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await app?.close();
});

describe('issue 11: practice sittings in the browser', () => {
  for (const locale of ['zh-CN', 'en'] as const) {
    for (const vp of VIEWPORTS) {
      it(`issue 11: ${locale} ${vp.width}x${vp.height}: practice sitting resumes after reload and on a second device; 结束练习 shows the summary`, async () => {
        const { client, username } = await newMember(`续答${vp.name}`);
        const page = await pageFor(username, locale, vp);
        const name = `${vp.name}-${locale}`;
        await page.goto(`${t.url}/review`);
        await page.click(`[data-test="review-topic-start-${TAG}"]`);
        await page.waitForSelector('[data-test=review-practice-page] [data-test=review-question-0]');
        const id = /\/review\/practice\/([A-Za-z0-9_-]+)$/.exec(new URL(page.url()).pathname)?.[1];
        expect(id).toBeTruthy();

        // One wrong, one right; then a reload lands on the third question with both verdicts kept.
        await page.click('[data-test=answer-option-1]');
        await page.waitForSelector('[data-test=review-wrong]');
        await page.click('[data-test=review-next]');
        await page.waitForSelector('[data-test=review-question-1]');
        await page.click('[data-test=answer-option-0]');
        await page.waitForSelector('[data-test=review-question-1] [data-test=review-right]');
        await page.reload();
        await page.waitForSelector('[data-test=review-question-2]');
        expect(await page.textContent('[data-test=review-map-0]')).toContain('✗');
        expect(await page.textContent('[data-test=review-map-1]')).toContain('✓');
        await expectInViewport(page, '[data-test=review-practice-finish]');
        await shot(page, `${name}-1-resumed`);
        await page.click('[data-test=review-map-0]');
        await page.waitForSelector('[data-test=review-question-0] [data-test=review-wrong]');
        expect(await page.textContent('[data-test=review-explanation]')).toContain('问责条例');

        // A second device opening the same address resumes there too.
        const tablet = await pageFor(username, locale, { width: 820, height: 1180 });
        await tablet.goto(`${t.url}/review/practice/${id}`);
        await tablet.waitForSelector('[data-test=review-question-2]');

        // 结束练习: asked once, then the summary; the sitting refuses answers from then on.
        await page.click('[data-test=review-practice-finish]');
        await page.waitForSelector('[data-test=review-practice-confirm]');
        await shot(page, `${name}-2-confirm`);
        await page.click('[data-test=review-practice-finish-yes]');
        await page.waitForSelector('[data-test=review-practice-summary]');
        expect(await page.textContent('[data-test=review-practice-summary-line]')).toContain(SUMMARY[locale]);
        expect(await page.$('[data-test=review-practice-finish]')).toBeNull();
        await expectInViewport(page, '[data-test=review-practice-summary] [data-test=review-done-hub]');
        await shot(page, `${name}-3-summary`);
        const sitting = (await client.get(`/api/review/practice/${id}`)).body.sitting;
        expect(sitting.finished).toEqual({ answered: 2, correct: 1 });
        const late = await client.post('/api/review/answers', { attemptId: randomUUID(), mode: 'practice', sittingId: id, questionId: sitting.items[2].questionId, answer: 0 });
        expect(late.status).toBe(409);

        // The other device, still on the question, is told when it answers; it then shows the summary.
        await tablet.click('[data-test=answer-option-0]');
        await tablet.waitForSelector('[data-test=review-practice-summary]');
        await page.reload();
        await page.waitForSelector('[data-test=review-practice-summary]');
      });
    }
  }

  it('issue 11: an unknown practice address says so and leads back to the hub', async () => {
    const { username } = await newMember('无此练习');
    const page = await pageFor(username, 'zh-CN', VIEWPORTS[0]!);
    await page.goto(`${t.url}/review/practice/nosuchsitting`);
    await page.waitForSelector('[data-test=review-practice-lost]');
  });
});
