import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, seedQuiz } from '../helpers/live';
import type { BrowserWindow } from '../helpers/layout';
import { CONSOLE_1366, PHONE_390, startLiveBrowser, type LiveBrowser } from '../helpers/liveBrowser';

let lb: LiveBrowser;
beforeAll(async () => {
  lb = await startLiveBrowser();
});
afterAll(async () => {
  await lb?.close();
});

interface Ring {
  what: string;
  style: string;
  width: number;
  contrast: number;
}

/**
 * Tabs through the page and, for every button or link that takes the focus, reads its focus ring: outline style and
 * width, and the contrast of the outline colour against what lies behind the element (WCAG 1.4.11 asks 3:1).
 */
async function ringsWhileTabbing(page: Page, presses: number): Promise<Ring[]> {
  const rings: Ring[] = [];
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const w = globalThis as unknown as BrowserWindow;
      const el = w.document.activeElement;
      if (!el || el === w.document.body || !el.matches('button, a[href], [role=button]')) return null;
      const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
      const lum = ([r, g, b]: number[]) => {
        const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
      };
      let behind = 'rgb(255, 255, 255)';
      for (let p = el.parentElement; p; p = p.parentElement) {
        const bg = w.getComputedStyle(p).backgroundColor;
        const parts = parse(bg);
        if (parts.length === 3 || (parts.length === 4 && parts[3]! > 0.5)) {
          behind = bg;
          break;
        }
      }
      const s = w.getComputedStyle(el);
      const [a, b] = [lum(parse(s.outlineColor)), lum(parse(behind))];
      const contrast = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      return { what: `${el.tagName} ${(el.getAttribute('data-test') ?? el.textContent ?? '').trim().slice(0, 30)}`, style: s.outlineStyle, width: parseFloat(s.outlineWidth), contrast: Math.round(contrast * 10) / 10 };
    });
    if (ring) rings.push(ring);
  }
  return rings;
}

function expectVisibleRings(rings: Ring[], atLeast: number) {
  expect(rings.length).toBeGreaterThanOrEqual(atLeast);
  for (const r of rings) {
    expect({ what: r.what, solid: r.style === 'solid', wide: r.width >= 3, contrast: r.contrast >= 3 }).toEqual({ what: r.what, solid: true, wide: true, contrast: true });
  }
}

describe('focus rings', () => {
  it('issue 9 item 10: every button and link on the join page (phone) shows a wide, high-contrast focus ring (WCAG 2.4.7)', async () => {
    const page = await lb.page(PHONE_390);
    await page.goto(`${lb.t.url}/join`);
    await page.fill('[data-test=join-pin]', '123456');
    await page.fill('[data-test=join-nickname]', '键盘用户');
    await page.focus('[data-test=join-pin]');
    expectVisibleRings(await ringsWhileTabbing(page, 5), 2);
  });

  it('issue 9 item 10: every button on the host console (1366x768), including the red bar, shows a wide, high-contrast focus ring', async () => {
    const { quizId } = await seedQuiz(lb.admin, '焦点测试', 60);
    const creator = await lb.socket(lb.admin);
    const { gameId, pin } = await ok<{ gameId: string; pin: string }>(creator, 'game:create', { quizId, allowGuests: true });
    await ok(await lb.socket(), 'game:join', { pin, nickname: '访客' });
    const page = await lb.page(CONSOLE_1366, lb.admin);
    await page.goto(`${lb.t.url}/host/${gameId}`);
    await page.waitForSelector('[data-test=host-player]');
    const rings = await ringsWhileTabbing(page, 10);
    expect(rings.map((r) => r.what).join(' | ')).toMatch(/host-lock.*host-start|host-start.*host-lock/);
    expectVisibleRings(rings, 5);
  });

  it('issue 9 item 10: the signed-in pages (games list with its navigation) show the same focus ring on every button and link', async () => {
    const page = await lb.page(CONSOLE_1366, lb.admin);
    await page.goto(`${lb.t.url}/games`);
    await page.waitForSelector('[data-test=games-page]');
    expectVisibleRings(await ringsWhileTabbing(page, 14), 6);
  });
});
