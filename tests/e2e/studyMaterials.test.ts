import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type TestApp } from '../helpers/testApp';
import { loginThroughPage, startBrowserApp } from '../helpers/browser';
import { ApiClient, seedBranch } from '../helpers/api';
import { makePdf } from '../helpers/pdf';
import { shot, useLocale, type BrowserElement } from '../helpers/layout';

let t: TestApp;
let browser: Browser;
let app: Awaited<ReturnType<typeof startBrowserApp>>;
let admin: ApiClient;
let seeded: Awaited<ReturnType<typeof seedBranch>>;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  app = await startBrowserApp();
  ({ t, browser } = app);
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  seeded = await seedBranch(t.url, admin, '资料测试支部');
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await app?.close();
});

/** A fresh browser context whose page reports every CSP violation (as tests/e2e/csp.test.ts does). */
async function watchedPage(options: Parameters<Browser['newContext']>[0] = {}, locale?: 'zh-CN' | 'en'): Promise<{ page: Page; context: BrowserContext; violations: string[] }> {
  const context = await browser.newContext(options);
  contexts.push(context);
  if (locale) await useLocale(context, locale);
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.error('csp-violation ' + e.violatedDirective + ' ' + e.blockedURI));`);
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (msg) => {
    const text = msg.text();
    if (process.env.E2E_DEBUG) console.log('[page]', msg.type(), text);
    if (text.startsWith('csp-violation') || /Content Security Policy/i.test(text)) violations.push(text);
  });
  return { page, context, violations };
}

async function signIn(page: Page, username: string, password: string) {
  await loginThroughPage(page, t.url, username, password);
  // Attached, not visible: on a phone the menu (and its logout button) is folded away.
  await page.waitForSelector('[data-test=logout]', { state: 'attached' });
}

/** What a rendered Markdown page holds that could run code or leave the app unsafely. */
function inspectMarkdown(page: Page, scope: string) {
  return page.$eval(scope, (root) => {
    const el = root as unknown as BrowserElement;
    const all = Array.from(el.querySelectorAll('*'));
    const anchors = Array.from(el.querySelectorAll('a'));
    const urls = Array.from(el.querySelectorAll('[href], [src], [xlink\\:href], [action], [formaction]')).flatMap((e) =>
      ['href', 'src', 'xlink:href', 'action', 'formaction'].map((a) => e.getAttribute(a)).filter((v): v is string => v !== null),
    );
    return {
      text: el.textContent ?? '',
      dangerousTags: all.filter((e) => /^(SCRIPT|IFRAME|OBJECT|EMBED|FORM|STYLE|SVG|MATH|BASE|META|LINK)$/i.test(e.tagName)).map((e) => e.tagName),
      onAttributes: all.flatMap((e) => Array.from((e as unknown as { attributes: ArrayLike<{ name: string }> }).attributes).map((a) => a.name)).filter((n) => /^on/i.test(n)),
      unsafeUrls: urls.filter((u) => /^(?:javascript|data|vbscript|file):/i.test(u.replace(/[\u0000-\u0020]/g, ''))),
      links: anchors.map((a) => ({ href: a.getAttribute('href'), rel: a.getAttribute('rel'), target: a.getAttribute('target'), text: a.textContent })),
    };
  });
}

const XSS_BODY = [
  '# 安全测试页',
  '',
  '<script>window.__xss=1</script>',
  '',
  '<img src=x onerror="window.__xss=1">',
  '',
  '[链接一](javascript:window.__xss=1)',
  '',
  '[链接二](JAVASCRIPT:alert(1))',
  '',
  '[链接三](jav&#x61;script:window.__xss=1)',
  '',
  '[链接四](  javascript:window.__xss=1  )',
  '',
  '<a href="javascript:window.__xss=1">原始链接</a>',
  '',
  '<iframe src="javascript:window.__xss=1"></iframe>',
  '',
  '[数据链接](data:text/html,<script>window.__xss=1</script>)',
  '',
  '![图一](javascript:window.__xss=1)',
  '',
  '![图二](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==)',
  '',
  '<javascript:window.__xss=1>',
  '',
  '正文链接 https://www.12371.cn/ 与 [共产党员网](https://www.12371.cn/)。',
].join('\n');

function expectSafe(found: Awaited<ReturnType<typeof inspectMarkdown>>) {
  expect(found.dangerousTags).toEqual([]);
  expect(found.onAttributes).toEqual([]);
  expect(found.unsafeUrls).toEqual([]);
  // The raw HTML stayed text (html: false), so the reader sees what was typed instead of it running.
  expect(found.text).toContain('<script>window.__xss=1</script>');
  const external = found.links.filter((l) => l.href !== null);
  expect(external.map((l) => l.href)).toEqual(['https://www.12371.cn/', 'https://www.12371.cn/']);
  for (const l of external) {
    expect(l.target).toBe('_blank');
    expect((l.rel ?? '').split(/\s+/).sort()).toEqual(['noopener', 'noreferrer']);
  }
}

describe('issue 10: study materials in the browser', () => {
  it('issue 10 Markdown XSS: no payload runs or survives in the reader or the editor preview, links open safely', async () => {
    const material = (await admin.post('/api/materials', { title: 'XSS 测试资料', kind: 'markdown', body: XSS_BODY, tags: ['测试'] })).body.material;
    expect(material.pages).toBe(1);

    const { page, context, violations } = await watchedPage({ viewport: { width: 1366, height: 768 } });
    // A link that did get through would open a tab: close any, and record where it went.
    const opened: string[] = [];
    context.on('page', (p) => {
      opened.push(p.url());
      void p.close().catch(() => undefined);
    });
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto(`${t.url}/materials/${material.id}`);
    await page.waitForSelector('[data-test=markdown-view] >> text=安全测试页');
    const reader = await inspectMarkdown(page, '[data-test=markdown-view]');
    expectSafe(reader);

    // Click every payload link and image (not the external ones): nothing runs, nothing navigates.
    const count = await page.locator('[data-test=markdown-view] a:not([href^="https:"]), [data-test=markdown-view] img').count();
    for (let i = 0; i < count; i++) await page.locator('[data-test=markdown-view] a:not([href^="https:"]), [data-test=markdown-view] img').nth(i).click({ force: true });
    await page.waitForTimeout(300);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(page.url()).toBe(`${t.url}/materials/${material.id}`);
    expect(opened).toEqual([]);

    // The same material in the editor's live preview.
    await page.goto(`${t.url}/materials`);
    await page.locator('[data-test=materials-table] tr', { hasText: 'XSS 测试资料' }).locator('[data-test=material-edit]').click();
    await expect.poll(() => page.inputValue('[data-test=material-body]')).toBe(XSS_BODY);
    await page.waitForSelector('[data-test=material-preview] [data-test=markdown-view] >> text=安全测试页');
    expectSafe(await inspectMarkdown(page, '[data-test=material-preview] [data-test=markdown-view]'));
    for (let i = 0; i < count; i++) {
      await page.locator('[data-test=material-preview] [data-test=markdown-view] a:not([href^="https:"]), [data-test=material-preview] [data-test=markdown-view] img').nth(i).click({ force: true });
    }
    await page.waitForTimeout(300);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(opened).toEqual([]);
    // The external link opens a new tab (target _blank; rel noopener noreferrer checked above), this page stays.
    const popup = context.waitForEvent('page');
    await page.locator('[data-test=material-preview] [data-test=markdown-view] a[href="https://www.12371.cn/"]').first().click();
    await popup;
    expect(opened).toHaveLength(1);
    expect(page.url()).toBe(`${t.url}/materials`);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(violations.filter((v) => !/12371/.test(v))).toEqual([]);
  });

  it('issue 10 Markdown editor: 3 pages by --- lines in the live preview, saved, reloaded, and a 409 conflict shown', async () => {
    const { page } = await watchedPage({ viewport: { width: 1366, height: 768 } });
    await signIn(page, seeded.secretary.username, 'password-1');
    await page.click('[data-test=nav-materials]');
    await page.waitForSelector('[data-test=MaterialsPage]');
    await page.click('[data-test=new-markdown-material]');
    await page.fill('[data-test=material-title]', '三页学习资料');
    await page.fill('[data-test=material-tags]', '党章，学习');
    await page.fill('[data-test=material-body]', '第一页：总纲\n\n---\n\n第二页：党员的义务\n\n---\n\n第三页：党员的权利');
    await expect.poll(() => page.textContent('[data-test=material-page-count]')).toBe('共 3 页');
    expect(await page.textContent('[data-test=material-body-hint]')).toContain('---');
    await page.click('[data-test=preview-pager] [data-test=pager-next]');
    await page.waitForSelector('[data-test=material-preview] [data-test=markdown-view] >> text=第二页：党员的义务');
    expect(await page.textContent('[data-test=preview-pager] [data-test=pager-count]')).toBe('第 2 / 3 页');
    await page.click('[data-test=material-save]');
    const row = page.locator('[data-test=materials-table] tr', { hasText: '三页学习资料' });
    await row.waitFor();
    expect(await row.locator('[data-test=material-row-pages]').textContent()).toBe('3 页');
    expect(await row.textContent()).toContain('本支部');

    const listed = (await seeded.secretaryClient.get(`/api/materials?q=${encodeURIComponent('三页学习资料')}`)).body.items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ kind: 'markdown', pages: 3, tags: ['党章', '学习'], branchId: seeded.branch.id, version: 1 });
    const id = listed[0].id as string;

    await page.reload();
    await page.locator('[data-test=materials-table] tr', { hasText: '三页学习资料' }).locator('[data-test=material-edit]').click();
    await expect.poll(() => page.inputValue('[data-test=material-body]')).toContain('第三页');
    // Someone else saves between the load and this save.
    const other = await seeded.secretaryClient.request('PUT', `/api/materials/${id}`, { version: 1, title: '三页学习资料', body: '别人改过的第一页\n\n---\n\n别人改过的第二页' });
    expect(other.status).toBe(200);
    await page.fill('[data-test=material-body]', '我改的第一页\n\n---\n\n我改的第二页\n\n---\n\n我改的第三页\n\n---\n\n我改的第四页');
    await expect.poll(() => page.textContent('[data-test=material-page-count]')).toBe('共 4 页');
    await page.click('[data-test=material-save]');
    await page.waitForSelector('[data-test=material-conflict]');
    expect(await page.textContent('[data-test=material-conflict]')).toContain('已被他人修改');
    await expect.poll(() => page.inputValue('[data-test=material-body]')).toContain('别人改过的第一页');
    expect(await page.textContent('[data-test=material-page-count]')).toBe('共 2 页');
    expect((await seeded.secretaryClient.get(`/api/materials/${id}`)).body.material).toMatchObject({ version: 2, pages: 2 });

    // Saving again from the reloaded version goes through.
    await page.fill('[data-test=material-body]', '定稿第一页\n\n---\n\n定稿第二页\n\n---\n\n定稿第三页');
    await page.click('[data-test=material-save]');
    await page.waitForSelector('[data-test=material-editor]', { state: 'detached' });
    expect((await seeded.secretaryClient.get(`/api/materials/${id}`)).body.material).toMatchObject({ version: 3, pages: 3, body: '定稿第一页\n\n---\n\n定稿第二页\n\n---\n\n定稿第三页' });
  });

  it('issue 10 PDF material: a renamed non-PDF is refused plainly, a real 3-page PDF uploads and renders into a canvas under the CSP', async () => {
    const { page, violations } = await watchedPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await signIn(page, seeded.secretary.username, 'password-1');
    await page.goto(`${t.url}/materials`);
    await page.click('[data-test=new-pdf-material]');
    await page.fill('[data-test=pdf-title]', '支部工作条例 PDF');

    // Over the limit: refused before anything is sent.
    await page.setInputFiles('[data-test=material-file]', { name: 'big.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(30 * 1024 * 1024 + 1, 0x20) });
    expect(await page.textContent('[data-test=pdf-file-error]')).toContain('30 MB');

    // A text file named .pdf: the material is created, the server refuses the file (400) and the page says why.
    await page.setInputFiles('[data-test=material-file]', { name: 'fake.pdf', mimeType: 'application/pdf', buffer: Buffer.from('这不是 PDF') });
    await page.click('[data-test=pdf-save]');
    await page.waitForSelector('[data-test=pdf-upload-error]');
    expect(await page.textContent('[data-test=pdf-upload-error]')).toContain('不是有效的 PDF');

    // The real file, in the same dialog: it goes to the material already created (not a second one).
    await page.setInputFiles('[data-test=material-file]', { name: '条例.pdf', mimeType: 'application/pdf', buffer: makePdf(3) });
    await page.click('[data-test=pdf-save]');
    await page.waitForSelector('[data-test=pdf-material-dialog]', { state: 'detached' });
    const row = page.locator('[data-test=materials-table] tr', { hasText: '支部工作条例 PDF' });
    await row.waitFor();
    expect(await row.locator('[data-test=material-row-pages]').textContent()).toBe('3 页');
    const listed = (await seeded.secretaryClient.get(`/api/materials?q=${encodeURIComponent('支部工作条例')}`)).body.items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ kind: 'pdf', pages: 3 });

    // A member of the branch reads it on a phone: page 1 drawn into a sharp canvas, then page 2.
    const member = await watchedPage({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await signIn(member.page, seeded.member.username, 'password-1');
    await member.page.goto(`${t.url}/materials/${listed[0].id}`);
    await member.page.waitForSelector('[data-test=pdf-page][data-status=ready]');
    const size = await member.page.$eval('[data-test=pdf-canvas]', (c) => {
      const canvas = c as unknown as { width: number; height: number; getBoundingClientRect(): { width: number; height: number } };
      const box = canvas.getBoundingClientRect();
      return { width: canvas.width, height: canvas.height, cssWidth: box.width, cssHeight: box.height };
    });
    expect(size.cssWidth).toBeGreaterThan(250);
    expect(size.cssHeight).toBeGreaterThan(size.cssWidth);
    // devicePixelRatio 2: twice the pixels of its box.
    expect(size.width).toBeGreaterThanOrEqual(Math.floor(size.cssWidth * 2) - 2);
    await member.page.click('[data-test=reader-pager] [data-test=pager-next]');
    await expect.poll(() => member.page.textContent('[data-test=reader-pager] [data-test=pager-count]')).toBe('第 2 / 3 页');
    await member.page.waitForSelector('[data-test=material-page][data-page="1"] [data-test=pdf-page][data-status=ready]');
    await shot(member.page, 'materials-pdf-reader-zh-CN-360x640');
    expect(member.violations).toEqual([]);
    expect(violations).toEqual([]);
  }, 90_000);
});

describe('issue 10: text size for older members', () => {
  it('issue 10 text size: a phone reader shows ~20px text; A+ enlarges it app-wide and the device remembers it', async () => {
    const material = (await seeded.secretaryClient.post('/api/materials', { title: '字号测试', kind: 'markdown', body: '党员必须履行下列义务。' })).body.material;
    const { page } = await watchedPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, seeded.member.username, 'password-1');
    await page.goto(`${t.url}/materials/${material.id}`);
    await page.waitForSelector('[data-test=markdown-view] >> text=党员必须履行下列义务');
    const size = () => page.$eval('[data-test=markdown-view] p', (el) => parseFloat((globalThis as any).getComputedStyle(el).fontSize));
    const rootSize = () => page.evaluate(() => parseFloat((globalThis as any).getComputedStyle((globalThis as any).document.documentElement).fontSize));
    const base = await size();
    expect(base).toBeGreaterThanOrEqual(19.5);
    expect(base).toBeLessThanOrEqual(22);
    const rootBase = await rootSize();
    expect(await page.getAttribute('[data-test=text-smaller]', 'aria-label')).toBe('缩小文字');
    expect(await page.isDisabled('[data-test=text-smaller]')).toBe(true);
    await page.click('[data-test=text-larger]');
    await page.click('[data-test=text-larger]');
    expect(await page.textContent('[data-test=text-size-value]')).toBe('130%');
    expect(await size()).toBeCloseTo(base * 1.3, 0);
    // App-wide: the root font size grows, so every rem-sized text on the page follows, not only the material.
    expect(await rootSize()).toBeCloseTo(rootBase * 1.3, 0);
    await page.reload();
    await page.waitForSelector('[data-test=markdown-view] >> text=党员必须履行下列义务');
    expect(await page.textContent('[data-test=text-size-value]')).toBe('130%');
    expect(await size()).toBeCloseTo(base * 1.3, 0);
    await page.click('[data-test=text-larger]');
    expect(await page.isDisabled('[data-test=text-larger]')).toBe(true);
    await page.click('[data-test=text-smaller]');
    await page.click('[data-test=text-smaller]');
    await page.click('[data-test=text-smaller]');
    expect(await size()).toBeCloseTo(base, 0);
  });
});

describe.runIf(process.env.TONGPIN_SHOTS)('issue 10 study materials screenshots', () => {
  it('list, editor with preview and reader at three sizes in both languages', async () => {
    const body = [
      '# 中国共产党章程 总纲',
      '',
      '中国共产党是中国工人阶级的先锋队，同时是中国人民和中华民族的先锋队，是中国特色社会主义事业的领导核心，代表中国先进生产力的发展要求，代表中国先进文化的前进方向，代表中国最广大人民的根本利益。',
      '',
      '> 党的最高理想和最终目标是实现共产主义。',
      '',
      '---',
      '',
      '## 第一章 党员',
      '',
      '**第一条** 年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子，承认党的纲领和章程，愿意参加党的一个组织并在其中积极工作、执行党的决议和按期交纳党费的，可以申请加入中国共产党。',
      '',
      '---',
      '',
      '## 第二条',
      '',
      '中国共产党党员是中国工人阶级的有共产主义觉悟的先锋战士。',
    ].join('\n');
    const material = (
      await seeded.secretaryClient.post('/api/materials', { title: '《中国共产党章程》总纲与第一章', kind: 'markdown', body, tags: ['党章', '基础'], source: '《中国共产党章程》（2022年10月22日修改）' })
    ).body.material;
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const [w, h] of [
        [1366, 768],
        [390, 844],
        [360, 640],
      ] as const) {
        const { page } = await watchedPage({ viewport: { width: w, height: h }, ...(w < 500 ? { isMobile: true, hasTouch: true } : {}) }, locale);
        await signIn(page, seeded.secretary.username, 'password-1');
        const tag = `${locale}-${w}x${h}`;
        await page.goto(`${t.url}/materials`);
        await page.locator('[data-test=materials-table] tr', { hasText: '总纲与第一章' }).waitFor();
        await shot(page, `materials-list-${tag}`);
        await page.locator('[data-test=materials-table] tr', { hasText: '总纲与第一章' }).locator('[data-test=material-edit]').click();
        await expect.poll(() => page.inputValue('[data-test=material-body]')).toBe(body);
        await page.waitForTimeout(400); // the dialog's fade-in
        await shot(page, `materials-editor-${tag}`);
        if (w < 900) {
          await page.click('[data-test=tab-preview]');
          await page.click('[data-test=preview-pager] [data-test=pager-next]');
          await shot(page, `materials-editor-preview-${tag}`);
        }
        await page.goto(`${t.url}/materials/${material.id}?page=2`);
        await page.waitForSelector('[data-test=markdown-view] >> text=第一条');
        await shot(page, `materials-reader-${tag}`);
        await page.click('[data-test=text-larger]');
        await page.click('[data-test=text-larger]');
        await shot(page, `materials-reader-large-${tag}`);
        await page.close();
      }
    }
  }, 300_000);
});
