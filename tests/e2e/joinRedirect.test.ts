import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api';
import { changePasswordThroughPage, loginThroughPage, startBrowserApp } from '../helpers/browser';
import { ok, openSocket, seedQuiz } from '../helpers/live';
import type { LiveClient } from '../helpers/sockets';
import { ADMIN_PASSWORD, type TestApp } from '../helpers/testApp';

let t: TestApp;
let browser: Browser;
let app: Awaited<ReturnType<typeof startBrowserApp>>;
let admin: ApiClient;
let host: LiveClient;
let branchId: string;

beforeAll(async () => {
  app = await startBrowserApp();
  ({ t, browser } = app);
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  branchId = (await admin.post('/api/branches', { name: '扫码支部' })).body.branch.id;
  host = await openSocket(t.url, admin);
});
afterAll(async () => {
  host?.disconnect();
  await app?.close();
});

const PHONE = { width: 390, height: 844 };

describe('issue 9 item 3: the join link survives login and the forced password change', () => {
  it('issue 9 item 3: /join?pin=… -> 登录 as a new member -> 修改密码 -> lands on /join?pin=… in the lobby', async () => {
    const { quizId } = await seedQuiz(admin, '扫码竞答');
    const { pin } = await ok<{ gameId: string; pin: string }>(host, 'game:create', { quizId });
    // A member created by the secretary, who has never logged in: the password must be changed first.
    expect((await admin.post('/api/users', { username: 'saoma', displayName: '扫码党员', password: 'given-pass-1', role: 'member', branchId })).status).toBe(201);

    const page = await browser.newPage({ viewport: PHONE });
    await page.goto(`${t.url}/join?pin=${pin}`);
    await page.click('[data-test=join-login]');
    await page.waitForURL(/\/login\?/);
    await page.fill('[data-test=login-username]', 'saoma');
    await page.fill('[data-test=login-password]', 'given-pass-1');
    await page.click('[data-test=login-submit]');
    await page.waitForURL(/\/change-password/);
    await changePasswordThroughPage(page, 'given-pass-1', 'chosen-pass-2');

    await page.waitForSelector('[data-test=player-lobby]');
    const landed = new URL(page.url());
    expect(landed.pathname + landed.search).toBe(`/join?pin=${pin}`);
    await page.close();
  });

  it('issue 9 item 3: a redirect to another site is not followed after login', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    for (const target of ['//evil.example/x', 'https://evil.example/x', '/\\evil.example/x']) {
      await page.goto(`${t.url}/login?redirect=${encodeURIComponent(target)}`);
      await page.fill('[data-test=login-username]', 'admin');
      await page.fill('[data-test=login-password]', ADMIN_PASSWORD);
      await page.click('[data-test=login-submit]');
      await page.waitForSelector('[data-test=home-greeting]');
      expect(new URL(page.url()).origin).toBe(t.url);
      expect(new URL(page.url()).pathname).toBe('/');
      await page.click('[data-test=logout]');
      await page.waitForURL(/\/login/);
    }
    await page.close();
  });
});

describe('issue 9 item 10: a 修改密码 entry in the user menu', () => {
  it('issue 9 item 10: a signed-in user opens 修改密码 from the menu, changes the password and can log in with it', async () => {
    await admin.post('/api/users', { username: 'menuuser', displayName: '菜单用户', password: 'given-pass-1', role: 'member', branchId });
    await new ApiClient(t.url).login('menuuser', 'given-pass-1'); // the first, forced change is done

    const page = await browser.newPage({ viewport: PHONE });
    await loginThroughPage(page, t.url, 'menuuser', 'given-pass-1');
    await page.waitForSelector('[data-test=home-greeting]');
    // On a phone the menu is folded: open it, then the entry.
    if (await page.isVisible('[data-test=nav-toggle]')) await page.click('[data-test=nav-toggle]');
    expect((await page.textContent('[data-test=nav-change-password]'))?.trim()).toBe('修改密码');
    await page.click('[data-test=nav-change-password]');
    await page.waitForURL(/\/change-password$/);
    await changePasswordThroughPage(page, 'given-pass-1', 'menu-pass-2');
    await page.waitForSelector('[data-test=home-greeting]');
    await page.close();
    expect((await new ApiClient(t.url).post('/api/auth/login', { username: 'menuuser', password: 'menu-pass-2' })).status).toBe(200);
  });
});
