import type { GameFinishedPayload, LeaderboardPayload, PlayerResultPayload, QuestionClosePayload, QuestionOpenPayload } from '../../../shared/events';
import type { StoredReveal } from '../../domain/liveResults';
import type { LiveContext } from './context';
import type { Questions } from './questions';
import type { ReportsGlue } from './reports';
import type { Results } from './results';

/** What a (re)joining socket is sent to catch up with the phase, in this order. Enough to render the screen. */
export interface CatchUp {
  open?: QuestionOpenPayload;
  close?: QuestionClosePayload;
  result?: PlayerResultPayload;
  leaderboard?: LeaderboardPayload;
  finished?: GameFinishedPayload;
}

export function createCatchUp(ctx: LiveContext, questions: Questions, results: Results, reports: ReportsGlue) {
  /** The events for the current phase; the player's own result (with their answer) only for players. */
  return async function catchUp(gameId: string, playerId: string | null): Promise<CatchUp> {
    const s = await ctx.state(gameId);
    if (s.phase === 'question') return { open: await questions.openPayload(gameId, s) };
    if (s.phase === 'reveal') {
      const reveal = await ctx.games.reveal<StoredReveal>(gameId, s.index);
      if (!reveal) return {};
      const result = playerId ? (await results.resultsFor(gameId, s.index)).get(playerId) : undefined;
      return { close: reveal.close, result, leaderboard: reveal.leaderboard };
    }
    if (s.phase === 'finished') return { finished: await reports.finishedPayload(gameId) };
    return {};
  };
}
