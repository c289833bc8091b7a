import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient } from '../helpers/api';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('login and logout', () => {
  it('logs in with the right password and sets an HttpOnly, SameSite=Lax sid cookie', async () => {
    const api = new ApiClient(t.url);
    const res = await api.post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'admin', role: 'admin', disabled: false });
    expect(res.body.user).not.toHaveProperty('passwordHash');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^sid=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect((await api.get('/api/me')).body.user.username).toBe('admin');
  });

  it('gives each login a new session id: a session id the browser already holds (or one planted in it) is never kept', async () => {
    // Session fixation: the same browser logs in while it presents an id; the id it gets back must be a new one.
    const browser = new ApiClient(t.url);
    await browser.login('admin', ADMIN_PASSWORD);
    const held = browser.cookie;
    await browser.login('admin', ADMIN_PASSWORD);
    expect(browser.cookie).toMatch(/^sid=.+/);
    expect(browser.cookie).not.toBe(held);
    const planted = new ApiClient(t.url);
    planted.cookie = 'sid=planted-by-an-attacker';
    await planted.login('admin', ADMIN_PASSWORD);
    expect(planted.cookie).toMatch(/^sid=.+/);
    expect(planted.cookie).not.toBe('sid=planted-by-an-attacker');
  });

  it('rejects a wrong password with 401 INVALID_CREDENTIALS and no cookie', async () => {
    const res = await new ApiClient(t.url).post('/api/auth/login', { username: 'nobody', password: 'whatever1' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('issue 9 item 10: answers GET /api/me without a session with 200 { user: null }, not an error', async () => {
    const res = await new ApiClient(t.url).get('/api/me');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user: null });
  });

  it('logout ends the session on the server, not only in the browser', async () => {
    const api = new ApiClient(t.url);
    await api.login('admin', ADMIN_PASSWORD);
    const stolen = api.cookie;
    expect((await api.post('/api/auth/logout')).status).toBe(204);
    const replay = new ApiClient(t.url);
    replay.cookie = stolen;
    expect((await replay.get('/api/me')).body).toEqual({ user: null });
    expect((await replay.get('/api/users')).status).toBe(401);
  });
});

describe('login rate limit', () => {
  it('after 5 failures for one (username, IP) the next attempt from there gets 429 even with the right password', async () => {
    const admin = new ApiClient(t.url);
    await admin.login('admin', ADMIN_PASSWORD);
    await admin.post('/api/users', { username: 'limited', displayName: '限流', password: 'right-pass-1', role: 'admin' });
    const api = new ApiClient(t.url);
    for (let i = 0; i < 5; i++) {
      expect((await api.post('/api/auth/login', { username: 'limited', password: 'wrong-pass' })).status).toBe(401);
    }
    const res = await api.post('/api/auth/login', { username: 'LIMITED', password: 'right-pass-1' });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
  });

  it('only failures count: many successful logins are never limited', async () => {
    const api = new ApiClient(t.url);
    for (let i = 0; i < 8; i++) expect((await api.post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).status).toBe(200);
  });

  it('limits one IP after its configured failures across usernames (LOGIN_MAX_FAILURES_PER_IP)', async () => {
    // A second app behind a (pretend) proxy, so this office address does not limit the other tests.
    const other = await startTestApp({ redis: t.redis, config: { trustProxy: 1, loginMaxFailuresPerIp: 10 } });
    try {
      const api = new ApiClient(other.url, { 'x-forwarded-for': '203.0.113.7' });
      for (let i = 0; i < 10; i++) expect((await api.post('/api/auth/login', { username: `ghost${i}`, password: 'wrong-pass' })).status).toBe(401);
      const res = await api.post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
      expect(res.status).toBe(429);
      const elsewhere = new ApiClient(other.url, { 'x-forwarded-for': '203.0.113.8' });
      expect((await elsewhere.post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe('own password', () => {
  it('a created user must change the password; changing it clears the flag and checks the current one', async () => {
    const admin = new ApiClient(t.url);
    await admin.login('admin', ADMIN_PASSWORD);
    await admin.post('/api/users', { username: 'changer', displayName: '改密码', password: 'initial-1', role: 'admin' });
    const user = new ApiClient(t.url);
    expect((await user.login('changer', 'initial-1', { keepMustChange: true })).mustChangePassword).toBe(true);
    const wrong = await user.post('/api/me/password', { currentPassword: 'not-it-1', newPassword: 'brand-new-1' });
    expect(wrong.status).toBe(400);
    expect((await user.post('/api/me/password', { currentPassword: 'initial-1', newPassword: 'short' })).status).toBe(400);
    expect((await user.post('/api/me/password', { currentPassword: 'initial-1', newPassword: 'brand-new-1' })).status).toBe(204);
    expect((await user.get('/api/me')).body.user.mustChangePassword).toBe(false);
    expect((await new ApiClient(t.url).post('/api/auth/login', { username: 'changer', password: 'brand-new-1' })).status).toBe(200);
  });
});
