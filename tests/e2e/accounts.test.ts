import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type TestApp } from '../helpers/testApp';
import { changePasswordThroughPage, loginThroughPage, startBrowserApp } from '../helpers/browser';
import { ApiClient } from '../helpers/api';

let t: TestApp;
let browser: Browser;
let app: Awaited<ReturnType<typeof startBrowserApp>>;

beforeAll(async () => {
  app = await startBrowserApp();
  ({ t, browser } = app);
});
afterAll(async () => {
  await app?.close();
});

describe('accounts in the browser', () => {
  it('admin logs in, creates a branch and a member; the member logs in, changes the password and sees home', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${t.url}/`);
    await page.waitForURL(/\/login/);
    await page.fill('[data-test=login-username]', 'admin');
    await page.fill('[data-test=login-password]', ADMIN_PASSWORD);
    await page.click('[data-test=login-submit]');
    await page.waitForSelector('[data-test=logout]');

    await page.click('[data-test=nav-branches]');
    await page.click('[data-test=new-branch]');
    await page.fill('[data-test=branch-name]', '浏览器测试支部');
    await page.click('[data-test=branch-form-confirm]');
    await page.waitForSelector('[data-test=branches-table] >> text=浏览器测试支部');

    await page.click('[data-test=nav-users]');
    await page.click('[data-test=new-user]');
    await page.fill('[data-test=user-username]', 'liming');
    await page.fill('[data-test=user-displayName]', '李明');
    await page.fill('[data-test=user-password]', 'first-pass-1');
    await page.selectOption('[data-test=user-role]', 'member');
    await page.selectOption('[data-test=user-branch]', { label: '浏览器测试支部' });
    await page.click('[data-test=user-form-confirm]');
    await page.waitForSelector('[data-test=users-table] >> text=liming');

    await page.click('[data-test=logout]');
    await page.waitForURL(/\/login/);
    await page.fill('[data-test=login-username]', 'liming');
    await page.fill('[data-test=login-password]', 'first-pass-1');
    await page.click('[data-test=login-submit]');
    await page.waitForURL(/\/change-password/);
    await changePasswordThroughPage(page, 'first-pass-1', 'second-pass-2');
    await page.waitForSelector('[data-test=home-greeting]');
    expect(await page.textContent('[data-test=home-greeting]')).toContain('李明');
    expect(await page.textContent('[data-test=home-branch]')).toContain('浏览器测试支部');
    // A member sees no admin navigation.
    expect(await page.locator('[data-test=nav-users]').count()).toBe(0);
    await page.close();
  });

  it('admin imports members from a CSV: a dry-run report with the bad row, then the import with generated passwords', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await loginThroughPage(page, t.url, 'admin', ADMIN_PASSWORD);
    await page.waitForSelector('[data-test=logout]');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tongpin-users-'));
    const file = path.join(dir, 'members.csv');
    writeFileSync(file, ['用户名,姓名,支部,角色,初始密码', 'import01,导入一号,浏览器测试支部,党员,', ',没有用户名,浏览器测试支部,,'].join('\n'));

    await page.click('[data-test=nav-users]');
    await page.click('[data-test=import-open]');
    await page.setInputFiles('[data-test=import-file]', file);
    await page.click('[data-test=import-dry-run]');
    await page.waitForSelector('[data-test=import-errors]');
    // Exactly one error, on row 3 (the header is row 1): the row without a username.
    expect(await page.locator('[data-test=import-errors] tbody tr td:first-child').allTextContents()).toEqual(['3']);
    expect(await page.textContent('[data-test=import-created]')).toContain('import01');
    expect((await new ApiClient(t.url).post('/api/auth/login', { username: 'import01', password: 'x' })).status).toBe(401); // nothing written yet

    await page.click('[data-test=import-confirm]');
    await page.waitForSelector('[data-test=import-result]');
    const password = ((await page.textContent('[data-test=import-result] code')) ?? '').trim();
    expect(password.length).toBeGreaterThanOrEqual(8);
    const member = new ApiClient(t.url);
    expect((await member.login('import01', password)).displayName).toBe('导入一号');
    await page.close();
  });

  it('issue 9 item 10: the new-user dialog opens with valid defaults: filling only the names creates a member who can log in', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await loginThroughPage(page, t.url, 'admin', ADMIN_PASSWORD);
    await page.waitForSelector('[data-test=logout]');
    await page.click('[data-test=nav-users]');
    await page.click('[data-test=new-user]');
    await page.fill('[data-test=user-username]', 'defaults01');
    await page.fill('[data-test=user-displayName]', '默认值');
    const password = await page.inputValue('[data-test=user-password]');
    expect(password.length).toBeGreaterThanOrEqual(8);
    expect(await page.inputValue('[data-test=user-role]')).toBe('member');
    expect(await page.inputValue('[data-test=user-branch]')).not.toBe('');
    await page.click('[data-test=user-form-confirm]');
    await page.waitForSelector('[data-test=users-table] >> text=defaults01');
    expect(await page.locator('[data-test=user-form-error]').count()).toBe(0);
    await page.close();
    const user = await new ApiClient(t.url).login('defaults01', password, { keepMustChange: true });
    expect(user).toMatchObject({ role: 'member', mustChangePassword: true });
    expect(user.branchId).not.toBeNull();
  });

  it('issue 9 item 10: opening the app signed out logs no console error (GET /api/me answers { user: null })', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${t.url}/`);
    await page.waitForURL(/\/login/);
    await page.waitForSelector('[data-test=login-submit]');
    await page.goto(`${t.url}/join`);
    await page.waitForSelector('[data-test=join-form]');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a wrong password shows the server message on the login page', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await loginThroughPage(page, t.url, 'admin', 'wrong-password');
    await page.waitForSelector('[data-test=login-error]');
    expect(await page.textContent('[data-test=login-error]')).toContain('用户名或密码错误');
    await page.close();
  });
});
