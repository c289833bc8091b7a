import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Layout checks for browser tests: element boxes against the viewport, truncation, font sizes, screenshots. */

/**
 * What callbacks run inside the page use of the browser; the test tsconfig has no DOM lib, so a callback reads
 * these from `globalThis` (the page's window) as `const w = globalThis as unknown as BrowserWindow`.
 */
export interface BrowserElement {
  tagName: string;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  offsetParent: unknown;
  parentElement: BrowserElement | null;
  childNodes: ArrayLike<{ nodeType: number; textContent: string | null }>;
  getAttribute(name: string): string | null;
  closest(selector: string): BrowserElement | null;
  matches(selector: string): boolean;
  querySelector(selector: string): BrowserElement | null;
  querySelectorAll(selector: string): ArrayLike<BrowserElement>;
  getBoundingClientRect(): { left: number; right: number; top: number; bottom: number };
}
export interface BrowserWindow {
  document: { body: BrowserElement; activeElement: BrowserElement | null };
  getComputedStyle(el: BrowserElement): Record<'fontSize' | 'textOverflow' | 'outlineStyle' | 'outlineWidth' | 'outlineColor' | 'backgroundColor', string>;
  Node: { TEXT_NODE: number };
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export async function boxOf(page: Page, selector: string): Promise<Box> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} has no box (not rendered)`);
  return box;
}

/** The element lies wholly inside the viewport as the page first shows it (no scrolling). */
export async function expectInViewport(page: Page, selector: string): Promise<Box> {
  const box = await boxOf(page, selector);
  const vp = page.viewportSize()!;
  expect({ selector, top: box.y >= 0, left: box.x >= 0, bottom: box.y + box.height <= vp.height + 0.5, right: box.x + box.width <= vp.width + 0.5 }).toEqual({
    selector,
    top: true,
    left: true,
    bottom: true,
    right: true,
  });
  return box;
}

/** The smallest gap between two boxes (0 when they touch or overlap). */
export function gapBetween(a: Box, b: Box): number {
  const dx = Math.max(0, b.x - (a.x + a.width), a.x - (b.x + b.width));
  const dy = Math.max(0, b.y - (a.y + a.height), a.y - (b.y + b.height));
  return Math.max(dx, dy);
}

/** Elements matching the selector whose text is cut (wider than their box), with how they are cut. */
export function cutElements(page: Page, selector: string) {
  return page.$$eval(selector, (els) => {
    const w = globalThis as unknown as BrowserWindow;
    return (els as unknown as BrowserElement[])
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => ({ text: el.textContent ?? '', overflow: w.getComputedStyle(el).textOverflow, title: el.getAttribute('title') }));
  });
}

/** Every element of the selector whose text does not fit is cut with an ellipsis and carries the full text in `title`. */
export async function expectEllipsisWithTitle(page: Page, selector: string, minCut = 1) {
  // Layout may still be settling right after the element appears (fonts): poll briefly for the cut.
  await expect.poll(async () => (await cutElements(page, selector)).length, { message: `${selector}: long names cut`, timeout: 3000 }).toBeGreaterThanOrEqual(minCut);
  const cut = await cutElements(page, selector);
  for (const c of cut) {
    expect(c.overflow).toBe('ellipsis');
    expect(c.title).toBe(c.text.trim());
  }
}

/** The computed font size (px) of the first element of the selector. */
export function fontSize(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (el) => parseFloat((globalThis as unknown as BrowserWindow).getComputedStyle(el as unknown as BrowserElement).fontSize));
}

/** The largest font size (px) of any visible element holding text, other than those inside `except`. */
export function largestOtherFont(page: Page, except: string): Promise<{ size: number; text: string }> {
  return page.evaluate((exceptSel) => {
    const w = globalThis as unknown as BrowserWindow;
    let best = { size: 0, text: '' };
    for (const el of Array.from(w.document.body.querySelectorAll('*'))) {
      if (el.closest(exceptSel)) continue;
      const own = Array.from(el.childNodes).some((n) => n.nodeType === w.Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (!own || el.offsetParent === null) continue;
      const size = parseFloat(w.getComputedStyle(el).fontSize);
      if (size > best.size) best = { size, text: (el.textContent ?? '').trim().slice(0, 40) };
    }
    return best;
  }, except);
}

/** Sets the UI language before any page script runs (the app reads it from localStorage). */
export async function useLocale(context: BrowserContext, locale: 'zh-CN' | 'en') {
  await context.addInitScript((l) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('tongpin.locale', l), locale);
}

/** Saves a screenshot when TONGPIN_SHOTS names a folder (for looking at layouts by eye); otherwise nothing. */
export async function shot(page: Page, name: string) {
  const dir = process.env.TONGPIN_SHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}
