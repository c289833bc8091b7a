import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp } from '../helpers/browser';

/** Vite's build manifest: a chunk per source file, with the chunks it imports statically. */
type Manifest = Record<string, { file: string; src?: string; isEntry?: boolean; imports?: string[] }>;

let app: Awaited<ReturnType<typeof startBrowserApp>>;
let manifest: Manifest;

beforeAll(async () => {
  app = await startBrowserApp();
  manifest = JSON.parse(readFileSync(path.resolve('dist/client/.vite/manifest.json'), 'utf8')) as Manifest;
});
afterAll(async () => {
  await app?.close();
});

/** The files a chunk needs before it runs: itself and its static imports, transitively. */
function closure(key: string, seen = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk || seen.has(`/${chunk.file}`)) return seen;
  seen.add(`/${chunk.file}`);
  for (const dep of chunk.imports ?? []) closure(dep, seen);
  return seen;
}

const fileOf = (src: string) => {
  const chunk = manifest[src];
  if (!chunk) throw new Error(`${src} has no chunk of its own in the manifest`);
  return `/${chunk.file}`;
};

// The code a member's phone must never download to join a game.
const NOT_FOR_PLAYERS = [
  'src/pages/BankPage.vue',
  'src/pages/QuizzesPage.vue',
  'src/pages/HostPage.vue',
  'src/pages/AdminBranchesPage.vue',
  'src/pages/AdminUsersPage.vue',
  'src/pages/GamesPage.vue',
  'src/pages/GameReportPage.vue',
  'src/pages/PrintSlipsPage.vue',
  'src/components/NaiveShell.vue',
];

describe('issue 9 item 21: /join loads only what a player needs', () => {
  it('a phone opening /join fetches the entry chunks alone (no admin, bank, host or Naive UI code), under 150 KB of compressed JavaScript; the login link still brings the full app', async () => {
    const entry = Object.keys(manifest).find((k) => manifest[k]?.isEntry);
    expect(entry).toBeDefined();
    const allowed = closure(entry!);
    const forbidden = NOT_FOR_PLAYERS.map(fileOf);
    for (const file of forbidden) expect(allowed.has(file), `${file} is in the entry's static imports`).toBe(false);

    const context = await app.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const scripts: { path: string; bytes: Promise<number> }[] = [];
    page.on('requestfinished', (req) => {
      if (req.resourceType() === 'script') scripts.push({ path: new URL(req.url()).pathname, bytes: req.sizes().then((s) => s.responseBodySize) });
    });
    await page.goto(`${app.t.url}/join`);
    await page.locator('[data-test=join-pin]').waitFor({ state: 'visible' });
    await page.waitForLoadState('networkidle');

    const loaded = scripts.map((s) => s.path);
    expect(loaded.length).toBeGreaterThan(0);
    for (const file of loaded) expect(allowed.has(file), `${file} loaded for /join but is not an entry chunk`).toBe(true);
    for (const file of forbidden) expect(loaded).not.toContain(file);
    // Naive UI's style anchor is in the theme code every one of its components runs: none of it on a player's phone.
    for (const file of loaded) expect(readFileSync(path.resolve('dist/client', `.${file}`), 'utf8'), file).not.toContain('naive-ui-style');
    const jsBytes = (await Promise.all(scripts.map((s) => s.bytes))).reduce((a, b) => a + b, 0);
    expect(jsBytes).toBeLessThan(150 * 1024);

    // From the plain player page to a page built with Naive UI: its shell loads then, and the page works.
    await page.click('[data-test=join-login]');
    await page.locator('[data-test=login-username]').waitFor({ state: 'visible' });
    expect(scripts.map((s) => s.path)).toContain(fileOf('src/components/NaiveShell.vue'));
    await context.close();
  });
});
