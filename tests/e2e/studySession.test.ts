import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingRecord } from '../../shared/schemas/study';
import type { StudySocketData } from '../../shared/studyEvents';
import { ADMIN_PASSWORD, type TestApp } from '../helpers/testApp';
import { startBrowserApp } from '../helpers/browser';
import { ApiClient, seedBranch } from '../helpers/api';

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

const DESKTOP = { viewport: { width: 1366, height: 768 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** A browser context signed in as `client` (its session cookie), like someone who logged in earlier. */
async function signedInContext(client: ApiClient, options: Parameters<Browser['newContext']>[0]): Promise<BrowserContext> {
  const ctx = await browser.newContext(options);
  contexts.push(ctx);
  const sid = /sid=([^;]*)/.exec(client.cookie)?.[1];
  if (!sid) throw new Error('no session cookie');
  await ctx.addCookies([{ name: 'sid', value: sid, url: t.url }]);
  return ctx;
}

/** Four Markdown pages, each with a word the test looks for. */
const BODY = ['# 第一页\n\n学习内容 ALPHA', '# 第二页\n\n学习内容 BRAVO', '# 第三页\n\n学习内容 CHARLIE', '# 第四页\n\n学习内容 DELTA'].join('\n\n---\n\n');
const WORDS = ['ALPHA', 'BRAVO', 'CHARLIE', 'DELTA'];

/** Waits until the page's study screen shows page `n` (0-based) with its text. */
async function onPage(page: Page, n: number) {
  await page.waitForSelector(`[data-test=study-page][data-page="${n}"]`);
  await page.waitForSelector(`[data-test=markdown-view]:has-text("${WORDS[n]}")`);
}

describe('issue 10: a study session in the browser', () => {
  it('issue 10: a presenter (1366x768) and a member (phone) go through three pages and a poll; the member reloads and comes back on the presenter\'s page, browses ahead and returns in one tap, shows as away while the screen is off, and rejoins after a dropped connection; the drafted record counts the member', async () => {
    const { branch, member, secretaryClient, memberClient } = await seedBranch(t.url, admin, '学习支部');
    const material = await admin.post('/api/materials', { title: '党章学习', kind: 'markdown', body: BODY, source: '《中国共产党章程》' });
    expect(material.status).toBe(201);
    const question = await admin.post('/api/questions', {
      type: 'single',
      text: '学习会提问：党的最高理想和最终目标是什么？',
      options: ['实现共产主义', '全面小康', '乡村振兴', '共同富裕'],
      answer: 0,
      explanation: '党章总纲。',
      source: '《中国共产党章程》总纲',
    });
    expect(question.status).toBe(201);
    const questionId = question.body.question.id as string;
    const created = await secretaryClient.post('/api/study-sessions', {
      title: '学习支部集体学习',
      kind: 'collective_study',
      branchId: branch.id,
      materialId: material.body.material.id,
      plannedAt: Date.now() + 60_000,
      place: '党员活动室',
    });
    expect(created.status).toBe(201);
    const sessionId = created.body.session.id as string;

    // The secretary opens the sessions page on a desktop, then the presenter's screen, and starts.
    const host = await (await signedInContext(secretaryClient, DESKTOP)).newPage();
    await host.goto(`${t.url}/study`);
    await host.click(`[data-test=study-present-${sessionId}]`);
    await host.waitForURL(new RegExp(`/study/${sessionId}/present$`));
    await host.click('[data-test=study-start]');
    await host.waitForSelector('[data-test=study-presenter][data-phase=live]');
    await onPage(host, 0);
    expect(await host.getAttribute('[data-test=study-qr]', 'src')).toMatch(/^data:image\/png;base64,/);

    // The member, on a phone, joins from the home page card.
    const phone = await (await signedInContext(memberClient, PHONE)).newPage();
    await phone.goto(`${t.url}/`);
    await phone.click(`[data-test=home-study-join-${sessionId}]`);
    await phone.waitForURL(new RegExp(`/study/${sessionId}$`));
    await onPage(phone, 0);
    await host.waitForSelector(`[data-test=study-person-${member.id}][data-status=online]`);

    // The phone's screen goes off (visibilitychange): the roster marks the member away, then online again.
    // (A string: the tests compile without the DOM library.)
    const setVisible = (visible: boolean) =>
      phone.evaluate(`Object.defineProperty(document, 'visibilityState', { value: '${visible ? 'visible' : 'hidden'}', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));`);
    await setVisible(false);
    await host.waitForSelector(`[data-test=study-person-${member.id}][data-status=away]`);
    expect(await host.textContent(`[data-test=study-person-${member.id}]`)).toContain('暂离');
    await setVisible(true);
    await host.waitForSelector(`[data-test=study-person-${member.id}][data-status=online]`);

    // Page 2: the presenter turns with the keyboard; the member follows.
    await host.keyboard.press('ArrowRight');
    await onPage(host, 1);
    await onPage(phone, 1);

    // The member reloads and comes back on the presenter's page (the join ack carries the state).
    await phone.reload();
    await onPage(phone, 1);
    expect(await phone.isVisible('[data-test=study-left]')).toBe(false);

    // Page 3 with the on-screen button.
    await host.click('[data-test=study-next]');
    await onPage(host, 2);
    await onPage(phone, 2);

    // The member browses ahead alone: "已离开主讲页", and "回到主讲页" brings them back in one tap.
    await phone.click('[data-test=study-next]');
    await onPage(phone, 3);
    await phone.waitForSelector('[data-test=study-left]');
    expect(await host.getAttribute('[data-test=study-page]', 'data-page')).toBe('2');
    await phone.click('[data-test=study-back]');
    await onPage(phone, 2);
    expect(await phone.isVisible('[data-test=study-left]')).toBe(false);

    // A dropped connection: the banner says so; back online, the rejoin's ack brings the page the presenter moved to meanwhile.
    const studyData = (d: unknown) => d as StudySocketData;
    const memberSockets = [...t.app.io.of('/study').sockets.values()].filter((s) => studyData(s.data).studyId === sessionId && studyData(s.data).user?.id === member.id);
    expect(memberSockets).toHaveLength(1);
    await phone.context().setOffline(true);
    for (const s of memberSockets) s.conn.close();
    await phone.waitForSelector('[data-test=reconnecting]');
    await host.click('[data-test=study-prev]');
    await onPage(host, 1);
    await phone.context().setOffline(false);
    await onPage(phone, 1);
    await phone.waitForSelector('[data-test=reconnecting]', { state: 'detached' });

    // A poll: picked from the bank by keyword, answered on the phone ("已提交" after the ack), closed, judged.
    await host.click('[data-test=study-poll-button]');
    await host.fill('[data-test=study-poll-search]', '学习会提问');
    await host.click(`[data-test=study-poll-pick-${questionId}]`);
    await host.waitForSelector('[data-test=study-poll-stage]');
    await phone.waitForSelector('[data-test=study-poll-question]:has-text("最高理想")');
    await phone.click('[data-test=answer-option-0]');
    await phone.waitForSelector('[data-test=study-poll-submitted]');
    await host.click('[data-test=study-poll-close]');
    await phone.waitForSelector('[data-test=study-poll-verdict][data-right=true]');
    expect(await phone.textContent('[data-test=correct-answer]')).toContain('实现共产主义');
    expect(await phone.textContent('[data-test=source]')).toContain('党章');
    expect((await host.textContent('[data-test=dist-0]'))?.replace(/\s/g, '')).toContain('1');
    expect(await host.textContent('[data-test=study-poll-count]')).toMatch(/1/);

    // The host ends (with a confirmation); the member's screen says so.
    await host.click('[data-test=study-end]');
    await host.click('[data-test=study-end-confirm]');
    await phone.waitForSelector('[data-test=study-ended]');
    await host.waitForSelector('[data-test=study-ended]');

    // The drafted record counts the member as there (出席 or 迟到), never 缺席.
    let record: MeetingRecord | null = null;
    for (let i = 0; i < 50 && !record; i++) {
      const res = await secretaryClient.get(`/api/study-sessions/${sessionId}/record`);
      if (res.status === 200) record = res.body.record as MeetingRecord;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(record).not.toBeNull();
    const row = record!.attendees.find((a) => a.userId === member.id);
    expect(row, 'the member is on the roll').toBeDefined();
    expect(['present', 'late']).toContain(row!.status);
    expect(record!.pagesCovered).toEqual(expect.arrayContaining([0, 1, 2]));
    expect(record!.polls).toHaveLength(1);
  }, 60_000);

  it('issue 10: a secretary plans a session with the form (kind, its own branch fixed, material, recorder from the branch), starts it and hands the presenter role to a member present, who then turns the pages', async () => {
    const { branch, member, secretaryClient, memberClient } = await seedBranch(t.url, admin, '计划支部');
    const material = (await admin.post('/api/materials', { title: '计划用资料', kind: 'markdown', body: BODY })).body.material;

    const host = await (await signedInContext(secretaryClient, DESKTOP)).newPage();
    await host.goto(`${t.url}/study`);
    await host.click('[data-test=study-plan-open]');
    await host.fill('[data-test=study-plan-title]', '计划支部党课');
    await host.selectOption('[data-test=study-plan-kind]', 'party_lecture');
    expect(await host.inputValue('[data-test=study-plan-branch]')).toBe(branch.id);
    expect(await host.isDisabled('[data-test=study-plan-branch]')).toBe(true);
    await host.waitForSelector(`[data-test=study-plan-material] >> option[value="${material.id}"]`, { state: 'attached' });
    await host.selectOption('[data-test=study-plan-material]', material.id);
    await host.waitForSelector(`[data-test=study-plan-recorder] >> option[value="${member.id}"]`, { state: 'attached' });
    await host.selectOption('[data-test=study-plan-recorder]', member.id);
    await host.fill('[data-test=study-plan-place]', '会议室');
    await host.click('[data-test=study-plan-submit]');
    await host.waitForSelector('[data-test=study-plan-dialog]', { state: 'detached' });

    const listed = (await secretaryClient.get(`/api/study-sessions?branchId=${branch.id}`)).body.items as { id: string; title: string; kind: string; materialId: string; recorderId: string; place: string }[];
    const planned = listed.find((x) => x.title === '计划支部党课');
    expect(planned).toMatchObject({ kind: 'party_lecture', materialId: material.id, recorderId: member.id, place: '会议室' });
    await host.waitForSelector(`[data-test=study-session-${planned!.id}][data-status=planned]`);

    // Members see the planned session but cannot plan one.
    const phone = await (await signedInContext(memberClient, PHONE)).newPage();
    await phone.goto(`${t.url}/study`);
    await phone.waitForSelector(`[data-test=study-session-${planned!.id}]`);
    expect(await phone.isVisible('[data-test=study-plan-open]')).toBe(false);

    await host.click(`[data-test=study-present-${planned!.id}]`);
    await host.click('[data-test=study-start]');
    await onPage(host, 0);
    await phone.goto(`${t.url}/study/${planned!.id}`);
    await onPage(phone, 0);

    // Hand over: the member's screen offers the presenter's view; the secretary's can no longer turn pages.
    await host.click(`[data-test=study-handover-${member.id}]`);
    await host.waitForSelector('[data-test=study-not-presenter]');
    expect(await host.isDisabled('[data-test=study-next]')).toBe(true);
    await phone.click('[data-test=study-open-present]');
    await phone.waitForURL(new RegExp(`/study/${planned!.id}/present$`));
    await phone.click('[data-test=study-next]');
    await onPage(phone, 1);
    await onPage(host, 1);
  }, 60_000);
});
