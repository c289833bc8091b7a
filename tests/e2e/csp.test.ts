import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type TestApp } from '../helpers/testApp';
import { loginThroughPage, startBrowserApp } from '../helpers/browser';
import { ApiClient } from '../helpers/api';

let t: TestApp;
let browser: Browser;
let app: Awaited<ReturnType<typeof startBrowserApp>>;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  app = await startBrowserApp();
  ({ t, browser } = app);
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await app?.close();
});

/** A page that records every CSP violation: the DOM event and Chromium's console report alike. */
async function watchedPage(options: Parameters<Browser['newContext']>[0] = {}): Promise<{ page: Page; violations: string[] }> {
  const ctx = await browser.newContext(options);
  contexts.push(ctx);
  // Runs in the page before its own scripts (a string: the tests compile without DOM types).
  await ctx.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.error('csp-violation ' + e.violatedDirective + ' ' + e.blockedURI));`);
  const page = await ctx.newPage();
  const violations: string[] = [];
  page.on('console', (msg) => {
    const text = msg.text();
    if (text.startsWith('csp-violation') || /Content Security Policy/i.test(text)) violations.push(text);
  });
  return { page, violations };
}

describe('issue 9 item 18: the built client under the CSP', () => {
  it('login, home, the host lobby (QR code, socket) and the join page render with zero CSP violations', async () => {
    const admin = new ApiClient(t.url);
    await admin.login('admin', ADMIN_PASSWORD);
    const question = (await admin.post('/api/questions', { type: 'judge', text: 'CSP 测试题', options: ['正确', '错误'], answer: 0 })).body.question;
    const quizId = (await admin.post('/api/quizzes', { title: 'CSP 测试卷', questionIds: [question.id] })).body.quiz.id;

    const host = await watchedPage({ viewport: { width: 1366, height: 768 } });
    const login = await host.page.goto(`${t.url}/login`);
    const csp = login?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(login?.headers()['x-content-type-options']).toBe('nosniff');
    expect(login?.headers()['referrer-policy']).toBe('no-referrer');
    await host.page.waitForSelector('[data-test=login-username]');

    await loginThroughPage(host.page, t.url, 'admin', ADMIN_PASSWORD);
    await host.page.waitForSelector('[data-test=logout]');

    await host.page.goto(`${t.url}/host?quizId=${quizId}`);
    await host.page.waitForSelector(`[data-test=host-quiz] >> option[value="${quizId}"]`, { state: 'attached' });
    await host.page.click('[data-test=host-allow-guests]');
    await host.page.click('[data-test=host-create]');
    await host.page.waitForSelector('[data-test=host-qr]');
    // The QR code is a data: image, and it must have loaded, not been blocked.
    expect(await host.page.$eval('[data-test=host-qr]', (img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    const pin = ((await host.page.textContent('[data-test=host-pin]')) ?? '').replace(/\s/g, '');

    const phone = await watchedPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await phone.page.goto(`${t.url}/join`);
    await phone.page.fill('[data-test=join-pin]', pin);
    await phone.page.fill('[data-test=join-nickname]', '访客小张');
    await phone.page.click('[data-test=join-submit]');
    await phone.page.waitForSelector('[data-test=player-lobby]');

    expect(host.violations).toEqual([]);
    expect(phone.violations).toEqual([]);
  });
});
