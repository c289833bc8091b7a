import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBranch, type ApiClient } from '../helpers/api';
import { ok } from '../helpers/live';
import { waitFor } from '../helpers/sockets';
import { boxOf, type BrowserElement, cutElements, expectEllipsisWithTitle, expectInViewport, fontSize, gapBetween, largestOtherFont, shot, useLocale } from '../helpers/layout';
import { readyAccount, startLiveBrowser, type LiveBrowser } from '../helpers/liveBrowser';

let lb: LiveBrowser;
let member: ApiClient;
let memberName: string;

beforeAll(async () => {
  lb = await startLiveBrowser();
  member = (await seedBranch(lb.t.url, lb.admin, '投影支部')).memberClient;
  memberName = (await readyAccount(member)).displayName;
});
afterAll(async () => {
  await lb?.close();
});

const LONG = [
  '坚持和加强党的全面领导，把党的政治建设摆在首位，增强“四个意识”、坚定“四个自信”、做到“两个维护”',
  '严格执行新形势下党内政治生活若干准则，认真开展批评和自我批评，增强党内政治生活的政治性时代性',
  '加强基层党组织建设，推进“三会一课”制度化规范化，把每一个基层党组织建设成为坚强战斗堡垒',
  '持之以恒正风肃纪，驰而不息纠治“四风”，一体推进不敢腐、不能腐、不想腐，巩固发展反腐败斗争成果',
];
const EXPLANATION =
  '党章总纲和新时代党的建设总要求都强调，全面从严治党永远在路上。解析文字在投影上必须足够大，坐在会议室最后一排的同志也能看清楚，这里特意写得长一些，检验换行。';

/** Three questions with long options and a long explanation; the stored order (tests tap by position). */
async function seedLongQuiz(title: string) {
  const inputs = [
    { type: 'single', text: `${title}：下列关于新时代党的建设总要求的表述，哪一项最完整准确？`, options: LONG, answer: 0, explanation: EXPLANATION, source: '《中国共产党章程》', tags: ['党章'] },
    { type: 'multiple', text: `${title}：以下哪些属于全面从严治党的要求？`, options: LONG, answer: [0, 1, 2], explanation: EXPLANATION, source: '《中国共产党章程》', tags: ['党章'] },
    { type: 'judge', text: `${title}：党员必须履行党员义务。`, options: ['正确', '错误'], answer: 0, explanation: EXPLANATION, source: '《中国共产党章程》', tags: ['党章'] },
  ];
  const ids: string[] = [];
  for (const q of inputs) {
    const res = await lb.admin.post('/api/questions', q);
    if (res.status !== 201) throw new Error(`question: ${JSON.stringify(res.body)}`);
    ids.push(res.body.question.id);
  }
  const quiz = await lb.admin.post('/api/quizzes', { title, questionIds: ids, timeLimitSec: 120, shuffleOptions: false });
  if (quiz.status !== 201) throw new Error(`quiz: ${JSON.stringify(quiz.body)}`);
  return quiz.body.quiz.id as string;
}

async function pageFor(viewport: { width: number; height: number }, locale: 'zh-CN' | 'en', phone: boolean, client?: ApiClient) {
  const ctx = await lb.context({ viewport, ...(phone ? { isMobile: true, hasTouch: true } : {}) }, client);
  await useLocale(ctx, locale);
  return ctx.newPage();
}

const PHONE_GUEST = '一位名字特别长的远方来客朋友请多多指教';
const SOCKET_GUEST = 'W'.repeat(20);

/** Three places on one row: bottoms aligned, left to right without overlap, all inside the viewport's width. */
async function expectPodiumRow(page: Page) {
  const boxes = await page.locator('[data-test=podium-entry]').evaluateAll((els) =>
    (els as unknown as BrowserElement[]).slice(0, 3).map((e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, right: r.right, bottom: r.bottom };
    }),
  );
  expect(boxes).toHaveLength(3);
  const vw = page.viewportSize()!.width;
  for (let i = 0; i < 3; i++) {
    expect(Math.abs(boxes[i]!.bottom - boxes[0]!.bottom)).toBeLessThan(2);
    expect(boxes[i]!.left).toBeGreaterThanOrEqual(0);
    expect(boxes[i]!.right).toBeLessThanOrEqual(vw);
    if (i > 0) expect(boxes[i]!.left).toBeGreaterThanOrEqual(boxes[i - 1]!.right);
  }
}

const cases = [
  { host: { width: 1366, height: 768 }, phone: { width: 390, height: 844 }, locale: 'zh-CN' as const },
  { host: { width: 1024, height: 768 }, phone: { width: 360, height: 640 }, locale: 'zh-CN' as const },
  { host: { width: 1366, height: 768 }, phone: { width: 390, height: 844 }, locale: 'en' as const },
  { host: { width: 1024, height: 768 }, phone: { width: 360, height: 640 }, locale: 'en' as const },
];

describe('live screens on a projector and on phones', () => {
  for (const c of cases) {
    const tag = `${c.locale}-${c.host.width}x${c.host.height}`;
    const ptag = `${c.locale}-${c.phone.width}x${c.phone.height}`;
    it(`issue 9 items 4 and 5: console ${c.host.width}x${c.host.height} and phone ${c.phone.width}x${c.phone.height} (${c.locale}): PIN biggest and in view, options never cut, reveal legible, podium on one row, long names cut with a title, guests marked`, async () => {
      const quizId = await seedLongQuiz(`投影${tag}`);
      const creator = await lb.socket(lb.admin);
      const { gameId, pin } = await ok<{ gameId: string; pin: string }>(creator, 'game:create', { quizId, allowGuests: true });

      // The console on the projector
      const host = await pageFor(c.host, c.locale, false, lb.admin);
      await host.goto(`${lb.t.url}/host/${gameId}`);
      await host.waitForSelector('[data-test=host-pin]');

      // A guest's phone with a long nickname
      const phone = await pageFor(c.phone, c.locale, true);
      await phone.goto(`${lb.t.url}/join?pin=${pin}`);
      await shot(phone, `phone-join-${ptag}`);
      await phone.fill('[data-test=join-nickname]', PHONE_GUEST);
      await phone.click('[data-test=join-submit]');
      await phone.waitForSelector('[data-test=player-lobby]');
      await expectEllipsisWithTitle(phone, '[data-test=player-nickname]');
      await shot(phone, `phone-lobby-${ptag}`);

      // A member and another long-named guest on sockets
      const m = await lb.socket(member);
      const g = await lb.socket();
      await ok(m, 'game:join', { pin });
      await ok(g, 'game:join', { pin, nickname: SOCKET_GUEST });
      await host.waitForSelector(`[data-test=host-players] >> text=${memberName}`);
      await host.waitForSelector('[data-test=host-player] >> nth=2');

      // Lobby: PIN, QR and the start button without scrolling; the PIN the biggest text on screen
      await expectInViewport(host, '[data-test=host-pin]');
      await expectInViewport(host, '[data-test=host-qr]');
      await expectInViewport(host, '[data-test=host-start]');
      const pinSize = await fontSize(host, '[data-test=host-pin]');
      const other = await largestOtherFont(host, '[data-test=host-pin]');
      expect(pinSize, `PIN ${pinSize}px vs "${other.text}" ${other.size}px`).toBeGreaterThan(other.size);
      await expectEllipsisWithTitle(host, '[data-test=host-player-name]');
      expect(await host.locator('[data-test=host-player] [data-test=guest-mark]').count()).toBe(2);
      await shot(host, `host-lobby-${tag}`);

      // Q1, single choice with long options: nothing cut; 结束本题 apart from the options
      const opened = waitFor(m, 'question:open');
      await host.click('[data-test=host-start]');
      await opened;
      await host.waitForSelector('[data-test=host-option]');
      await phone.waitForSelector('[data-test=player-question]');
      expect(await cutElements(host, '[data-test=host-option], [data-test=host-option] *')).toEqual([]);
      const close = await boxOf(host, '[data-test=host-next]');
      for (const o of await host.locator('[data-test=host-option]').all()) expect(gapBetween(close, (await o.boundingBox())!)).toBeGreaterThanOrEqual(16);
      await expectInViewport(host, '[data-test=countdown]');
      await shot(host, `host-question-${tag}`);
      await shot(phone, `phone-question-single-${ptag}`);

      const revealed = waitFor(m, 'question:close', 8000);
      await ok(m, 'answer:submit', { gameId, index: 0, answer: 0 });
      await ok(g, 'answer:submit', { gameId, index: 0, answer: 1 });
      await phone.click('[data-test=answer-option-0]');
      await revealed;

      // Reveal: bars with every option whole, the answer and a 28 px+ explanation, the leaderboard with guests marked
      await host.waitForSelector('[data-test=host-reveal]');
      await host.waitForSelector('[data-test=leaderboard-entry] >> nth=2');
      await shot(host, `host-reveal-${tag}`);
      expect(await cutElements(host, '[data-test=dist-label]')).toEqual([]);
      for (const l of await host.locator('[data-test=dist-label]').all()) {
        const b = (await l.boundingBox())!;
        expect(b.x + b.width).toBeLessThanOrEqual(c.host.width);
      }
      expect(await fontSize(host, '[data-test=explanation]')).toBeGreaterThanOrEqual(28);
      await expectInViewport(host, '[data-test=correct-answer]');
      await expectInViewport(host, '[data-test=host-next]');
      await expectInViewport(host, '[data-test=leaderboard]');
      await expectEllipsisWithTitle(host, '[data-test=leaderboard-name]');
      const rows = await host.locator('[data-test=leaderboard-entry]').evaluateAll((els) =>
        (els as unknown as BrowserElement[]).map((e) => ({ name: e.querySelector('[data-test=leaderboard-name]')?.getAttribute('title'), guest: e.querySelector('[data-test=guest-mark]') !== null })),
      );
      expect(rows.find((r) => r.name === memberName)?.guest).toBe(false);
      expect(rows.find((r) => r.name === SOCKET_GUEST)?.guest).toBe(true);
      expect(rows.find((r) => r.name === PHONE_GUEST)?.guest).toBe(true);
      await phone.waitForSelector('[data-test=player-result]');
      await shot(phone, `phone-result-${ptag}`);

      // Q2, multiple choice: on the phone the countdown and 提交答案 are on screen without scrolling
      await host.click('[data-test=host-next]');
      await phone.waitForSelector('[data-test=answer-confirm]');
      await expectInViewport(phone, '[data-test=countdown]');
      await phone.click('[data-test=answer-option-0]');
      await phone.click('[data-test=answer-option-1]');
      await expectInViewport(phone, '[data-test=countdown]');
      await expectInViewport(phone, '[data-test=answer-confirm]');
      await shot(phone, `phone-question-multiple-${ptag}`);
      const closed2 = waitFor(m, 'question:close', 8000);
      await phone.click('[data-test=answer-confirm]');
      await phone.waitForSelector('[data-test=player-locked]');
      await ok(m, 'answer:submit', { gameId, index: 1, answer: [0, 1, 2] });
      await ok(g, 'answer:submit', { gameId, index: 1, answer: [0] });
      await closed2;
      await phone.waitForSelector('[data-test=player-result]');
      await shot(phone, `phone-result-multiple-${ptag}`);

      // Q3, then the podium: three places on one row on both screens, guests marked, names cut with a title
      await host.click('[data-test=host-next]');
      await phone.waitForSelector('[data-test=answer-option-0]');
      const closed3 = waitFor(m, 'question:close', 8000);
      await phone.click('[data-test=answer-option-0]');
      await ok(m, 'answer:submit', { gameId, index: 2, answer: 0 });
      await ok(g, 'answer:submit', { gameId, index: 2, answer: 0 });
      await closed3;
      await host.waitForSelector('[data-test=host-reveal]');
      await host.click('[data-test=host-next]');
      await host.waitForSelector('[data-test=podium-entry] >> nth=2');
      await phone.waitForSelector('[data-test=podium-entry] >> nth=2');
      await expectPodiumRow(host);
      await expectPodiumRow(phone);
      for (const page of [host, phone]) {
        expect(await page.locator('[data-test=podium] [data-test=guest-mark]').count()).toBe(2);
        await expectEllipsisWithTitle(page, '[data-test=podium-name]', page === phone ? 1 : 0);
      }
      await shot(host, `host-podium-${tag}`);
      await shot(phone, `phone-podium-${ptag}`);
    });
  }
});
