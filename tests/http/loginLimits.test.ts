import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordVerifications } from '../../server/services/passwords';
import { ApiClient } from '../helpers/api';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';

// Behind a (pretend) proxy, so each test can speak from IP addresses of its own.
let t: TestApp;
let admin: ApiClient;
beforeAll(async () => {
  t = await startTestApp({ config: { trustProxy: 1 } });
  admin = new ApiClient(t.url, { 'x-forwarded-for': '198.51.100.1' });
  await admin.login('admin', ADMIN_PASSWORD);
});
afterAll(() => t.close());

let ipCounter = 0;
/** A client at an address no other test used. */
const fromNewIp = () => new ApiClient(t.url, { 'x-forwarded-for': `203.0.113.${++ipCounter}` });

async function createUser(username: string, password: string): Promise<{ id: string }> {
  const res = await admin.post('/api/users', { username, displayName: username, password, role: 'admin' });
  expect(res.status).toBe(201);
  return res.body.user;
}

const login = (api: ApiClient, username: string, password: string) => api.post('/api/auth/login', { username, password });

/** Fires n wrong logins at once from one client; returns how many of each status came back and how many passwords were checked. */
async function burst(api: ApiClient, username: string, n: number) {
  const before = passwordVerifications();
  const answers = await Promise.all(Array.from({ length: n }, () => login(api, username, 'wrong-pass-x')));
  const codes = answers.map((a) => a.body.error?.code as string);
  return {
    checked: passwordVerifications() - before,
    invalid: codes.filter((c) => c === 'INVALID_CREDENTIALS').length,
    limited: codes.filter((c) => c === 'RATE_LIMITED').length,
  };
}

describe('issue 9 item 11: the login limit holds under concurrency', () => {
  it('issue 9 item 11: 20 wrong passwords at once get 5 checked, 15 refused; then the right password is refused too', async () => {
    await createUser('burst20', 'right-pass-20');
    const api = fromNewIp();
    expect(await burst(api, 'burst20', 20)).toEqual({ checked: 5, invalid: 5, limited: 15 });
    const right = await login(api, 'burst20', 'right-pass-20');
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('RATE_LIMITED');
  });

  it('issue 9 item 11: 1,000 wrong passwords at once get at most 5 checked', async () => {
    await createUser('burst1000', 'right-pass-1000');
    const result = await burst(fromNewIp(), 'burst1000', 1000);
    expect(result).toEqual({ checked: 5, invalid: 5, limited: 995 });
  });

  it('issue 9 item 11: a right password sent while the first 5 wrong ones are still being checked does not log in', async () => {
    await createUser('burstright', 'right-pass-mid');
    const api = fromNewIp();
    const before = passwordVerifications();
    const wrong = Array.from({ length: 20 }, () => login(api, 'burstright', 'wrong-pass-x'));
    // Wait until 5 checks have started (their places are taken), then slip the right password into the burst.
    while (passwordVerifications() - before < 5) await new Promise((resolve) => setTimeout(resolve, 1));
    const right = await login(api, 'burstright', 'right-pass-mid');
    await Promise.all(wrong);
    expect(right.status).toBe(429);
    expect(passwordVerifications() - before).toBe(5);
  });

  it('issue 9 item 11: an unknown username is limited the same way (the dummy hash is checked at most 5 times)', async () => {
    expect(await burst(fromNewIp(), 'nobody-here', 30)).toEqual({ checked: 5, invalid: 5, limited: 25 });
  });

  it('a successful login gives its place back: after 4 failures and a success, a 5th failure is still checked', async () => {
    await createUser('giveback', 'right-pass-gb');
    const api = fromNewIp();
    for (let i = 0; i < 4; i++) expect((await login(api, 'giveback', 'wrong-pass-x')).status).toBe(401);
    expect((await login(new ApiClient(t.url, api.headers), 'giveback', 'right-pass-gb')).status).toBe(200);
    // The device cookie from that success is not sent here (a plain client), so the (user, IP) counter applies: 1 left.
    expect((await login(api, 'giveback', 'wrong-pass-x')).status).toBe(401);
    expect((await login(api, 'giveback', 'wrong-pass-x')).status).toBe(429);
  });
});

/** The device cookie a successful login set, as a Cookie header value. */
function deviceCookieOf(res: { headers: Headers }): string {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('tp_device='));
  if (!cookie) throw new Error('no device cookie');
  return cookie.split(';')[0]!;
}

describe('issue 9 item 12: lockout is not a denial of service', () => {
  it('issue 9 item 12: the device cookie is HttpOnly, SameSite=Strict, sent only to the login', async () => {
    await createUser('cookieflags', 'right-pass-cf');
    const res = await login(fromNewIp(), 'cookieflags', 'right-pass-cf');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('tp_device='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/api\/auth\/login/i);
  });

  it('issue 9 item 12: failures from one IP do not lock the user out from another IP', async () => {
    await createUser('twoplaces', 'right-pass-tp');
    expect((await burst(fromNewIp(), 'twoplaces', 8)).limited).toBe(3);
    expect((await login(fromNewIp(), 'twoplaces', 'right-pass-tp')).status).toBe(200);
  });

  it('issue 9 item 12: a device-cookie holder logs in while attackers from 20 IPs have locked the username', async () => {
    await createUser('target', 'right-pass-tg');
    // Yesterday: the owner logged in from their own browser, which keeps the device cookie.
    const owner = fromNewIp();
    const first = await login(owner, 'target', 'right-pass-tg');
    expect(first.status).toBe(200);
    const device = deviceCookieOf(first);

    // Today: 20 addresses spend 5 guesses each: 100 failures lock the username for every untrusted source.
    const attackers = Array.from({ length: 20 }, fromNewIp);
    const results = await Promise.all(attackers.map((a) => burst(a, 'target', 5)));
    expect(results.reduce((sum, r) => sum + r.invalid, 0)).toBe(100);
    expect((await login(fromNewIp(), 'target', 'right-pass-tg')).status).toBe(429);

    // The owner's browser, even from a fresh address (and from one of the attackers' own), is not blocked.
    for (const headers of [fromNewIp().headers, attackers[0]!.headers]) {
      const browser = new ApiClient(t.url, { ...headers, cookie: device });
      const res = await browser.request('POST', '/api/auth/login', { username: 'target', password: 'right-pass-tg' });
      expect(res.status).toBe(200);
    }
  });

  it('issue 9 item 12: a forged or another account\'s device cookie does not bypass the lock', async () => {
    const victim = await createUser('victim', 'right-pass-vc');
    await createUser('mallory', 'right-pass-ml');
    const mallorysDevice = deviceCookieOf(await login(fromNewIp(), 'mallory', 'right-pass-ml'));
    const attackers = Array.from({ length: 20 }, fromNewIp);
    await Promise.all(attackers.map((a) => burst(a, 'victim', 5)));
    // Mallory's genuine cookie, and its nonce and signature moved onto the victim's id.
    const [, , rest] = /^tp_device=([^.]+)\.(.+)$/.exec(mallorysDevice)!;
    for (const cookie of [mallorysDevice, `tp_device=${victim.id}.${rest}`, 'tp_device=garbage']) {
      const res = await new ApiClient(t.url, { ...fromNewIp().headers, cookie }).request('POST', '/api/auth/login', { username: 'victim', password: 'right-pass-vc' });
      expect(res.status).toBe(429);
    }
  });

  it('issue 9 item 12: a device cookie has its own lockout: 5 wrong passwords through it, then refused', async () => {
    await createUser('ownlock', 'right-pass-ol');
    const device = deviceCookieOf(await login(fromNewIp(), 'ownlock', 'right-pass-ol'));
    const browser = new ApiClient(t.url, { ...fromNewIp().headers, cookie: device });
    const before = passwordVerifications();
    const answers = await Promise.all(Array.from({ length: 12 }, () => browser.request('POST', '/api/auth/login', { username: 'ownlock', password: 'nope-nope' })));
    expect(passwordVerifications() - before).toBe(5);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(7);
    // Its lockout is its own: the same address without the cookie still has its 5 tries.
    expect((await login(new ApiClient(t.url, { 'x-forwarded-for': browser.headers['x-forwarded-for']! }), 'ownlock', 'right-pass-ol')).status).toBe(200);
  });

  it('issue 9 item 12: an office IP whose limit is spent still lets device-cookie holders in', async () => {
    const office = await startTestApp({ redis: t.redis, config: { trustProxy: 1, loginMaxFailuresPerIp: 10 } });
    try {
      const officeIp = { 'x-forwarded-for': '192.0.2.50' };
      await admin.post('/api/users', { username: 'clerk', displayName: 'clerk', password: 'right-pass-ck', role: 'admin' });
      const device = deviceCookieOf(await login(new ApiClient(office.url, officeIp), 'clerk', 'right-pass-ck'));
      const typo = new ApiClient(office.url, officeIp);
      for (let i = 0; i < 10; i++) await login(typo, `someone${i}`, 'wrong-pass-x');
      expect((await login(typo, 'clerk', 'right-pass-ck')).status).toBe(429);
      const clerk = new ApiClient(office.url, { ...officeIp, cookie: device });
      expect((await clerk.request('POST', '/api/auth/login', { username: 'clerk', password: 'right-pass-ck' })).status).toBe(200);
    } finally {
      await office.close();
    }
  });
});
