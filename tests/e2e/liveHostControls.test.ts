import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBranch, type ApiClient } from '../helpers/api';
import { command, errorCode, ok, seedQuiz } from '../helpers/live';
import { waitFor } from '../helpers/sockets';
import { CONSOLE_1024, CONSOLE_1366, PHONE_360, readyAccount, startLiveBrowser, textOf as text, type LiveBrowser } from '../helpers/liveBrowser';

let lb: LiveBrowser;
let member: ApiClient;
let memberName: string;
let secretary: ApiClient;

beforeAll(async () => {
  lb = await startLiveBrowser();
  const seeded = await seedBranch(lb.t.url, lb.admin, '控制支部');
  member = seeded.memberClient;
  secretary = seeded.secretaryClient;
  memberName = (await readyAccount(member)).displayName;
  await readyAccount(secretary);
});
afterAll(async () => {
  await lb?.close();
});

async function createGame(title: string, by: ApiClient = lb.admin) {
  const { quizId } = await seedQuiz(lb.admin, title, 60);
  const creator = await lb.socket(by);
  const game = await ok<{ gameId: string; pin: string }>(creator, 'game:create', { quizId, allowGuests: true });
  return { ...game, creator };
}

describe('the host console controls and the smaller live fixes', () => {
  it('issue 9 item 6: the console\'s lock toggle refuses new players (rejoins still work) and 移除全部访客 removes every guest', async () => {
    const { gameId, pin } = await createGame('锁定与移除');
    const host = await lb.page(CONSOLE_1024, lb.admin);
    await host.goto(`${lb.t.url}/host/${gameId}`);
    await host.waitForSelector('[data-test=host-pin]');

    const m = await lb.socket(member);
    const g1 = await lb.socket();
    const g2 = await lb.socket();
    await ok(m, 'game:join', { pin });
    const seat = await ok<{ rejoinToken: string }>(g1, 'game:join', { pin, nickname: '访客甲' });
    await ok(g2, 'game:join', { pin, nickname: '访客乙' });
    await host.waitForSelector('[data-test=host-player] >> nth=2');

    // Locked: a new guest and a new phone are refused; the guest whose connection dropped comes back
    expect(await host.getAttribute('[data-test=host-lock]', 'aria-pressed')).toBe('false');
    await host.click('[data-test=host-lock]');
    await host.waitForSelector('[data-test=host-lock][aria-pressed=true]');
    const late = await lb.socket();
    expect(errorCode(await command(late, 'game:join', { pin, nickname: '迟到的访客' }))).toBe('GAME_LOCKED');
    const phone = await lb.page(PHONE_360);
    await phone.goto(`${lb.t.url}/join?pin=${pin}`);
    await phone.fill('[data-test=join-nickname]', '手机访客');
    await phone.click('[data-test=join-submit]');
    await phone.waitForSelector('[data-test=join-error]');
    expect(await text(phone, '[data-test=join-error]')).toContain('锁定');
    g1.close();
    const back = await lb.socket();
    await ok(back, 'game:join', { pin, rejoinToken: seat.rejoinToken });

    // Unlocked again: the phone gets in
    await host.click('[data-test=host-lock]');
    await host.waitForSelector('[data-test=host-lock][aria-pressed=false]');
    await phone.click('[data-test=join-submit]');
    await phone.waitForSelector('[data-test=player-lobby]');
    await host.waitForSelector('[data-test=host-count] >> text=已加入 4 人');

    // Remove all guests: each guest is kicked, the member stays
    const kicked = Promise.all([waitFor(back, 'player:kicked'), waitFor(g2, 'player:kicked')]);
    await host.click('[data-test=host-kick-guests]');
    await host.click('[data-test=kick-guests-confirm]');
    await kicked;
    await phone.waitForSelector('[data-test=player-ended]');
    await host.waitForSelector('[data-test=host-count] >> text=已加入 1 人');
    expect(await host.locator('[data-test=host-player]').allTextContents()).toEqual([expect.stringContaining(memberName)]);
  });

  it('issue 9 item 4: the console\'s 全屏 button puts the projector page in full screen (Fullscreen API) and takes it out again', async () => {
    const { gameId } = await createGame('全屏');
    const host = await lb.page(CONSOLE_1366, lb.admin);
    await host.goto(`${lb.t.url}/host/${gameId}`);
    await host.waitForSelector('[data-test=host-pin]');
    const fullscreen = () => host.evaluate(() => (globalThis as unknown as { document: { fullscreenElement: unknown } }).document.fullscreenElement !== null);
    expect(await fullscreen()).toBe(false);
    expect(await text(host, '[data-test=host-fullscreen]')).toBe('全屏');
    await host.click('[data-test=host-fullscreen]');
    await host.waitForSelector('[data-test=host-fullscreen] >> text=退出全屏');
    expect(await fullscreen()).toBe(true);
    await host.click('[data-test=host-fullscreen]');
    await host.waitForSelector('[data-test=host-fullscreen] >> text=/^全屏$/');
    expect(await fullscreen()).toBe(false);
  });

  it('issue 9 item 10: starting a game with no players asks first; cancel stays in the lobby, confirm starts', async () => {
    const { gameId } = await createGame('空场开始');
    const host = await lb.page(CONSOLE_1024, lb.admin);
    await host.goto(`${lb.t.url}/host/${gameId}`);
    await host.waitForSelector('[data-test=host-pin]');
    await host.click('[data-test=host-start]');
    await host.waitForSelector('[data-test=start-empty-confirm]');
    await host.click('.n-dialog__action button:has-text("取消")');
    await host.waitForSelector('[data-test=start-empty-confirm]', { state: 'detached' });
    expect(await host.isVisible('[data-test=host-pin]')).toBe(true);
    await host.click('[data-test=host-start]');
    await host.click('[data-test=start-empty-confirm]');
    await host.waitForSelector('[data-test=host-question-text]');
  });

  it('issue 9 item 10: the player lobby shows the player\'s own nickname and the quiz title', async () => {
    const { pin } = await createGame('大厅显示');
    const memberPhone = await lb.page(PHONE_360, member);
    await memberPhone.goto(`${lb.t.url}/join?pin=${pin}`);
    await memberPhone.waitForSelector('[data-test=player-lobby]');
    expect(await text(memberPhone, '[data-test=player-quiz-title]')).toBe('大厅显示');
    expect(await text(memberPhone, '[data-test=player-nickname]')).toBe(memberName);
    expect(await memberPhone.isVisible('[data-test=player-lobby] [data-test=guest-mark]')).toBe(false);

    const guestPhone = await lb.page(PHONE_360);
    await guestPhone.goto(`${lb.t.url}/join?pin=${pin}`);
    await guestPhone.fill('[data-test=join-nickname]', '小访客');
    await guestPhone.click('[data-test=join-submit]');
    await guestPhone.waitForSelector('[data-test=player-lobby]');
    expect(await text(guestPhone, '[data-test=player-quiz-title]')).toBe('大厅显示');
    expect(await text(guestPhone, '[data-test=player-nickname]')).toBe('小访客');
    expect(await guestPhone.isVisible('[data-test=player-lobby] [data-test=guest-mark]')).toBe(true);
  });

  it('issue 9 item 10: 竞答记录 offers 继续主持 for a running game, to its host and to an admin, and it leads back to the console', async () => {
    const { gameId, pin, creator } = await createGame('继续主持', secretary);
    await ok(creator, 'game:start', { gameId });

    for (const who of [secretary, lb.admin]) {
      const page = await lb.page(CONSOLE_1024, who);
      await page.goto(`${lb.t.url}/games`);
      const resume = `[data-test=game-resume-${gameId}]`;
      await page.waitForSelector(resume);
      expect(await text(page, resume)).toContain('继续主持');
      await page.click(resume);
      await page.waitForURL(new RegExp(`/host/${gameId}$`));
      await page.waitForSelector('[data-test=host-question-text]');
      expect(await text(page, '[data-test=host-pin-chip]')).toContain(pin);
    }
  });
});
