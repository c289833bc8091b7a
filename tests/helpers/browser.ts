import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from './testApp';

/** Debian's Chromium, headless; the flags keep it from reaching for the network it does not have here. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** The real app serving the built client, and a browser. `npm test` builds first; run alone, a file needs a build. */
export async function startBrowserApp(): Promise<{ t: TestApp; browser: Browser; close(): Promise<void> }> {
  if (!existsSync(path.resolve('dist/client/index.html'))) throw new Error('dist/client is missing: run `npm test` (it builds) or `npm run build`');
  const t = await startTestApp();
  const browser = await launchBrowser();
  return {
    t,
    browser,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** Signs in through the login page; the caller waits for where that leads (home, or the password change). */
export async function loginThroughPage(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('[data-test=login-username]', username);
  await page.fill('[data-test=login-password]', password);
  await page.click('[data-test=login-submit]');
}

/** Fills and sends the change-password form on the current page; the caller waits for where that leads. */
export async function changePasswordThroughPage(page: Page, current: string, next: string): Promise<void> {
  await page.fill('[data-test=cp-current]', current);
  await page.fill('[data-test=cp-new]', next);
  await page.fill('[data-test=cp-repeat]', next);
  await page.click('[data-test=cp-submit]');
}

/** The screen sizes every screen is looked at: the projector/desk and two phones. */
export const DESK: BrowserContextOptions = { viewport: { width: 1366, height: 768 } };
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
export const SMALL_PHONE: BrowserContextOptions = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true };

/**
 * A fresh browser context of the given size and language, signed in through the login page and waited until the app
 * shows the signed-in shell. Close it with `page.context().close()`; `prepare` may add init scripts first.
 */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  username: string,
  password: string,
  options: { context?: BrowserContextOptions; locale?: 'zh-CN' | 'en'; prepare?: (ctx: Awaited<ReturnType<Browser['newContext']>>) => Promise<void> } = {},
): Promise<Page> {
  const ctx = await browser.newContext(options.context ?? DESK);
  await ctx.addInitScript(`localStorage.setItem('tongpin.locale', ${JSON.stringify(options.locale ?? 'zh-CN')});`);
  await options.prepare?.(ctx);
  const page = await ctx.newPage();
  await loginThroughPage(page, baseUrl, username, password);
  await page.waitForSelector('[data-test=logout]', { state: 'attached' });
  return page;
}
