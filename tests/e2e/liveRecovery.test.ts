import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GameReport } from '../../shared/schemas/live';
import { ok, seedQuiz } from '../helpers/live';
import { waitFor } from '../helpers/sockets';
import { shot } from '../helpers/layout';
import { CONSOLE_1366, PHONE_390, startLiveBrowser, textOf as text, type LiveBrowser } from '../helpers/liveBrowser';

let lb: LiveBrowser;
beforeAll(async () => {
  lb = await startLiveBrowser();
});
afterAll(async () => {
  await lb?.close();
});

/** A game with guests allowed, created on a host socket; a second guest on a socket keeps "everyone answered" from closing early. */
async function setUp(title: string) {
  const { quizId } = await seedQuiz(lb.admin, title, 60);
  const creator = await lb.socket(lb.admin);
  const { gameId, pin } = await ok<{ gameId: string; pin: string }>(creator, 'game:create', { quizId, allowGuests: true });
  const other = await lb.socket();
  await ok(other, 'game:join', { pin, nickname: '另一位访客' });
  const phoneCtx = await lb.context(PHONE_390);
  const phone = await phoneCtx.newPage();
  await phone.goto(`${lb.t.url}/join?pin=${pin}`);
  await phone.fill('[data-test=join-nickname]', '访客小周');
  await phone.click('[data-test=join-submit]');
  await phone.waitForSelector('[data-test=player-lobby]');
  return { gameId, pin, creator, other, phone, phoneCtx };
}

/** The server drops the phone guest's socket (as a network loss would), the phone being offline so it cannot come back yet. */
async function dropOffline(phoneCtx: BrowserContext, phone: Page, gameId: string) {
  const guestSockets = [...lb.t.app.io.of('/live').sockets.values()].filter((s) => s.data.gameId === gameId && s.data.user === null && s.handshake.headers['user-agent']?.includes('Chrome'));
  expect(guestSockets.length).toBe(1);
  await phoneCtx.setOffline(true);
  for (const s of guestSockets) s.conn.close();
  await phone.waitForSelector('[data-test=reconnecting]');
}

describe('live screens come back with what they showed', () => {
  it('issue 9 item 1: a console and a phone reloaded during the reveal show the reveal: distribution, answer, explanation, leaderboard and 下一题; the phone its verdict and what it chose', async () => {
    const { gameId, creator, phone } = await setUp('揭晓重载');
    const host = await lb.page(CONSOLE_1366, lb.admin);
    await host.goto(`${lb.t.url}/host/${gameId}`);
    await host.waitForSelector('[data-test=host-pin]');

    await host.click('[data-test=host-start]');
    await phone.waitForSelector('[data-test=answer-option-1]');
    await phone.click('[data-test=answer-option-1]'); // 中央纪律检查委员会: wrong
    await phone.waitForSelector('[data-test=player-locked]');
    const closed = waitFor(creator, 'question:close', 8000);
    await host.click('[data-test=host-next]'); // 结束本题
    await closed;
    await host.waitForSelector('[data-test=host-reveal]');
    await phone.waitForSelector('[data-test=player-result]');

    await Promise.all([host.reload(), phone.reload()]);

    // The console: the whole reveal from the replayed close alone, and the way on
    await host.waitForSelector('[data-test=host-reveal]');
    expect(await host.isVisible('[data-test=host-loading]')).toBe(false);
    expect(await text(host, '[data-test=host-question-text]')).toContain('党的最高领导机关');
    expect(await text(host, '[data-test=dist-1]')).toContain('1');
    // On the projector the key names the option; the option's bar carries its text and the tick
    expect(await text(host, '[data-test=correct-answer]')).toBe('正确答案：A');
    expect(await text(host, '[data-test=dist-0]')).toMatch(/全国代表大会.*0✓$/);
    expect(await text(host, '[data-test=explanation]')).toContain('党章规定');
    await host.waitForSelector('[data-test=leaderboard] >> text=访客小周');
    await host.waitForSelector('[data-test=host-question-no] >> text=第 1 题 / 共 4 题');
    expect(await text(host, '[data-test=host-next]')).toBe('下一题');
    await shot(host, 'host-reveal-after-reload-zh-CN-1366x768');

    // The phone: right or wrong, the answer, the explanation, and what this player chose
    await phone.waitForSelector('[data-test=player-result]');
    expect(await text(phone, '[data-test=player-verdict]')).toContain('回答错误');
    expect(await text(phone, '[data-test=player-choice]')).toContain('B. 中央纪律检查委员会');
    expect(await text(phone, '[data-test=correct-answer]')).toContain('全国代表大会');
    expect(await text(phone, '[data-test=explanation]')).toContain('党章规定');
    await shot(phone, 'phone-reveal-after-reload-zh-CN-390x844');

    // And the game goes on from the reloaded console
    await host.click('[data-test=host-next]');
    await phone.waitForSelector('[data-test=player-question] >> text=以下哪些是党的纪律');
    await host.waitForSelector('[data-test=host-question-text] >> text=以下哪些是党的纪律');
  });

  it('issue 9 item 2: an answer tapped while offline shows no 已提交, is kept, sent on reconnect, acked and counted; the guest never sees the members-only message', async () => {
    const { gameId, creator, other, phone, phoneCtx } = await setUp('离线作答');
    const opened = waitFor(other, 'question:open');
    await ok(creator, 'game:start', { gameId });
    await opened;
    await phone.waitForSelector('[data-test=answer-option-0]');

    await dropOffline(phoneCtx, phone, gameId);
    await phone.click('[data-test=answer-option-0]'); // right
    await phone.waitForSelector('[data-test=player-waiting]');
    expect(await phone.isVisible('[data-test=player-locked]')).toBe(false);
    await shot(phone, 'phone-offline-kept-zh-CN-390x844');
    expect((await lb.admin.get(`/api/games/${gameId}`)).body.game.players.length).toBe(2);

    await phoneCtx.setOffline(false);
    await phone.waitForSelector('[data-test=player-locked]', { timeout: 15_000 });
    expect(await phone.isVisible('[data-test=reconnecting]')).toBe(false);
    expect(await phone.content()).not.toContain('需要登录');

    // Counted: the other guest's answer makes everyone answered; the phone's result says right
    const closed = waitFor(creator, 'question:close', 8000);
    await ok(other, 'answer:submit', { gameId, index: 0, answer: 1 });
    const close = await closed;
    expect(close.distribution).toEqual([1, 1, 0, 0]);
    await phone.waitForSelector('[data-test=player-result]');
    expect(await text(phone, '[data-test=player-verdict]')).toContain('回答正确');
    const report = (await lb.admin.get(`/api/games/${gameId}`)).body.game as GameReport;
    expect(report.players.find((p) => p.nickname === '访客小周')?.correct).toBe(1);
    expect(report.players).toHaveLength(2); // the rejoin took the same seat
  });

  it('issue 9 item 2: an answer kept offline past the question\'s close says plainly that it was not submitted', async () => {
    const { gameId, creator, other, phone, phoneCtx } = await setUp('离线未交');
    const opened = waitFor(other, 'question:open');
    await ok(creator, 'game:start', { gameId });
    await opened;
    await phone.waitForSelector('[data-test=answer-option-0]');

    await dropOffline(phoneCtx, phone, gameId);
    await phone.click('[data-test=answer-option-0]');
    await phone.waitForSelector('[data-test=player-waiting]');
    const closed = waitFor(creator, 'question:close', 8000);
    await ok(creator, 'game:next', { gameId }); // the host closes the question meanwhile
    await closed;

    await phoneCtx.setOffline(false);
    await phone.waitForSelector('[data-test=player-result]', { timeout: 15_000 });
    await phone.waitForSelector('[data-test=player-not-submitted]');
    expect(await text(phone, '[data-test=player-verdict]')).toContain('未作答');
    expect(await phone.isVisible('[data-test=player-choice]')).toBe(false);
    await shot(phone, 'phone-not-submitted-zh-CN-390x844');
    const report = (await lb.admin.get(`/api/games/${gameId}`)).body.game as GameReport;
    expect(report.questions[0]?.answered).toBe(0);
  });
});
