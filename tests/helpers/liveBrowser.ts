import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { ADMIN_PASSWORD, type TestApp } from './testApp';
import { startBrowserApp } from './browser';
import { ApiClient } from './api';
import { openSocket } from './live';
import type { LiveClient } from './sockets';

type ContextOptions = NonNullable<Parameters<Browser['newContext']>[0]>;

export const CONSOLE_1366 = { viewport: { width: 1366, height: 768 } };
export const CONSOLE_1024 = { viewport: { width: 1024, height: 768 } };
export const PHONE_390 = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
export const PHONE_360 = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true };

/**
 * The real app with the built client, a browser and a signed-in admin, for live-game browser tests. Contexts and
 * sockets made through it are closed with it.
 */
export async function startLiveBrowser() {
  const app = await startBrowserApp();
  const admin = new ApiClient(app.t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const contexts: BrowserContext[] = [];
  const sockets: LiveClient[] = [];

  /** A browser context, signed in with the client's session cookie (as someone who logged in earlier) when given one. */
  async function context(options: ContextOptions, client?: ApiClient): Promise<BrowserContext> {
    const ctx = await app.browser.newContext(options);
    contexts.push(ctx);
    const sid = client ? /sid=([^;]*)/.exec(client.cookie)?.[1] : undefined;
    if (client && !sid) throw new Error('no session cookie');
    if (sid) await ctx.addCookies([{ name: 'sid', value: sid, url: app.t.url }]);
    return ctx;
  }

  return {
    t: app.t as TestApp,
    browser: app.browser,
    admin,
    context,
    async page(options: ContextOptions, client?: ApiClient): Promise<Page> {
      return (await context(options, client)).newPage();
    },
    /** A connected `/live` socket, as the client's account or as a guest. */
    async socket(client?: ApiClient): Promise<LiveClient> {
      const s = await openSocket(app.t.url, client);
      sockets.push(s);
      return s;
    },
    async close() {
      for (const s of sockets) s.close();
      for (const c of contexts) await c.close().catch(() => undefined);
      await app.close();
    },
  };
}
export type LiveBrowser = Awaited<ReturnType<typeof startLiveBrowser>>;

/** New accounts must change their first password before they may play or host: do it, and return who they are. */
export async function readyAccount(client: ApiClient): Promise<{ id: string; username: string; displayName: string }> {
  const me = (await client.get('/api/me')).body.user;
  if (me.mustChangePassword) {
    expect((await client.post('/api/me/password', { currentPassword: 'password-1', newPassword: 'password-2-new' })).status).toBeLessThan(300);
    await client.login(me.username, 'password-2-new');
  }
  return me;
}

export const textOf = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').trim();
