import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';
import { loginThroughPage, startBrowserApp } from '../helpers/browser';

/** Vite's build manifest: a chunk per source file, with the chunks it imports statically. */
type Manifest = Record<string, { file: string; src?: string; isEntry?: boolean; imports?: string[] }>;
/** A string literal in ECharts' own code (its inner-store marker): a file holding it holds ECharts. */
const ECHARTS_MARK = '__ec_inner_';
/** Set SHOTS_DIR to also save screenshots of the statistics page at phone and desktop sizes, in both languages. */
const SHOTS_DIR = process.env.SHOTS_DIR;

let t: TestApp;
let browser: Browser;
let app: Awaited<ReturnType<typeof startBrowserApp>>;
let admin: ApiClient;
let manifest: Manifest;
const contexts: BrowserContext[] = [];

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

/** The files a chunk needs before it runs: itself and its static imports, transitively. */
function closure(key: string, seen = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const dep of chunk.imports ?? []) closure(dep, seen);
  return seen;
}
const holdsECharts = (file: string) => readFileSync(path.resolve('dist/client', file), 'utf8').includes(ECHARTS_MARK);

/** A page that records every CSP violation (as tests/e2e/csp.test.ts does), in the given language. */
async function watchedPage(options: Parameters<Browser['newContext']>[0], locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<{ page: Page; violations: string[] }> {
  const ctx = await browser.newContext(options);
  contexts.push(ctx);
  await ctx.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.error('csp-violation ' + e.violatedDirective + ' ' + e.blockedURI));`);
  await ctx.addInitScript(`localStorage.setItem('tongpin.locale', ${JSON.stringify(locale)});`);
  const page = await ctx.newPage();
  const violations: string[] = [];
  page.on('console', (msg) => {
    const text = msg.text();
    if (text.startsWith('csp-violation') || /Content Security Policy/i.test(text)) violations.push(text);
  });
  return { page, violations };
}

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** A right (or a wrong) answer to a question, from its key as the admin reads it. */
async function answerFor(questionId: string, correct: boolean): Promise<unknown> {
  const q = (await admin.get(`/api/questions/${questionId}`)).body.question as { type: string; options: string[]; answer: unknown };
  if (q.type === 'blank') return correct ? (q.answer as string[])[0] : '答错的答案';
  if (q.type === 'multiple') {
    const key = q.answer as number[];
    return correct ? key : q.options.map((_, i) => i).filter((i) => !key.includes(i)).slice(0, 1).concat(key.length > 1 ? [] : [key[0]!]);
  }
  return correct ? q.answer : ((q.answer as number) + 1) % q.options.length;
}

describe('issue 11 client: 学习统计 and 学员常错题', () => {
  it('issue 11 (statistics chunk): ECharts is in the statistics page chunk only; the entry, and so /join, never include it', async () => {
    const entry = Object.keys(manifest).find((k) => manifest[k]?.isEntry);
    expect(entry).toBeDefined();
    const stats = manifest['src/pages/review/StatsPage.vue'];
    expect(stats, 'the statistics page has a chunk of its own').toBeDefined();
    const statsFiles = [...closure('src/pages/review/StatsPage.vue')];
    expect(statsFiles.some(holdsECharts), 'the statistics page chunk carries ECharts').toBe(true);
    const entryFiles = [...closure(entry!)];
    for (const file of entryFiles) expect(holdsECharts(file), `${file} (entry) holds ECharts`).toBe(false);
    // The pages a member opens most (home, bank) do not pull it in statically either.
    for (const page of ['src/pages/HomePage.vue', 'src/pages/BankPage.vue']) {
      for (const file of closure(page)) if (!statsFiles.includes(file)) expect(holdsECharts(file), `${file} (${page}) holds ECharts`).toBe(false);
    }

    // A phone opening /join downloads no ECharts code.
    const { page } = await watchedPage(PHONE);
    const scripts: string[] = [];
    page.on('requestfinished', (req) => {
      if (req.resourceType() === 'script') scripts.push(new URL(req.url()).pathname);
    });
    await page.goto(`${t.url}/join`);
    await page.locator('[data-test=join-pin]').waitFor({ state: 'visible' });
    await page.waitForLoadState('networkidle');
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) expect(holdsECharts(file.slice(1)), `${file} loaded for /join holds ECharts`).toBe(false);
  });

  it('issue 11 (学习统计): after a few review answers a member on a phone sees both charts drawn and the figures of GET /api/me/stats as text; staff see the failed question in 学员常错题', async () => {
    const one = await seedBranch(t.url, admin, '统计支部');
    for (let i = 0; i < 6; i++) {
      const res = await admin.post('/api/questions', {
        type: 'single',
        text: `统计单选${i}：党的最高领导机关是？`,
        options: ['全国代表大会和它所产生的中央委员会', '中央纪律检查委员会', '中央军事委员会'],
        answer: 0,
        tags: [i % 2 ? '党章' : '纪律处分条例'],
      });
      expect(res.status).toBe(201);
    }
    const member = one.memberClient;
    const daily = (await member.get('/api/review/daily')).body as { items: { questionId: string }[] };
    expect(daily.items.length).toBeGreaterThanOrEqual(3);
    const ids = daily.items.slice(0, 3).map((i) => i.questionId);
    const wrongId = ids[0]!;
    for (const [n, questionId] of ids.entries()) {
      const res = await member.post('/api/review/answers', { attemptId: randomUUID(), mode: 'daily', questionId, answer: await answerFor(questionId, n !== 0) });
      expect(res.status).toBe(200);
      expect(res.body.correct).toBe(n !== 0);
    }
    const stats = (await member.get('/api/me/stats')).body as { daysStudied: number; dueForecast: { date: string; due: number }[] };
    const topics = (await member.get('/api/review/topics')).body.items as { tag: string; total: number; answered: number; accuracy: number | null }[];
    expect(stats.daysStudied).toBe(1);
    expect(stats.dueForecast).toHaveLength(7);
    expect(topics.some((p) => p.answered > 0)).toBe(true);

    const { page, violations } = await watchedPage(PHONE);
    await loginThroughPage(page, t.url, one.member.username, 'password-1');
    await page.waitForSelector('[data-test=logout]', { state: 'attached' });
    await page.goto(`${t.url}/review/stats`);
    await page.waitForSelector('[data-test=stats-days-value]');

    // Both charts are drawn on a canvas that has a size; each names the table that carries its figures.
    for (const chart of ['stats-forecast-chart', 'stats-topics-chart']) {
      const canvas = page.locator(`[data-test=${chart}] canvas`);
      await canvas.waitFor({ state: 'attached' });
      const size = await canvas.evaluate((c) => ({ w: (c as unknown as { width: number }).width, h: (c as unknown as { height: number }).height }));
      expect(size.w, chart).toBeGreaterThan(0);
      expect(size.h, chart).toBeGreaterThan(0);
      const describedBy = await page.getAttribute(`[data-test=${chart}]`, 'aria-describedby');
      expect(await page.locator(`#${describedBy}`).count()).toBe(1);
    }

    // The text gives the same figures as the API.
    expect(await page.textContent('[data-test=stats-days-value]')).toContain(String(stats.daysStudied));
    const dues = await page.locator('[data-test=forecast-due]').allTextContents();
    expect(dues).toEqual(stats.dueForecast.map((d) => `${d.due} 题`));
    for (const p of topics) {
      const row = page.locator(`[data-test=stats-topics-table] tr[data-tag="${p.tag}"]`);
      expect(await row.locator('[data-test=topic-answered]').textContent()).toBe(`${p.answered} / ${p.total}`);
      expect(await row.locator('[data-test=topic-accuracy]').textContent()).toBe(p.accuracy === null ? '暂无' : `${Math.round(p.accuracy * 100)}%`);
    }
    // Nothing is wider than the phone.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(violations).toEqual([]);

    if (SHOTS_DIR) {
      mkdirSync(SHOTS_DIR, { recursive: true });
      for (const locale of ['zh-CN', 'en'] as const) {
        for (const viewport of [{ width: 390, height: 844 }, { width: 360, height: 640 }, { width: 1366, height: 768 }]) {
          const shot = await watchedPage({ viewport, isMobile: viewport.width < 500, hasTouch: viewport.width < 500 }, locale);
          await loginThroughPage(shot.page, t.url, one.member.username, 'password-1');
          await shot.page.waitForSelector('[data-test=logout]', { state: 'attached' });
          await shot.page.goto(`${t.url}/review/stats`);
          await shot.page.waitForSelector('[data-test=stats-topics-chart] canvas');
          await shot.page.screenshot({ path: path.join(SHOTS_DIR, `stats-${locale}-${viewport.width}x${viewport.height}.png`), fullPage: true });
        }
      }
    }

    // 学员常错题 on the bank page: the question the member got wrong, with its failure rate.
    const hard = (await admin.get('/api/questions/hard')).body.items as { questionId: string; failureRate: number }[];
    const entry = hard.find((h) => h.questionId === wrongId);
    expect(entry).toBeDefined();
    const desk = await watchedPage({ viewport: { width: 1366, height: 768 } });
    await loginThroughPage(desk.page, t.url, 'admin', ADMIN_PASSWORD);
    await desk.page.waitForSelector('[data-test=logout]', { state: 'attached' });
    await desk.page.goto(`${t.url}/bank`);
    await desk.page.click('[data-test=hard-toggle]');
    const item = desk.page.locator(`[data-test=hard-item][data-question-id="${wrongId}"]`);
    await item.waitFor({ state: 'visible' });
    expect(await item.locator('[data-test=hard-rate]').textContent()).toBe(`${Math.round(entry!.failureRate * 100)}%`);
    expect(await item.locator('[data-test=hard-wrong]').textContent()).toMatch(/[B-C]\. 中央/);
    if (SHOTS_DIR) {
      for (const [w, h] of [[1366, 768], [390, 844], [360, 640]] as const) {
        await desk.page.setViewportSize({ width: w, height: h });
        await item.scrollIntoViewIfNeeded();
        await desk.page.screenshot({ path: path.join(SHOTS_DIR, `hard-zh-CN-${w}x${h}.png`) });
      }
      await desk.page.setViewportSize({ width: 1366, height: 768 });
    }
    // The admin may edit it: 编辑 opens the question form on that question.
    await item.locator('[data-test=hard-edit]').waitFor({ state: 'visible' });
    await item.locator('[data-test=hard-edit]').click();
    await desk.page.waitForSelector('[data-test=q-text]');
    expect(await desk.page.inputValue('[data-test=q-text]')).toBe((await admin.get(`/api/questions/${wrongId}`)).body.question.text);
    expect(desk.violations).toEqual([]);
  }, 120_000);
});
