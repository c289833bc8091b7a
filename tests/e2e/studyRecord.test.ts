import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingRecord } from '../../shared/schemas/study';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { launchBrowser } from '../helpers/browser';
import { ApiClient, seedBranch } from '../helpers/api';
import { studyOk, studySocket } from '../helpers/study';
import { useLocale } from '../helpers/layout';

let t: TestApp;
let browser: Browser;
let admin: ApiClient;
let materialId: string;
/** The app's clock runs this far ahead of the real one (the 14-day test moves it). */
let offset = 0;

beforeAll(async () => {
  if (!existsSync(path.resolve('dist/client/index.html'))) throw new Error('dist/client is missing: run `npm test` (it builds) or `npm run build`');
  t = await startTestApp({ clock: { now: () => Date.now() + offset } });
  browser = await launchBrowser();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const body = ['# 第一页\n\n党章总纲', '# 第二页\n\n党员的义务', '# 第三页\n\n党员的权利'].join('\n---\n');
  materialId = (await admin.post('/api/materials', { title: '《中国共产党章程》学习', kind: 'markdown', body })).body.material.id;
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/**
 * A branch (secretary, the recorder, one more member who stays away) and a session that ran without a browser:
 * real /study sockets start it, page through and end it, so the server drafts the record from what it saw.
 */
async function endedSession(branchName: string) {
  const url = t.url;
  const b = await seedBranch(url, admin, branchName);
  const away = (await admin.post('/api/users', { username: `away_${Math.random().toString(36).slice(2, 8)}`, displayName: `${branchName}缺席党员`, password: 'password-1', role: 'member', branchId: b.branch.id })).body.user;
  const created = await b.secretaryClient.post('/api/study-sessions', {
    title: `${branchName}集体学习党章`, kind: 'collective_study', branchId: b.branch.id, materialId, plannedAt: Date.now(), place: '党员活动室', recorderId: b.member.id,
  });
  expect(created.status).toBe(201);
  const sessionId = created.body.session.id as string;
  const host = await studySocket(url, b.secretaryClient.cookie);
  const member = await studySocket(url, b.memberClient.cookie);
  try {
    await studyOk(host, 'study:join', { sessionId });
    await studyOk(member, 'study:join', { sessionId });
    await studyOk(host, 'study:start', { sessionId });
    await studyOk(host, 'study:goto', { sessionId, page: 1 });
    await studyOk(host, 'study:goto', { sessionId, page: 2 });
    await studyOk(host, 'study:end', { sessionId });
  } finally {
    host.disconnect();
    member.disconnect();
  }
  return { ...b, away, sessionId };
}

/** A browser context signed in as the user (the session cookie set by the real login endpoint). */
async function signedIn(username: string, password: string, options: { viewport?: { width: number; height: number }; locale?: 'zh-CN' | 'en' } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1366, height: 768 }, acceptDownloads: true });
  if (options.locale) await useLocale(context, options.locale);
  const res = await context.request.post(`${t.url}/api/auth/login`, { data: { username, password } });
  expect(res.status()).toBe(200);
  return context;
}

const recordOf = async (c: ApiClient, sessionId: string) => (await c.get(`/api/study-sessions/${sessionId}/record`)).body.record as MeetingRecord;
const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();

describe('issue 10: the meeting record in the browser', () => {
  it('issue 10 meeting record: the recorder completes and submits, the admin returns with a reason, the recorder fixes, the admin approves; read-only, print view and Word export', async () => {
    const s = await endedSession('记录支部');
    const drafted = await recordOf(s.secretaryClient, s.sessionId);
    expect(drafted).toMatchObject({ status: 'draft', expected: 3, attended: 2, absent: 1, onLeave: 0, pagesCovered: [0, 1, 2] });

    // The recorder (a member) marks the absent member 请假, adds a discussion row and a resolution, saves, submits.
    const recorderCtx = await signedIn(s.member.username, 'password-1');
    const rec = await recorderCtx.newPage();
    await rec.goto(`${t.url}/study/${s.sessionId}/record`);
    await rec.waitForSelector('[data-test=record-save]');
    expect(await text(rec, '[data-test=record-status]')).toContain('草稿');
    expect(await text(rec, `[data-test=att-row-${s.away.id}] [data-test=att-status]`)).toContain('缺席');
    expect(await text(rec, `[data-test=att-row-${s.member.id}] [data-test=att-status]`)).toContain('出席');
    await rec.click(`[data-test=att-row-${s.away.id}] [data-test=leave-mark]`);
    await rec.fill(`[data-test=att-row-${s.away.id}] [data-test=leave-reason]`, '外出办案');
    await rec.click('[data-test=discussion-add]');
    await rec.fill('[data-test=discussion-speaker]', '记录支部书记');
    await rec.fill('[data-test=discussion-text]', '结合审判工作谈学习党章的体会');
    await rec.fill('[data-test=record-resolutions]', '各党员撰写心得体会');
    await rec.click('[data-test=record-save]');
    await rec.waitForSelector('[data-test=record-unsaved]', { state: 'detached' });
    const saved = await recordOf(s.secretaryClient, s.sessionId);
    expect(saved).toMatchObject({ status: 'draft', onLeave: 1, absent: 0, resolutions: '各党员撰写心得体会', discussion: [{ speaker: '记录支部书记', text: '结合审判工作谈学习党章的体会' }] });
    expect(saved.attendees.find((a) => a.userId === s.away.id)).toMatchObject({ status: 'leave', leaveReason: '外出办案' });
    await rec.click('[data-test=record-submit]');
    await rec.click('[data-test=submit-confirm]');
    await rec.waitForSelector('[data-test=record-status][data-status=submitted]');
    expect(await rec.locator('[data-test=record-save]').count()).toBe(0);

    // The admin finds it under 待审批 and returns it with a reason.
    const adminCtx = await signedIn('admin', ADMIN_PASSWORD);
    const adm = await adminCtx.newPage();
    await adm.goto(`${t.url}/study-records`);
    const pending = adm.locator(`[data-test=records-pending] [data-test=pending-${s.sessionId}]`);
    await pending.waitFor();
    await pending.locator('[data-test=pending-return]').click();
    await adm.click('[data-test=return-confirm]');
    expect(await text(adm, '[data-test=return-error]')).toBe('请填写退回原因');
    await adm.fill('[data-test=return-reason]', '请补充讨论发言的具体内容');
    await adm.click('[data-test=return-confirm]');
    await pending.waitFor({ state: 'detached' });
    expect(await text(adm, `[data-test=record-row-${s.sessionId}] [data-test=record-status]`)).toContain('已退回');
    expect((await recordOf(admin, s.sessionId)).status).toBe('returned');

    // The recorder sees the reason, fixes the record, resubmits.
    await rec.reload();
    await rec.waitForSelector('[data-test=record-return-reason]');
    expect(await text(rec, '[data-test=record-return-reason]')).toContain('请补充讨论发言的具体内容');
    await rec.fill('[data-test=discussion-text]', '结合审判工作谈学习党章的体会：严守纪律，公正司法');
    await rec.click('[data-test=record-submit]');
    await rec.click('[data-test=submit-confirm]');
    await rec.waitForSelector('[data-test=record-status][data-status=submitted]');

    // The admin approves it from the list.
    await adm.reload();
    await pending.waitFor();
    await pending.locator('[data-test=pending-approve]').click();
    await pending.waitFor({ state: 'detached' });
    expect(await text(adm, `[data-test=record-row-${s.sessionId}] [data-test=record-status]`)).toContain('已批准');

    // Read-only for the recorder: no inputs, no save or submit; the admin (staff) may open a revision.
    await rec.reload();
    await rec.waitForSelector('[data-test=record-status][data-status=approved]');
    expect(await rec.locator('[data-test=record-readonly]').isVisible()).toBe(true);
    for (const sel of ['record-save', 'record-submit', 'leave-mark', 'leave-reason', 'discussion-add', 'discussion-text', 'record-resolutions', 'record-place']) {
      expect(await rec.locator(`[data-test=${sel}]`).count(), sel).toBe(0);
    }
    expect(await text(rec, '[data-test=record-resolutions-ro]')).toBe('各党员撰写心得体会');
    await adm.goto(`${t.url}/study/${s.sessionId}/record`);
    await adm.waitForSelector('[data-test=record-revise]');

    // The print view: counts and names, no app chrome, and the on-screen buttons gone when printed.
    await rec.goto(`${t.url}/study/${s.sessionId}/record/print`);
    await rec.waitForSelector('[data-test=print-sheet]');
    expect(await rec.locator('.app-header').count()).toBe(0);
    expect(await text(rec, '[data-test=print-expected]')).toBe('3 人');
    expect(await text(rec, '[data-test=print-attended]')).toMatch(/^2 人：/);
    expect(await text(rec, '[data-test=print-attended]')).toContain('记录支部党员');
    expect(await text(rec, '[data-test=print-leave]')).toBe('1 人：记录支部缺席党员（外出办案）');
    expect(await text(rec, '[data-test=print-absent]')).toBe('0 人');
    expect(await text(rec, '[data-test=print-content]')).toContain('第 1–3 页');
    expect(await rec.locator('[data-test=print-att-row]').count()).toBe(3);
    expect(await rec.locator('[data-test=print-now]').isVisible()).toBe(true);
    expect(await rec.locator('[data-test=print-now]').isEnabled()).toBe(true);
    await rec.emulateMedia({ media: 'print' });
    expect(await rec.locator('[data-test=print-now]').isVisible()).toBe(false);
    await rec.emulateMedia({ media: 'screen' });

    // The Word export downloads a real .docx (a zip: it starts with PK).
    await rec.goto(`${t.url}/study/${s.sessionId}/record`);
    await rec.waitForSelector('[data-test=record-export-docx]');
    const [download] = await Promise.all([rec.waitForEvent('download'), rec.click('[data-test=record-export-docx]')]);
    expect(download.suggestedFilename()).toMatch(/\.docx$/);
    const file = await download.path();
    expect(readFileSync(file).subarray(0, 2).toString('latin1')).toBe('PK');

    // The final state through REST.
    const final = await recordOf(admin, s.sessionId);
    expect(final).toMatchObject({ status: 'approved', expected: 3, attended: 2, onLeave: 1, absent: 0, returnReason: '请补充讨论发言的具体内容', resolutions: '各党员撰写心得体会' });
    expect(final.discussion).toEqual([{ speaker: '记录支部书记', text: '结合审判工作谈学习党章的体会：严守纪律，公正司法' }]);
    expect(final.history.map((h) => h.action)).toEqual(['drafted', 'edited', 'submitted', 'returned', 'edited', 'submitted', 'approved']);
    const put = await s.memberClient.request('PUT', `/api/study-sessions/${s.sessionId}/record`, { version: final.version, resolutions: '批准后修改' });
    expect(put.status).toBe(409);
    await recorderCtx.close();
    await adminCtx.close();
  });

  it('issue 10 meeting record: a member reads the record and writes a 心得体会; staff see it; a stale save reloads with 已被他人修改', async () => {
    const s = await endedSession('心得支部');
    // The member who stayed away has no password change pending: sign in as the recorder member instead.
    const memberCtx = await signedIn(s.member.username, 'password-1');
    const page = await memberCtx.newPage();
    await page.goto(`${t.url}/study/${s.sessionId}/record`);
    await page.waitForSelector('[data-test=reflection-text]');
    await page.fill('[data-test=reflection-text]', '学习党章，要把党员义务落实到日常工作中。');
    await page.click('[data-test=reflection-save]');
    await page.waitForSelector('[data-test=reflection-saved]');
    const all = (await s.secretaryClient.get(`/api/study-sessions/${s.sessionId}/reflections`)).body.items;
    expect(all).toEqual([expect.objectContaining({ userId: s.member.id, text: '学习党章，要把党员义务落实到日常工作中。' })]);

    // Someone else saves first: the page's save is refused as stale, the latest version is loaded and it says so.
    await page.fill('[data-test=record-resolutions]', '我的决议');
    const before = await recordOf(s.secretaryClient, s.sessionId);
    expect((await s.secretaryClient.request('PUT', `/api/study-sessions/${s.sessionId}/record`, { version: before.version, resolutions: '书记先保存的决议' })).status).toBe(200);
    await page.click('[data-test=record-save]');
    await page.getByText('已被他人修改').waitFor();
    await expect.poll(() => page.inputValue('[data-test=record-resolutions]')).toBe('书记先保存的决议');
    expect((await recordOf(s.secretaryClient, s.sessionId)).resolutions).toBe('书记先保存的决议');
    await memberCtx.close();
  });
});

describe('issue 10: 心得体会 after the 14 days', () => {
  it('issue 10 meeting record: a reflection after 14 days is refused with TOO_LATE and the page says so plainly', async () => {
    const s = await endedSession('逾期支部');
    // The app's clock moves 15 days on; the member signs in then and tries to write.
    offset = 15 * 24 * 3600_000;
    try {
      const ctx = await signedIn(s.member.username, 'password-1');
      const page = await ctx.newPage();
      await page.goto(`${t.url}/study/${s.sessionId}/record`);
      await page.fill('[data-test=reflection-text]', '逾期提交的体会');
      await page.click('[data-test=reflection-save]');
      await page.waitForSelector('[data-test=reflection-error]');
      expect(await text(page, '[data-test=reflection-error]')).toBe('学习会结束已超过 14 天，不能再提交心得体会。');
      expect((await s.secretaryClient.get(`/api/study-sessions/${s.sessionId}/reflections`)).body.items).toEqual([]);
      await ctx.close();
    } finally {
      offset = 0;
    }
  }, 90_000);
});

/** Screenshots for looking at by eye, when TONGPIN_SHOTS names a folder (e.g. /tmp/shots/c3). */
describe.runIf(process.env.TONGPIN_SHOTS)('issue 10 meeting record screenshots', () => {
  it('editor, print view (screen and print media) and records list at three sizes in both languages', async () => {
    const dir = process.env.TONGPIN_SHOTS!;
    mkdirSync(dir, { recursive: true });
    const s = await endedSession('截图支部');
    const rec = await recordOf(s.secretaryClient, s.sessionId);
    await s.secretaryClient.request('PUT', `/api/study-sessions/${s.sessionId}/record`, {
      version: rec.version, leave: [{ userId: s.away.id, reason: '出差' }], discussion: [{ speaker: '截图支部书记', text: '学习党章要联系实际，逐条对照检查。' }], resolutions: '一、按期完成学习。\n二、每人撰写心得体会。',
    });
    // A second one waits for approval so the admin's list has both sections.
    const other = await endedSession('截图二支部');
    await other.memberClient.post(`/api/study-sessions/${other.sessionId}/record/submit`);
    const sizes = [
      { width: 1366, height: 768 },
      { width: 390, height: 844 },
      { width: 360, height: 640 },
    ];
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const viewport of sizes) {
        const tag = `${locale}-${viewport.width}`;
        const sec = await signedIn(s.secretary.username, 'password-1', { viewport, locale });
        const page = await sec.newPage();
        await page.goto(`${t.url}/study/${s.sessionId}/record`);
        await page.waitForSelector('[data-test=record-save]');
        await page.screenshot({ path: path.join(dir, `editor-${tag}.png`) });
        await page.screenshot({ path: path.join(dir, `editor-${tag}-full.png`), fullPage: true });
        await page.goto(`${t.url}/study/${s.sessionId}/record/print`);
        await page.waitForSelector('[data-test=print-sheet]');
        await page.screenshot({ path: path.join(dir, `print-${tag}.png`), fullPage: true });
        await page.emulateMedia({ media: 'print' });
        await page.screenshot({ path: path.join(dir, `print-${tag}-printmedia.png`), fullPage: true });
        if (viewport.width === 1366) {
          await page.pdf({ path: path.join(dir, `print-${locale}.pdf`), format: 'A4', printBackground: true, preferCSSPageSize: true });
          // A4's printable area at 96 dpi with 20 mm margins: 170 x 257 mm = 643 x 971 px (no PDF rasteriser here).
          await page.setViewportSize({ width: 643, height: 971 });
          await page.screenshot({ path: path.join(dir, `print-${locale}-a4area.png`), fullPage: true });
        }
        await sec.close();
        const adm = await signedIn('admin', ADMIN_PASSWORD, { viewport, locale });
        const list = await adm.newPage();
        await list.goto(`${t.url}/study-records`);
        await list.waitForSelector(`[data-test=pending-${other.sessionId}]`);
        await list.screenshot({ path: path.join(dir, `records-${tag}.png`) });
        await list.screenshot({ path: path.join(dir, `records-${tag}-full.png`), fullPage: true });
        await adm.close();
      }
    }
  });
});
