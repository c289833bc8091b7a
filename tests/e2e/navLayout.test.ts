import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';
import { DESK, PHONE, signedInPage, startBrowserApp } from '../helpers/browser';
import { boxOf } from '../helpers/layout';

let t: TestApp;
let browser: Browser;
let close: () => Promise<void>;
let member: { username: string };

beforeAll(async () => {
  ({ t, browser, close } = await startBrowserApp());
  const admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  member = (await seedBranch(t.url, admin, '导航支部')).member;
});
afterAll(async () => close());

/** The distinct line tops (rounded) of the elements a selector finds. */
async function lineTops(page: Page, selector: string): Promise<number[]> {
  const boxes = await page.locator(selector).evaluateAll((els) => els.map((e) => Math.round((e as unknown as { getBoundingClientRect(): { top: number } }).getBoundingClientRect().top)));
  return [...new Set(boxes)];
}

describe('the menu: grouped, one line per group on a desk, behind 菜单 on a phone', () => {
  for (const locale of ['zh-CN', 'en'] as const) {
    it(`an admin at 1366x768 (${locale}): the links everyone uses on one line, what staff manage on the next, the account beside the brand`, async () => {
      const page = await signedInPage(browser, t.url, 'admin', ADMIN_PASSWORD, { context: DESK, locale });
      const main = await lineTops(page, '.nav-row:not(.nav-manage) .nav-link');
      const manage = await lineTops(page, '.nav-manage .nav-link');
      expect(main).toHaveLength(1);
      expect(manage).toHaveLength(1);
      expect(manage[0]!).toBeGreaterThan(main[0]!);
      const brand = await boxOf(page, '[data-test=brand]');
      const logout = await boxOf(page, '[data-test=logout]');
      // The account controls share the brand's line, above the links, and stay on the screen.
      expect(logout.y + logout.height).toBeLessThan(main[0]!);
      expect(logout.y).toBeLessThan(brand.y + brand.height);
      expect(logout.x + logout.width).toBeLessThanOrEqual(1366);
      await page.context().close();
    });
  }

  it('a member on a phone: the menu opens from 菜单 with every link and the account controls, one under another', async () => {
    const page = await signedInPage(browser, t.url, member.username, 'password-1', { context: PHONE });
    expect(await page.locator('[data-test=nav-study]').isVisible()).toBe(false);
    await page.click('[data-test=nav-toggle]');
    for (const test of ['nav-home', 'nav-study', 'nav-review', 'nav-exams', 'nav-join', 'nav-my-games', 'nav-ledger-me', 'nav-change-password', 'logout']) {
      expect(await page.locator(`[data-test=${test}]`).isVisible(), test).toBe(true);
    }
    expect(await page.locator('[data-test=nav-manage]').count()).toBe(0);
    const study = await boxOf(page, '[data-test=nav-study]');
    const review = await boxOf(page, '[data-test=nav-review]');
    expect(review.y).toBeGreaterThanOrEqual(study.y + study.height);
    await page.context().close();
  });
});
