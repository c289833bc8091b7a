import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GameReport } from '../../shared/schemas/live';
import { ADMIN_PASSWORD, type TestApp } from '../helpers/testApp';
import { loginThroughPage, startBrowserApp } from '../helpers/browser';
import { ApiClient, seedBranch } from '../helpers/api';
import { ok, openSocket, seedQuiz } from '../helpers/live';
import { waitFor, type LiveClient } from '../helpers/sockets';

let t: TestApp;
let browser: Browser;
let app: Awaited<ReturnType<typeof startBrowserApp>>;
let admin: ApiClient;

beforeAll(async () => {
  app = await startBrowserApp();
  ({ t, browser } = app);
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
});
afterAll(async () => {
  await app?.close();
});

const RIGHT = [0, [0, 1, 2], 0, '人民'] as const;
const WRONG = [1, [0, 1], 1, '群众'] as const;

/** Plays the seeded four-question quiz: the member answers all right, the guest only the first. */
async function playGame(quizId: string, memberCookie: ApiClient) {
  const host = await openSocket(t.url, admin);
  const { gameId, pin } = await ok<{ gameId: string; pin: string }>(host, 'game:create', { quizId, allowGuests: true, teamMode: 'branch' });
  const member = await openSocket(t.url, memberCookie);
  const guest = await openSocket(t.url);
  const players: LiveClient[] = [member, guest];
  await ok(member, 'game:join', { pin });
  await ok(guest, 'game:join', { pin, nickname: '访客小王' });
  for (let q = 0; q < RIGHT.length; q++) {
    const opened = Promise.all(players.map((s) => waitFor(s, 'question:open')));
    await ok(host, q === 0 ? 'game:start' : 'game:next', { gameId });
    await opened;
    const closed = waitFor(host, 'question:close', 8000);
    await ok(member, 'answer:submit', { gameId, index: q, answer: RIGHT[q] });
    await ok(guest, 'answer:submit', { gameId, index: q, answer: q === 0 ? RIGHT[q] : WRONG[q] });
    await closed;
  }
  const finished = waitFor(host, 'game:finished');
  await ok(host, 'game:next', { gameId });
  await finished;
  for (const s of [host, ...players]) s.close();
  return gameId;
}

async function login(page: Page, username: string, password: string) {
  await loginThroughPage(page, t.url, username, password);
}

const text = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').trim();

describe('live-game results in the browser', () => {
  it('shows the admin the game list and a report that match the REST report, and the member their own result', async () => {
    const { quizId } = await seedQuiz(admin, '成绩页测试', 20);
    const { branch, member, memberClient } = await seedBranch(t.url, admin, '成绩支部');
    const gameId = await playGame(quizId, memberClient);

    const report = (await admin.get(`/api/games/${gameId}`)).body.game as GameReport;
    expect(report.phase).toBe('finished');
    expect(report.players).toHaveLength(2);
    const mine = report.players.find((p) => p.userId === member.id)!;
    expect(mine.rank).toBe(1);

    // Admin: the list, then the report.
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForSelector('[data-test=logout]');
    await page.click('[data-test=nav-games]');
    await page.waitForSelector(`[data-test=game-row-${gameId}]`);
    expect(await page.getAttribute('[data-test=host-new]', 'href')).toBe('/host');
    expect(await text(page, `[data-test=game-row-${gameId}] [data-test=game-players]`)).toBe('2');
    expect(await text(page, `[data-test=game-row-${gameId}] [data-test=game-status]`)).toBe('已结束');
    await page.click(`[data-test=game-link-${gameId}]`);
    await page.waitForURL(new RegExp(`/games/${gameId}$`));
    await page.waitForSelector('[data-test=players-table]');

    expect(await text(page, '[data-test=report-title]')).toBe('成绩页测试');
    expect(await text(page, '[data-test=report-settings]')).toContain('按支部组队');
    expect(await text(page, '[data-test=summary-players]')).toBe('2');
    for (const p of report.players) {
      const row = `[data-test=player-row-${p.playerId}]`;
      expect(await text(page, `${row} [data-test=player-name]`)).toBe(p.nickname);
      expect(await text(page, `${row} [data-test=player-score]`)).toBe(String(p.score));
      expect(await text(page, `${row} [data-test=player-rank]`)).toBe(String(p.rank));
      expect(await text(page, `${row} [data-test=player-correct]`)).toBe(`${p.correct} / 4`);
      // issue 9 item 5: a guest is marked (访客) in the report, a member is not
      expect(await page.locator(`${row} [data-test=guest-mark]`).count()).toBe(p.guest ? 1 : 0);
    }
    expect(report.players.find((p) => p.nickname === '访客小王')?.guest).toBe(true);
    expect(await text(page, '[data-test=guest-mark]')).toBe('（访客）');
    const q1 = report.questions[1]!;
    expect(q1.answered).toBe(2);
    expect(await text(page, '[data-test=question-1] [data-test=question-accuracy]')).toBe(`${Math.round((100 * q1.correct) / q1.answered)}%`);
    expect(await text(page, '[data-test=question-1] [data-test=question-answer]')).toBe('ABC');
    expect(await text(page, '[data-test=question-3] [data-test=question-answer]')).toBe('人民');
    expect(await text(page, `[data-test=branch-row-${branch.id}] [data-test=branch-name]`)).toBe('成绩支部');

    // The export link downloads an xlsx with the browser's session.
    const href = await page.getAttribute('[data-test=report-export]', 'href');
    expect(href).toBe(`/api/games/${gameId}/export.xlsx`);
    const xlsx = await page.request.get(`${t.url}${href}`);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');

    // The admin played no game: a friendly empty state pointing to /join.
    await page.goto(`${t.url}/my-games`);
    await page.waitForSelector('[data-test=my-games-empty]');
    expect(await page.getAttribute('[data-test=my-games-join]', 'href')).toBe('/join');
    await page.close();

    // The member (phone-sized; the first password was already changed when seedBranch signed in) sees the result.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await login(phone, member.username, 'password-1');
    await phone.waitForSelector('[data-test=home-greeting]');
    await phone.goto(`${t.url}/my-games`);
    const item = `[data-test=my-game-${gameId}]`;
    await phone.waitForSelector(item);
    expect(await text(phone, `${item} [data-test=my-game-title]`)).toBe('成绩页测试');
    expect(await text(phone, `${item} [data-test=my-game-score]`)).toBe(String(mine.score));
    expect(await text(phone, `${item} [data-test=my-game-rank]`)).toBe(`第 ${mine.rank} 名`);
    expect(await text(phone, `${item} [data-test=my-game-players]`)).toBe('共 2 人');
    expect(await text(phone, `${item} [data-test=my-game-correct]`)).toBe('4 / 4 题');
    // Members cannot open the reports.
    await phone.goto(`${t.url}/games/${gameId}`);
    await phone.waitForSelector('[data-test=home-greeting]');
    await phone.close();
  }, 60_000);
});
