import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GameReport } from '../../shared/schemas/live';
import { ADMIN_PASSWORD, type TestApp } from '../helpers/testApp';
import { loginThroughPage, startBrowserApp } from '../helpers/browser';
import { ApiClient, seedBranch } from '../helpers/api';
import { seedQuiz } from '../helpers/live';

let t: TestApp;
let browser: Browser;
let app: Awaited<ReturnType<typeof startBrowserApp>>;
let admin: ApiClient;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  app = await startBrowserApp();
  ({ t, browser } = app);
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await app?.close();
});

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** A browser context already signed in as `client` (its session cookie), like a member who logged in earlier. */
async function signedInContext(client: ApiClient, options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext(options);
  contexts.push(ctx);
  const sid = /sid=([^;]*)/.exec(client.cookie)?.[1];
  if (!sid) throw new Error('no session cookie');
  await ctx.addCookies([{ name: 'sid', value: sid, url: t.url }]);
  return ctx;
}

async function newContext(options: Parameters<Browser['newContext']>[0] = {}) {
  const ctx = await browser.newContext(options);
  contexts.push(ctx);
  return ctx;
}

const text = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').trim();

describe('a live game in the browser', () => {
  it('a host and two players (a member and a guest) play three questions to the podium; the host console and a phone survive a reload and a dropped connection', async () => {
    const { questions } = await seedQuiz(admin, '浏览器竞答', 30);
    // single (A right), multiple (A+B+C right), blank ('人民'): taps, a confirm button and an input
    const quiz = await admin.post('/api/quizzes', { title: '三题竞答', questionIds: [questions[0].id, questions[1].id, questions[3].id], timeLimitSec: 30, shuffleOptions: false });
    expect(quiz.status).toBe(201);
    const quizId = quiz.body.quiz.id as string;

    const { memberClient } = await seedBranch(t.url, admin, '竞答支部');
    const me = (await memberClient.get('/api/me')).body.user;
    if (me.mustChangePassword) {
      expect((await memberClient.post('/api/me/password', { currentPassword: 'password-1', newPassword: 'password-2-new' })).status).toBeLessThan(300);
      await memberClient.login(me.username, 'password-2-new');
    }

    // Host: laptop-sized, signs in through the page
    const hostPage = await (await newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await loginThroughPage(hostPage, t.url, 'admin', ADMIN_PASSWORD);
    await hostPage.waitForSelector('[data-test=logout]');
    await hostPage.goto(`${t.url}/host?quizId=${quizId}`);
    await hostPage.waitForSelector(`[data-test=host-quiz] >> option[value="${quizId}"]`, { state: 'attached' });
    await hostPage.click('[data-test=host-allow-guests]');
    await hostPage.click('[data-test=host-create]');
    await hostPage.waitForURL(/\/host\/[\w-]+$/);
    const gameId = hostPage.url().split('/').pop()!;
    const pin = await text(hostPage, '[data-test=host-pin]');
    expect(pin).toMatch(/^\d{6}$/);
    expect(await hostPage.getAttribute('[data-test=host-qr]', 'src')).toMatch(/^data:image\/png;base64,/);
    // Opened as 127.0.0.1 here: the console warns that phones cannot reach that address
    expect(await hostPage.isVisible('[data-test=host-local-warning]')).toBe(true);

    // Member: phone, already signed in, opens the join link; plays under their own name
    const memberPage = await (await signedInContext(memberClient, PHONE)).newPage();
    await memberPage.goto(`${t.url}/join?pin=${pin}`);
    await memberPage.waitForSelector('[data-test=player-lobby]');

    // Guest: phone, types PIN and nickname
    const guestPage = await (await newContext(PHONE)).newPage();
    await guestPage.goto(`${t.url}/join`);
    await guestPage.fill('[data-test=join-pin]', pin);
    await guestPage.fill('[data-test=join-nickname]', '访客小李');
    await guestPage.click('[data-test=join-submit]');
    await guestPage.waitForSelector('[data-test=player-lobby]');

    await hostPage.waitForSelector('[data-test=host-players] >> text=访客小李');
    await hostPage.waitForSelector(`[data-test=host-players] >> text=${me.displayName}`);

    // The host reloads the console in the lobby: it comes back to the same game
    await hostPage.reload();
    await hostPage.waitForSelector('[data-test=host-pin]');
    expect(await text(hostPage, '[data-test=host-pin]')).toBe(pin);
    await hostPage.waitForSelector('[data-test=host-players] >> text=访客小李');

    await hostPage.click('[data-test=host-start]');

    // Q1 single: the member taps A (right), the guest taps B (wrong); everyone answered -> early close
    await memberPage.waitForSelector('[data-test=player-question]');
    await guestPage.waitForSelector('[data-test=player-question]');
    expect(await text(memberPage, '[data-test=player-question-text]')).toContain('党的最高领导机关');
    await memberPage.click('[data-test=answer-option-0]');
    await memberPage.waitForSelector('[data-test=player-locked]');
    await guestPage.click('[data-test=answer-option-1]');
    await memberPage.waitForSelector('[data-test=player-result]');
    await guestPage.waitForSelector('[data-test=player-result]');
    expect(await text(memberPage, '[data-test=player-verdict]')).toContain('回答正确');
    expect(await text(guestPage, '[data-test=player-verdict]')).toContain('回答错误');
    expect(Number(await text(memberPage, '[data-test=player-score]'))).toBeGreaterThanOrEqual(500);
    expect(await text(guestPage, '[data-test=player-score]')).toBe('0');
    expect(await text(memberPage, '[data-test=player-rank]')).toMatch(/^1/);
    await hostPage.waitForSelector('[data-test=distribution]');
    expect(await text(hostPage, '[data-test=correct-answer]')).toBe('正确答案：A');
    expect(await text(hostPage, '[data-test=dist-0]')).toMatch(/全国代表大会.*✓/);
    expect(await text(hostPage, '[data-test=dist-0]')).toContain('1');
    await hostPage.waitForSelector(`[data-test=leaderboard] >> text=${me.displayName}`);

    // A network drop: the server loses the member's connection; the phone says so, reconnects and rejoins by itself
    const memberSockets = [...t.app.io.of('/live').sockets.values()].filter((s) => s.data.user?.id === me.id);
    expect(memberSockets.length).toBe(1);
    for (const s of memberSockets) s.conn.close();
    await memberPage.waitForSelector('[data-test=reconnecting]');
    await memberPage.waitForSelector('[data-test=reconnecting]', { state: 'detached' });
    // The same for the console: it re-attaches by itself and the game goes on from it
    const hostSockets = [...t.app.io.of('/live').sockets.values()].filter((s) => s.data.hosting?.includes(gameId));
    expect(hostSockets.length).toBe(1);
    for (const s of hostSockets) s.conn.close();
    await hostPage.waitForSelector('[data-test=reconnecting]');
    await hostPage.waitForSelector('[data-test=reconnecting]', { state: 'detached' });
    await hostPage.waitForSelector('[data-test=distribution]');

    // Q2 multiple: toggles and a confirm; the guest reloads the page (rejoins with the saved token), then leaves
    // the question unanswered and the host closes it early
    await hostPage.click('[data-test=host-next]');
    await memberPage.waitForSelector('[data-test=player-question] >> text=以下哪些是党的纪律');
    await guestPage.waitForSelector('[data-test=player-question]');
    await guestPage.reload();
    await guestPage.waitForSelector('[data-test=player-question] >> text=以下哪些是党的纪律');
    for (const i of [0, 1, 2]) await memberPage.click(`[data-test=answer-option-${i}]`);
    await memberPage.click('[data-test=answer-confirm]');
    await memberPage.waitForSelector('[data-test=player-locked]');
    await hostPage.waitForSelector('[data-test=host-answered] >> text=1 / 2');
    await hostPage.click('[data-test=host-next]'); // closes the question early
    await guestPage.waitForSelector('[data-test=player-result]');
    expect(await text(guestPage, '[data-test=player-verdict]')).toContain('未作答');
    await memberPage.waitForSelector('[data-test=player-result]');
    expect(await text(memberPage, '[data-test=player-verdict]')).toContain('回答正确');
    expect(await text(memberPage, '[data-test=player-streak]')).toContain('2');

    // Q3 blank: typed answers, full-width and spaces forgiven by the shared comparison
    await hostPage.click('[data-test=host-next]');
    await guestPage.waitForSelector('[data-test=answer-blank]');
    await guestPage.fill('[data-test=answer-blank]', ' 人民 ');
    await guestPage.click('[data-test=answer-confirm]');
    await memberPage.fill('[data-test=answer-blank]', '群众');
    await memberPage.click('[data-test=answer-confirm]');
    await guestPage.waitForSelector('[data-test=player-result]');
    expect(await text(guestPage, '[data-test=player-verdict]')).toContain('回答正确');
    await memberPage.waitForSelector('[data-test=player-result]');
    expect(await text(memberPage, '[data-test=player-verdict]')).toContain('回答错误');

    // Finish: podium on every screen, final ranks on the phones, report link on the console
    await hostPage.click('[data-test=host-next]');
    await hostPage.waitForSelector('[data-test=podium]');
    await memberPage.waitForSelector('[data-test=player-finished]');
    await guestPage.waitForSelector('[data-test=player-finished]');
    expect(await text(memberPage, '[data-test=player-final-rank]')).toContain('1');
    expect(await text(guestPage, '[data-test=player-final-rank]')).toContain('2');

    const report = (await admin.get(`/api/games/${gameId}`)).body.game as GameReport;
    expect(report.phase).toBe('finished');
    expect(report.players).toHaveLength(2); // the reloaded guest came back as the same player
    const byName = new Map(report.players.map((p) => [p.nickname, p]));
    expect(byName.get(me.displayName)?.rank).toBe(1);
    expect(byName.get(me.displayName)?.correct).toBe(2);
    expect(byName.get('访客小李')?.correct).toBe(1);
    const podiumNames = await hostPage.locator('[data-test=podium-entry]').allTextContents();
    expect(podiumNames.join(' ')).toContain(me.displayName);
    expect(podiumNames.join(' ')).toContain('访客小李');
    expect(await text(memberPage, '[data-test=player-final-score]')).toContain(String(byName.get(me.displayName)?.score));

    await hostPage.click('[data-test=host-report]');
    await hostPage.waitForURL(new RegExp(`/games/${gameId}$`));
    await hostPage.waitForSelector('[data-test=game-report]');
  });
});
