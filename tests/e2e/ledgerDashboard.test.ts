import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContextOptions, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';
import { DESK, PHONE, SMALL_PHONE as SMALL, signedInPage, startBrowserApp } from '../helpers/browser';
import { ok, openSocket, seedQuiz } from '../helpers/live';
import { waitFor } from '../helpers/sockets';
import { nextStudy, studyOk, studySocket } from '../helpers/study';

/** Vite's build manifest: a chunk per source file, with the chunks it imports statically. */
type Manifest = Record<string, { file: string; src?: string; isEntry?: boolean; imports?: string[] }>;
/** A string literal in ECharts' own code (its inner-store marker): a file holding it holds ECharts. */
const ECHARTS_MARK = '__ec_inner_';
/** Set SHOTS_DIR to also save screenshots of every ledger page at desk and phone sizes, in both languages. */
const SHOTS_DIR = process.env.SHOTS_DIR;
const RIGHT = [0, [0, 1, 2], 0, '人民'] as const;

let t: TestApp;
let browser: Browser;
let app: Awaited<ReturnType<typeof startBrowserApp>>;
let admin: ApiClient;
let manifest: Manifest;
const contexts: BrowserContext[] = [];
/** Every CSP violation any page of these tests reported (the charts included): there must be none. */
const violations: string[] = [];

beforeAll(async () => {
  app = await startBrowserApp();
  ({ t, browser } = app);
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  manifest = JSON.parse(readFileSync(path.resolve('dist/client/.vite/manifest.json'), 'utf8')) as Manifest;
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await app?.close();
});

async function pageAs(username: string, password: string, options: BrowserContextOptions = DESK, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
  const page = await signedInPage(browser, t.url, username, password, {
    context: options,
    locale,
    prepare: async (ctx) => void (await ctx.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.error('csp-violation ' + e.violatedDirective + ' ' + e.blockedURI));`)),
  });
  contexts.push(page.context());
  page.on('console', (msg) => {
    const text = msg.text();
    if (text.startsWith('csp-violation') || /Content Security Policy/i.test(text)) violations.push(text);
  });
  return page;
}

/** The files a chunk needs before it runs: itself and its static imports, transitively. */
function closure(key: string, seen = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const dep of chunk.imports ?? []) closure(dep, seen);
  return seen;
}
const holdsECharts = (file: string) => readFileSync(path.resolve('dist/client', file), 'utf8').includes(ECHARTS_MARK);

/** A member plays a short live game to the end (the admin hosts), answering every question right. */
async function playGame(member: ApiClient, title = '台账竞答') {
  const { quizId } = await seedQuiz(admin, title, 10);
  const host = await openSocket(t.url, admin);
  const player = await openSocket(t.url, member);
  try {
    const { gameId, pin } = await ok<{ gameId: string; pin: string }>(host, 'game:create', { quizId });
    await ok(player, 'game:join', { pin });
    for (let q = 0; q < RIGHT.length; q++) {
      const opened = waitFor(player, 'question:open');
      await ok(host, q === 0 ? 'game:start' : 'game:next', { gameId });
      await opened;
      const closed = waitFor(host, 'question:close', 8000);
      await ok(player, 'answer:submit', { gameId, index: q, answer: RIGHT[q] });
      await closed;
    }
    const finished = waitFor(host, 'game:finished');
    await ok(host, 'game:next', { gameId });
    await finished;
    return gameId;
  } finally {
    host.disconnect();
    player.disconnect();
  }
}

/** The secretary runs a study session the member attends, from start to end. */
async function attendSession(secretary: ApiClient, member: ApiClient, branchId: string) {
  const res = await secretary.post('/api/study-sessions', { title: '台账集体学习', kind: 'collective_study', branchId, plannedAt: Date.now() });
  expect(res.status).toBe(201);
  const sessionId = res.body.session.id as string;
  const host = await studySocket(t.url, secretary.cookie);
  const follower = await studySocket(t.url, member.cookie);
  try {
    await studyOk(host, 'study:join', { sessionId });
    const live = nextStudy(follower, 'study:state', (s) => s.phase === 'live');
    await studyOk(follower, 'study:join', { sessionId });
    await studyOk(host, 'study:start', { sessionId });
    await live;
    const ended = nextStudy(follower, 'study:ended');
    await studyOk(host, 'study:end', { sessionId });
    await ended;
    return sessionId;
  } finally {
    host.disconnect();
    follower.disconnect();
  }
}

/** Waits until the record holds what the member did (entries are written right after a game or session ends). */
async function untilEntries(member: ApiClient, kinds: string[]) {
  for (let i = 0; i < 50; i++) {
    const mine = await member.get('/api/ledger/me');
    if (mine.status === 200 && kinds.every((k) => (mine.body.entries as { kind: string }[]).some((e) => e.kind === k))) return mine.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${kinds.join('+')} entries in the member's record`);
}

describe('issue 12 client: the leader dashboard', () => {
  it('issue 12 (dashboard chunk): ECharts is in the dashboard page chunk only; the entry and the home page never include it', () => {
    const entry = Object.keys(manifest).find((k) => manifest[k]?.isEntry);
    expect(entry).toBeDefined();
    const dash = [...closure('src/pages/ledger/DashboardPage.vue')];
    expect(dash.length, 'the dashboard page has a chunk of its own').toBeGreaterThan(0);
    expect(dash.some(holdsECharts), 'the dashboard page chunk carries ECharts').toBe(true);
    for (const file of closure(entry!)) expect(holdsECharts(file), `${file} (entry) holds ECharts`).toBe(false);
    for (const page of ['src/pages/HomePage.vue', 'src/pages/ledger/MyLedgerPage.vue', 'src/pages/ledger/CatchUpPage.vue']) {
      for (const file of closure(page)) if (!dash.includes(file)) expect(holdsECharts(file), `${file} (${page}) holds ECharts`).toBe(false);
    }
  });

  it('issue 12 (browser): the admin dashboard shows a branch\'s participation after a member plays a game and attends a session', async () => {
    const one = await seedBranch(t.url, admin, '台账一支部');
    const two = await seedBranch(t.url, admin, '台账二支部');
    await playGame(one.memberClient);
    await attendSession(one.secretaryClient, one.memberClient, one.branch.id);
    await untilEntries(one.memberClient, ['live_game', 'study_session']);

    const page = await pageAs('admin', ADMIN_PASSWORD);
    // The admin's home is the dashboard: the branch is ranked there already.
    await page.waitForSelector(`[data-test=home-dashboard] [data-test=ranking-row][data-branch="${one.branch.id}"]`);
    await page.click('[data-test=nav-ledger]');
    await page.waitForSelector('[data-test=ranking-row]');
    const row = page.locator(`[data-test=ranking-row][data-branch="${one.branch.id}"]`);
    const rate = (await row.locator('[data-test=ranking-rate]').textContent())!.trim();
    // Branch one: the member and the secretary on the roll, the member took part (and the secretary hosted): > 0%.
    expect(rate).toMatch(/^\d+(\.\d)?%$/);
    expect(parseFloat(rate)).toBeGreaterThan(0);
    const other = (await page.locator(`[data-test=ranking-row][data-branch="${two.branch.id}"] [data-test=ranking-rate]`).textContent())!.trim();
    expect(other).toBe('0%');
    // The branch that took part ranks above the one that did not.
    const order = await page.locator('[data-test=ranking-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-branch')));
    expect(order.indexOf(one.branch.id)).toBeLessThan(order.indexOf(two.branch.id));
    // The organisation figure is text too, and the charts are drawn.
    expect(await page.textContent('[data-test=ledger-org-rate]')).toMatch(/\d+(\.\d)?%/);
    for (const chart of ['ledger-participation-chart', 'ledger-trend-chart']) {
      const canvas = page.locator(`[data-test=${chart}] canvas`);
      await canvas.waitFor({ state: 'attached' });
      expect(await canvas.evaluate((c) => (c as unknown as { width: number }).width), chart).toBeGreaterThan(0);
    }
    // Another period: the year's figures replace the month's (the range is shown as text).
    const year = new Date().getFullYear();
    await page.click('[data-test=period-year]');
    await page.waitForFunction((y) => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('[data-test=ledger-participation]')?.textContent.includes(`${y}-01-01`), year);
    expect(parseFloat((await row.locator('[data-test=ranking-rate]').textContent())!)).toBeGreaterThan(0);
    expect(violations).toEqual([]);
    // Desk-friendly: the page never scrolls sideways at 1366.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);

    // The member sees the game and the session in their own record.
    const mine = await pageAs(one.member.username, 'password-1', PHONE);
    await mine.goto(`${t.url}/ledger/me`);
    await mine.waitForSelector('[data-test=mine-entry]');
    expect(await mine.locator('[data-test=mine-entry]').count()).toBe(2);
    expect(await mine.textContent('[data-test=mine-entries]')).toContain('台账竞答');
    expect(await mine.locator('[data-test=mine-rank]').count(), 'no rank while the setting is off').toBe(0);

    if (SHOTS_DIR) await screenshots(one, page);
  }, SHOTS_DIR ? 300_000 : undefined);

  it('issue 12 (需补学 and reminders): the secretary reminds a member with no activity; the member sees "书记提醒您" on the home page once', async () => {
    const one = await seedBranch(t.url, admin, '补学支部');
    const sec = await pageAs(one.secretary.username, 'password-1');
    await sec.goto(`${t.url}/ledger/catch-up`);
    const item = sec.locator(`[data-test=catchup-item][data-member="${one.member.id}"]`);
    await item.waitFor();
    expect(await item.textContent()).toContain('暂无学习记录');
    await item.locator('[data-test=catchup-remind]').click();
    await item.locator('[data-test=catchup-message] textarea').fill('周五下午有集体学习，欢迎参加');
    await item.locator('[data-test=catchup-send]').click();
    await item.locator('[data-test=catchup-reminded]').waitFor();

    const member = await pageAs(one.member.username, 'password-1', PHONE);
    const card = member.locator('[data-test=reminder-card]');
    await card.waitFor();
    expect(await card.textContent()).toContain(`${one.secretary.displayName}提醒您：周五下午有集体学习，欢迎参加`);
    if (SHOTS_DIR) await reminderShots(one, card);
    // Seen: marked read, so the next visit shows no card.
    const after = (await one.memberClient.get('/api/me/notifications')).body as { unread: number };
    expect(after.unread).toBe(0);
    await member.reload();
    await member.waitForSelector('[data-test=home-greeting]');
    await member.waitForLoadState('networkidle');
    expect(await member.locator('[data-test=reminder-card]').count()).toBe(0);
  }, SHOTS_DIR ? 120_000 : undefined);
});

describe('issue 12 client: settings and branch members', () => {
  it('issue 12 (settings, branch members): the admin turns on 成员查看支部内排名 on the settings page and the member then sees their place; the secretary sees the branch members with no rank column', async () => {
    const one = await seedBranch(t.url, admin, '设置支部');
    await playGame(one.memberClient, '设置竞答');
    await untilEntries(one.memberClient, ['live_game']);
    expect(((await admin.get('/api/ledger/settings')).body as { showMemberRank: boolean }).showMemberRank).toBe(false);

    // Off by default: the member's record shows no place.
    const member = await pageAs(one.member.username, 'password-1', PHONE);
    await member.goto(`${t.url}/ledger/me`);
    await member.waitForSelector('[data-test=mine-entry]');
    expect(await member.locator('[data-test=mine-rank]').count()).toBe(0);

    const page = await pageAs('admin', ADMIN_PASSWORD);
    try {
      await page.goto(`${t.url}/ledger/settings`);
      const box = page.locator('[data-test=settings-show-rank]');
      await box.waitFor();
      expect(await box.isChecked()).toBe(false);
      expect(await page.textContent('[data-test=ledger-settings]')).toContain('不搞积分排名');
      await box.check();
      await page.fill('[data-test=settings-target]', '40');
      await page.click('[data-test=settings-save]');
      await page.waitForFunction(async () => {
        const res = await fetch('/api/ledger/settings');
        const body = (await res.json()) as { showMemberRank: boolean; yearlyTargetHours: number };
        return body.showMemberRank && body.yearlyTargetHours === 40;
      });
      await member.reload();
      await member.waitForSelector('[data-test=mine-rank]');
      expect(await member.textContent('[data-test=mine-rank]')).toMatch(/排第 1 名（共 \d+ 人）/);
      expect(await member.textContent('[data-test=mine-hours-value]')).toContain('全年目标 40 学时');
    } finally {
      await admin.request('PUT', '/api/ledger/settings', { showMemberRank: false, yearlyTargetHours: 32 });
    }

    // The secretary's branch list: the member's activities and 学时, in name order, no rank column.
    const sec = await pageAs(one.secretary.username, 'password-1');
    await sec.goto(`${t.url}/ledger/dashboard`);
    await sec.click(`[data-test=ranking-members-${one.branch.id}]`);
    const row = sec.locator(`[data-test=members-row][data-member="${one.member.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('知识竞答 1');
    const heads = await sec.locator('[data-test=members-table] thead th').allTextContents();
    expect(heads.join('|')).not.toMatch(/名次|排名|Rank/);
    // A member cannot open it: the router sends them home.
    await member.goto(`${t.url}/ledger/branches/${one.branch.id}`);
    await member.waitForSelector('[data-test=home-greeting]');
    expect(await member.locator('[data-test=members-table]').count()).toBe(0);
  });
});

/** Every ledger page at 1366x768, 390x844 and 360x640 in both languages, for looking at by eye. */
async function screenshots(one: Awaited<ReturnType<typeof seedBranch>>, _page: Page) {
  mkdirSync(SHOTS_DIR!, { recursive: true });
  const pages: { who: 'admin' | 'secretary' | 'member'; path: string; ready: string; name: string }[] = [
    { who: 'admin', path: '/ledger/dashboard', ready: '[data-test=ledger-trend-chart] canvas', name: 'dashboard-admin' },
    { who: 'secretary', path: '/ledger/dashboard', ready: '[data-test=ledger-trend-chart] canvas', name: 'dashboard-secretary' },
    { who: 'secretary', path: '/ledger/catch-up', ready: '[data-test=catchup-list], [data-test=catchup-empty]', name: 'catchup' },
    { who: 'admin', path: '/ledger/settings', ready: '[data-test=settings-save]', name: 'settings' },
    { who: 'admin', path: `/ledger/branches/${one.branch.id}`, ready: '[data-test=members-table]', name: 'members' },
    { who: 'member', path: '/ledger/me', ready: '[data-test=mine-entry]', name: 'mine' },
    { who: 'member', path: '/', ready: '[data-test=home-greeting]', name: 'home-member' },
    { who: 'admin', path: '/', ready: '[data-test=home-dashboard] [data-test=ranking-row]', name: 'home-admin' },
    { who: 'secretary', path: '/', ready: '[data-test=home-dashboard] [data-test=ranking-row]', name: 'home-secretary' },
  ];
  const overflow: string[] = [];
  const login = { admin: ['admin', ADMIN_PASSWORD], secretary: [one.secretary.username, 'password-1'], member: [one.member.username, 'password-1'] } as const;
  for (const locale of ['zh-CN', 'en'] as const) {
    for (const [size, options] of [['1366x768', DESK], ['390x844', PHONE], ['360x640', SMALL]] as const) {
      for (const who of ['admin', 'secretary', 'member'] as const) {
        const p = await pageAs(login[who][0], login[who][1], options, locale);
        for (const s of pages.filter((x) => x.who === who)) {
          await p.goto(`${t.url}${s.path}`);
          await p.waitForSelector(s.ready);
          await p.waitForTimeout(150);
          await p.screenshot({ path: path.join(SHOTS_DIR!, `${s.name}-${locale}-${size}.png`), fullPage: true });
          const wide = await p.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
          if (wide > options.viewport!.width) overflow.push(`${s.name}-${locale}-${size}: ${wide}px`);
        }
        await p.context().close();
      }
    }
  }
  // No page scrolls sideways at any size.
  expect(overflow).toEqual([]);
}

/** The home page's reminder card at every size and language (each view marks it read, so each shot sends a new one). */
async function reminderShots(one: Awaited<ReturnType<typeof seedBranch>>, first: Locator) {
  await first.screenshot({ path: path.join(SHOTS_DIR!, 'reminder-card-zh-CN-390x844.png') });
  for (const locale of ['zh-CN', 'en'] as const) {
    for (const [size, options] of [['1366x768', DESK], ['390x844', PHONE], ['360x640', SMALL]] as const) {
      // One reminder a member a day: a fresh member of the branch for each shot.
      const username = `shot_${locale.replace('-', '')}_${size.replace('x', '_')}`;
      const created = await admin.post('/api/users', { username, displayName: '王建国', password: 'password-1', role: 'member', branchId: one.branch.id });
      await new ApiClient(t.url).login(username, 'password-1');
      expect((await one.secretaryClient.post('/api/ledger/reminders', { memberId: created.body.user.id, message: '本周五下午三点在党员活动室有集体学习，欢迎参加，也可以先看看学习资料' })).status).toBe(201);
      const p = await pageAs(username, 'password-1', options, locale);
      await p.waitForSelector('[data-test=reminder-card]');
      await p.screenshot({ path: path.join(SHOTS_DIR!, `home-reminder-${locale}-${size}.png`), fullPage: true });
      await p.waitForLoadState('networkidle');
      await p.context().close();
    }
  }
}
