import type { QuestionOpenPayload } from '../../../shared/events';
import type { AnswerSubmitInput } from '../../../shared/schemas/live';
import type { User } from '../../../shared/schemas/users';
import { ErrorCode } from '../../../shared/errors';
import { invalidInput, liveError, notFound } from '../../domain/errors';
import { dueStep, endGame, nextStep, startGame, type GamePhase, type Step } from '../../domain/gamePhase';
import { answerFits } from '../../domain/liveResults';
import { isCorrect } from '../../domain/scoring';
import type { GameMeta } from '../../store/gamesStore';
import type { LiveContext } from './context';
import type { HostFeed } from './hostFeed';
import { podiumOf, type ReportsGlue } from './reports';
import { publicQuestion, type Results } from './results';

type QuestionState = Extract<GamePhase, { phase: 'question' }>;

const changed = () => liveError(ErrorCode.WRONG_PHASE, '对局状态已变化，请重试');
const shape = (m: GameMeta) => ({ total: m.total, timeLimitMs: m.settings.timeLimitSec * 1000 });

/**
 * Questions open and close: the phase steps, their timers, the answers. Deadlines are Redis times (the answer
 * script's clock); a timer here is only a reminder, and the close script checks the deadline itself.
 */
export function createQuestions(ctx: LiveContext, results: Results, reports: ReportsGlue, feed: HostFeed) {
  const { games, answers, timers, logger, clock } = ctx;

  async function openPayload(gameId: string, s: QuestionState): Promise<QuestionOpenPayload> {
    const snap = await ctx.snapshot(gameId);
    return {
      gameId,
      index: s.index,
      total: snap.questions.length,
      question: publicQuestion(snap, s.index),
      timeLimitMs: s.closesAt - s.openedAt,
      openedAt: s.openedAt,
      closesAt: s.closesAt,
      // Deadlines are Redis times, so the clock clients sync to is Redis's too.
      serverNow: await games.serverTime(),
    };
  }

  function arm(gameId: string, index: number, at: number): void {
    timers.arm(gameId, index, at, () =>
      closeOpen(gameId, index, false).then(
        () => undefined,
        (err: unknown) => logger.error({ err, gameId }, 'closing a question failed'),
      ),
    );
  }

  /** Arms this process's reminder for an open question's deadline (after a restart too). */
  function armTimer(gameId: string, s: GamePhase): void {
    if (s.phase === 'question') arm(gameId, s.index, s.closesAt);
  }

  /**
   * Closes question `index` if it is still open; the one caller that closes it tells the room: the hosts' exact
   * answer count, `question:close`, each player's own result, then the leaderboard (a big room's leaderboard can wait).
   * `force` is false for a timer: the script then closes only once Redis's clock has passed the deadline.
   */
  async function closeOpen(gameId: string, index: number, force: boolean): Promise<boolean> {
    const outcome = await answers.close(gameId, index, force);
    if (!outcome.closed) {
      if (outcome.waitMs !== undefined) arm(gameId, index, clock.now() + outcome.waitMs);
      return false;
    }
    timers.clear(gameId);
    const { reveal } = await results.compute(gameId, index);
    await games.saveReveal(gameId, index, reveal);
    await games.touch(gameId, clock.now());
    const out = ctx.output();
    out.answersFinal(gameId, await feed.answersView(gameId, index));
    out.questionClosed(gameId, reveal.close);
    await out.deliverResults(gameId, index);
    out.leaderboard(gameId, reveal.leaderboard);
    return true;
  }

  /** The state as it should be now: a question whose deadline passed (say, while no server ran) is closed first. */
  async function currentState(gameId: string): Promise<GamePhase> {
    const s = await ctx.state(gameId);
    // Due by this process's clock; the close script checks again by Redis's, and re-arms if it was early.
    if (s.phase !== 'question' || !dueStep(s, clock.now())) return s;
    await closeOpen(gameId, s.index, false);
    return ctx.state(gameId);
  }

  async function open(gameId: string, from: GamePhase, to: QuestionState): Promise<void> {
    if (!(await games.transition(gameId, from, to))) throw changed();
    armTimer(gameId, to);
    await games.touch(gameId, clock.now());
    // The report's answer times are measured from here.
    await ctx.reports.questionOpened(gameId, to.index, to.openedAt);
    ctx.output().questionOpened(gameId, await openPayload(gameId, to));
  }

  async function finish(gameId: string, from: GamePhase): Promise<void> {
    if (!(await games.transition(gameId, from, { phase: 'finished' }))) throw changed();
    timers.clear(gameId);
    const report = await reports.finalise(gameId);
    ctx.output().finished(gameId, { gameId, podium: podiumOf(report.players) });
  }

  /** Applies a phase step from the domain: closes, opens or finishes, each exactly once. */
  async function apply(gameId: string, from: GamePhase, step: Step): Promise<void> {
    if (!step.ok) throw liveError(ErrorCode.WRONG_PHASE, '当前阶段不能这样操作');
    let current = from;
    for (const event of step.events) {
      if (event.type === 'question:close') {
        await closeOpen(gameId, event.index, true);
        current = { phase: 'reveal', index: event.index };
      }
    }
    if (step.state.phase === 'question') await open(gameId, current, step.state);
    if (step.state.phase === 'finished') await finish(gameId, current);
  }

  async function checkEarlyClose(gameId: string): Promise<void> {
    const s = await games.state(gameId);
    if (s?.phase === 'question' && (await games.allOnlineAnswered(gameId, s.index))) await closeOpen(gameId, s.index, true);
  }

  return {
    openPayload,
    armTimer,
    currentState,
    apply,
    checkEarlyClose,

    /** Questions open at Redis's time, so their deadlines and the answers' times share one clock. */
    async start(actor: User | null, gameId: string): Promise<void> {
      const m = await ctx.requireHost(actor, gameId);
      const s = await ctx.state(gameId);
      await apply(gameId, s, startGame(s, await games.serverTime(), shape(m)));
    },

    async next(actor: User | null, gameId: string): Promise<void> {
      const m = await ctx.requireHost(actor, gameId);
      const s = await ctx.state(gameId);
      await apply(gameId, s, nextStep(s, await games.serverTime(), shape(m)));
    },

    async end(actor: User | null, gameId: string): Promise<void> {
      await ctx.requireHost(actor, gameId);
      const s = await ctx.state(gameId);
      await apply(gameId, s, endGame(s));
    },

    /**
     * Validates and records one answer; the ack never says whether it was right. `mayClose` says this may have been
     * the last connected player's answer: the caller acks first, then runs `closeIfAllAnswered`, so the closing
     * answer's ack does not wait for the whole close.
     */
    async submit(gameId: string, playerId: string, input: AnswerSubmitInput): Promise<{ mayClose: boolean }> {
      const snap = await ctx.snapshot(gameId);
      const q = snap.questions[input.index];
      if (!q) throw liveError(ErrorCode.WRONG_PHASE, '这道题还没有开始');
      if (!answerFits(q, input.answer)) throw invalidInput('答案格式不正确', [{ path: 'answer', message: '答案与题型不符或选项越界' }]);
      const outcome = await answers.accept(gameId, playerId, input.index, JSON.stringify(input.answer), isCorrect(q, input.answer));
      if (!outcome.ok) {
        if (outcome.code === 'NOT_FOUND') throw notFound('对局');
        throw liveError(ErrorCode[outcome.code], outcome.code === 'ALREADY_ANSWERED' ? '已经作答' : outcome.code === 'TOO_LATE' ? '本题已结束' : '这道题还没有开始');
      }
      ctx.output().answersChanged(gameId, input.index);
      return { mayClose: outcome.online > 0 && outcome.answered >= outcome.online };
    },

    async closeIfAllAnswered(gameId: string, index: number): Promise<void> {
      if (await games.allOnlineAnswered(gameId, index)) await closeOpen(gameId, index, true);
    },
  };
}

export type Questions = ReturnType<typeof createQuestions>;
