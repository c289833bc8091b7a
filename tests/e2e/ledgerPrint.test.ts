import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContextOptions, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activity } from '../../server/services/ledger/activity';
import { ADMIN_PASSWORD, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';
import { DESK, PHONE, signedInPage, startBrowserApp } from '../helpers/browser';

/** Set SHOTS_DIR to also save screenshots of the print and evaluation pages at desk and phone sizes, in both languages. */
const SHOTS_DIR = process.env.SHOTS_DIR;

let t: TestApp;
let browser: Browser;
let app: Awaited<ReturnType<typeof startBrowserApp>>;
let admin: ApiClient;
let one: Awaited<ReturnType<typeof seedBranch>>;
let other: Awaited<ReturnType<typeof seedBranch>>;
const contexts: BrowserContext[] = [];
const year = new Date().getFullYear();
/** Noon on a day of this year, before today (the seeded year is the current one). */
const dayAt = (month: number, day: number) => Date.UTC(year, month - 1, day, 4);

beforeAll(async () => {
  app = await startBrowserApp();
  ({ t, browser } = app);
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  one = await seedBranch(t.url, admin, '机关一支部');
  other = await seedBranch(t.url, admin, '机关二支部');
  const m = one.member.id as string;
  const activities: Activity[] = [
    { memberId: m, kind: 'live_game', refId: 'pg1', at: dayAt(3, 12), title: '党史知识竞答', result: { score: 2400, rank: 1, correct: 9, total: 10 } },
    { memberId: m, kind: 'study_session', refId: 'ps1', at: dayAt(4, 8), title: '学习党章专题党课', sessionKind: 'party_lecture', result: { status: 'present', minutes: 120 } },
    { memberId: m, kind: 'exam', refId: 'pe1', at: dayAt(6, 20), title: '党纪学习教育测试', examId: 'x1', result: { score: 92, correct: 23, total: 25 } },
    { memberId: m, kind: 'reflection', refId: 'ps1', at: dayAt(4, 9), title: '学习党章专题党课', result: {} },
    { memberId: one.secretary.id as string, kind: 'study_session', refId: 'ps1', at: dayAt(4, 8), title: '学习党章专题党课', sessionKind: 'party_lecture', result: { status: 'late', minutes: 100 } },
    { memberId: other.member.id as string, kind: 'daily_set', refId: `${year}-05-01`, at: dayAt(5, 1), title: '每日一练', result: { correct: 5, total: 5 } },
  ];
  await t.app.services.ledger.record.record(activities);
  await t.app.services.ledger.record.addMeeting(one.branch.id, 'party_lecture', 'ps1', dayAt(4, 8));
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await app?.close();
});

async function pageAs(username: string, password: string, options: BrowserContextOptions = DESK, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
  const page = await signedInPage(browser, t.url, username, password, { context: options, locale });
  contexts.push(page.context());
  return page;
}

describe('issue 12: the printable ledger and the year-end evaluation view', () => {
  it('issue 12: a member prints their year on an A4 sheet: header, the ledger columns, 学时 vs target, signature lines', async () => {
    const page = await pageAs(one.member.username, 'password-1');
    await page.goto(`${t.url}/ledger/print/${one.member.id}?year=${year}`);
    await page.waitForSelector('[data-test=ledger-print-sheet]');
    expect(await page.textContent('[data-test=print-member]')).toBe(one.member.displayName);
    expect(await page.textContent('[data-test=print-branch]')).toBe('机关一支部');
    expect(await page.textContent('[data-test=print-year]')).toBe(String(year));
    // 0.5 (game) + 2 (120 minutes of 党课) + 1 (exam) of the default 32.
    expect(await page.textContent('[data-test=print-hours]')).toBe('3.5 / 目标 32 学时');
    const headers = await page.$$eval('[data-test=print-entries] thead th', (ths) => ths.map((th) => th.textContent?.trim()));
    expect(headers).toEqual(['序号', '姓名', '所在支部', '日期', '学习形式', '学习内容', '学时', '成绩/结果', '备注']);
    const rows = await page.$$eval('[data-test=print-entry]', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())));
    expect(rows.map((r) => r[4])).toEqual(['知识竞赛', '党课', '心得体会', '考试']);
    expect(rows[0]).toEqual(['1', one.member.displayName, '机关一支部', `${year}-03-12`, '知识竞赛', '党史知识竞答', '0.5', '得分 2400，第 1 名，答对 9/10', '']);
    expect(rows[1]![7]).toBe('出席，120 分钟');
    expect(rows[3]![7]).toBe('92 分，答对 23/25');
    expect(await page.textContent('[data-test=print-total]')).toContain('3.5');
    const signs = await page.textContent('[data-test=print-signs]');
    expect(signs).toContain('本人签字');
    expect(signs).toContain('支部书记签字');

    // On paper: no toolbar, no app header, and the sheet is an A4 page.
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('[data-test=print-now]')).toBe(false);
    expect(await page.locator('[data-test=logout]').count()).toBe(0);
    const pdf = await page.pdf({ preferCSSPageSize: true });
    // A4 is 595.28 x 841.89 points (Chromium rounds through CSS pixels); US Letter, the default, would be 612 x 792.
    const box = /MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'));
    expect(Math.abs(Number(box![1]) - 595.28)).toBeLessThan(1.5);
    expect(Math.abs(Number(box![2]) - 841.89)).toBeLessThan(1.5);
  });

  it('issue 12: another member cannot open someone else’s ledger page; the secretary can', async () => {
    const stranger = await pageAs(other.member.username, 'password-1');
    await stranger.goto(`${t.url}/ledger/print/${one.member.id}?year=${year}`);
    await stranger.waitForSelector('.error-text');
    expect(await stranger.locator('[data-test=ledger-print-sheet]').count()).toBe(0);

    const secretary = await pageAs(one.secretary.username, 'password-1');
    await secretary.goto(`${t.url}/ledger/print/${one.member.id}?year=${year}`);
    await secretary.waitForSelector('[data-test=ledger-print-sheet]');
    expect(await secretary.locator('[data-test=print-entry]').count()).toBe(4);
  });

  it('issue 12: the evaluation view lists branches for the admin, opens a branch’s members by name (no ranks), exports the workbook', async () => {
    const page = await pageAs('admin', ADMIN_PASSWORD);
    await page.goto(`${t.url}/ledger/evaluation?year=${year}`);
    await page.waitForSelector('[data-test=evaluation-branch]');
    const names = await page.$$eval('[data-test=evaluation-branch] .eval-branch-name', (els) => els.map((el) => el.textContent?.trim()));
    expect(names.sort()).toEqual(['机关一支部', '机关二支部']);
    const row = page.locator(`[data-test=evaluation-branch][data-branch="${one.branch.id}"]`);
    expect(await row.textContent()).toContain('1 / ');
    await row.locator('[data-test=evaluation-details]').click();
    await page.waitForSelector('[data-test=evaluation-member]');
    const members = await page.$$eval('[data-test=evaluation-member] th', (ths) => ths.map((th) => th.textContent?.trim()));
    expect(members.sort()).toEqual([one.member.displayName, one.secretary.displayName].sort());
    expect(await page.textContent('[data-test=evaluation-members]')).not.toMatch(/名次|排名/);

    const href = await page.getAttribute('[data-test=evaluation-export]', 'href');
    expect(href).toBe(`/api/ledger/evaluation.xlsx?year=${year}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=evaluation-export]')]);
    expect(download.suggestedFilename()).toBe(`年度考评_全部_${year}.xlsx`);

    // A secretary sees their own branch, its members open at once; a member is sent home.
    const secretary = await pageAs(one.secretary.username, 'password-1');
    await secretary.goto(`${t.url}/ledger/evaluation`);
    await secretary.waitForSelector('[data-test=evaluation-member]');
    expect(await secretary.locator('[data-test=evaluation-branch]').count()).toBe(1);
    const member = await pageAs(one.member.username, 'password-1');
    await member.goto(`${t.url}/ledger/evaluation`);
    await member.waitForURL(`${t.url}/`);

    // On a phone the tables scroll inside their boxes; the page itself never scrolls sideways.
    const phone = await pageAs('admin', ADMIN_PASSWORD, PHONE, 'en');
    await phone.goto(`${t.url}/ledger/evaluation?year=${year}`);
    await phone.locator(`[data-test=evaluation-branch][data-branch="${one.branch.id}"] [data-test=evaluation-details]`).click();
    await phone.waitForSelector('[data-test=evaluation-member]');
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

    if (SHOTS_DIR) await screenshots();
  });
});

/** The print and evaluation pages at 1366x768 and 390x844 in both languages, for looking at by eye. */
async function screenshots() {
  mkdirSync(SHOTS_DIR!, { recursive: true });
  for (const locale of ['zh-CN', 'en'] as const) {
    for (const [size, options] of [['1366x768', DESK], ['390x844', PHONE]] as const) {
      const p = await pageAs('admin', ADMIN_PASSWORD, options, locale);
      await p.goto(`${t.url}/ledger/print/${one.member.id}?year=${year}`);
      await p.waitForSelector('[data-test=ledger-print-sheet]');
      await p.screenshot({ path: path.join(SHOTS_DIR!, `print-${locale}-${size}.png`), fullPage: true });
      await p.goto(`${t.url}/ledger/evaluation?year=${year}`);
      await p.waitForSelector('[data-test=evaluation-branch]');
      await p.locator(`[data-test=evaluation-branch][data-branch="${one.branch.id}"] [data-test=evaluation-details]`).click();
      await p.waitForSelector('[data-test=evaluation-member]');
      await p.waitForTimeout(150);
      await p.screenshot({ path: path.join(SHOTS_DIR!, `evaluation-${locale}-${size}.png`), fullPage: true });
      await p.context().close();
    }
  }
}
