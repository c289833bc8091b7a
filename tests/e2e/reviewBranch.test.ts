import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type TestApp } from '../helpers/testApp';
import { loginThroughPage, startBrowserApp } from '../helpers/browser';
import { ApiClient, seedBranch } from '../helpers/api';
import { expectInViewport, shot, useLocale } from '../helpers/layout';

/**
 * Issue 11 item 6: 支部自学概况 for staff, from the review hub: who reviewed on each of the last 7 days (counts) and the
 * pooled accuracy by tag; no member named, nobody ranked. Members neither see the link nor reach the page.
 */
let t: TestApp;
let browser: Browser;
let app: Awaited<ReturnType<typeof startBrowserApp>>;
let admin: ApiClient;
let seeded: Awaited<ReturnType<typeof seedBranch>>;
const contexts: BrowserContext[] = [];
const TAG = '发展党员工作细则';

async function pageFor(username: string, password: string, locale: 'zh-CN' | 'en', viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, hasTouch: viewport.width < 800, isMobile: viewport.width < 800 });
  contexts.push(context);
  await useLocale(context, locale);
  const page = await context.newPage();
  await loginThroughPage(page, t.url, username, password);
  await page.waitForSelector('[data-test=home-today-start]');
  return page;
}

beforeAll(async () => {
  app = await startBrowserApp();
  ({ t, browser } = app);
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  seeded = await seedBranch(t.url, admin, '自学概况测试支部');
  for (let i = 0; i < 5; i++) {
    const res = await admin.post('/api/questions', { type: 'judge', text: `细则${i}：入党申请人应当向工作、学习所在单位党组织提出入党申请。`, options: ['正确', '错误'], answer: 0, tags: [TAG] });
    expect(res.status).toBe(201);
  }
  // The branch's member answers two of today's questions: one right, one wrong.
  const daily = (await seeded.memberClient.get('/api/review/daily')).body;
  for (const [n, item] of daily.items.slice(0, 2).entries()) {
    const res = await seeded.memberClient.post('/api/review/answers', { attemptId: randomUUID(), mode: 'daily', questionId: item.questionId, answer: n === 0 ? 0 : 1 });
    expect(res.status).toBe(200);
  }
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await app?.close();
});

describe('issue 11 item 6: the branch summary page', () => {
  const TEXT = {
    'zh-CN': { reviewed: '1/2 人参加了自学', today: '1 人', none: '0 人' },
    en: { reviewed: '1 of 2 members reviewed', today: '1 member', none: '0 members' },
  };
  for (const locale of ['zh-CN', 'en'] as const) {
    for (const vp of [
      { name: 'phone', width: 390, height: 844 },
      { name: 'desktop', width: 1366, height: 768 },
    ]) {
      it(`issue 11: ${locale} ${vp.width}x${vp.height}: a secretary opens 支部自学概况 from the hub: counts per day and accuracy by tag, no names`, async () => {
        const page = await pageFor(seeded.secretary.username, 'password-1', locale, vp);
        await page.goto(`${t.url}/review`);
        await page.click('[data-test=review-hub-branch]');
        await page.waitForSelector('[data-test=review-branch-reviewed]');
        expect(await page.textContent('[data-test=review-branch-reviewed]')).toContain(TEXT[locale].reviewed);
        const summary = (await seeded.secretaryClient.get('/api/review/branch-summary')).body;
        const today = summary.days.at(-1);
        expect(await page.textContent(`[data-test=review-branch-day-${today}]`)).toContain(TEXT[locale].today);
        expect(await page.textContent(`[data-test=review-branch-day-${summary.days[0]}]`)).toContain(TEXT[locale].none);
        const tags = await page.textContent('[data-test=review-branch-tags]');
        expect(tags).toContain(TAG);
        expect(tags).toContain('50%');
        const body = (await page.textContent('[data-test=review-branch-page]')) ?? '';
        expect(body).not.toContain(seeded.member.displayName);
        await expectInViewport(page, '[data-test=review-branch-reviewed]');
        await shot(page, `branch-${vp.name}-${locale}`);
      });
    }
  }

  it('issue 11: an admin picks the branch; a member has no link and is sent home from the address', async () => {
    const adminPage = await pageFor('admin', ADMIN_PASSWORD, 'zh-CN', { width: 390, height: 844 });
    await adminPage.goto(`${t.url}/review/branch`);
    await adminPage.waitForSelector('[data-test=review-branch-select]');
    await adminPage.selectOption('[data-test=review-branch-select]', seeded.branch.id);
    await expect.poll(() => adminPage.textContent('[data-test=review-branch-reviewed]')).toContain('1/2');

    const memberPage = await pageFor(seeded.member.username, 'password-1', 'zh-CN', { width: 390, height: 844 });
    await memberPage.goto(`${t.url}/review`);
    await memberPage.waitForSelector('[data-test=review-hub-wrong-book]');
    expect(await memberPage.$('[data-test=review-hub-branch]')).toBeNull();
    await memberPage.goto(`${t.url}/review/branch`);
    await memberPage.waitForURL(`${t.url}/`);
    expect(await memberPage.$('[data-test=review-branch-page]')).toBeNull();
  });
});
