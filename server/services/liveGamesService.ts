import type { ServiceDeps } from './deps';
import { createLiveContext, type LiveGamesDeps } from './live/context';
import { createCatchUp } from './live/catchUp';
import { createHostFeed } from './live/hostFeed';
import { createLobby } from './live/lobby';
import { createGamePresence } from './live/presence';
import { createQuestions } from './live/questions';
import { createReportsGlue } from './live/reports';
import { createResults } from './live/results';
import { createSweep } from './live/sweep';

export type { LiveGamesDeps } from './live/context';
export type { CatchUp } from './live/catchUp';

/**
 * The live game, assembled from parts with one job each (see services/live/): lobby and join, questions and
 * their timers, results, the host feed, presence, reports glue, the sweep. Dependencies run one way:
 * context <- results <- reports <- questions <- lobby / presence / catchUp / sweep.
 */
export function createLiveGamesService(deps: ServiceDeps, live: LiveGamesDeps) {
  const ctx = createLiveContext(deps, live);
  const results = createResults(ctx);
  const reports = createReportsGlue(ctx, results);
  const feed = createHostFeed(ctx);
  const questions = createQuestions(ctx, results, reports, feed);
  const lobby = createLobby(ctx, questions);
  const presence = createGamePresence(ctx, questions);
  return {
    meta: ctx.meta,
    state: ctx.state,
    ...lobby,
    start: questions.start,
    next: questions.next,
    end: questions.end,
    submit: questions.submit,
    closeIfAllAnswered: questions.closeIfAllAnswered,
    checkEarlyClose: questions.checkEarlyClose,
    catchUp: createCatchUp(ctx, questions, results, reports),
    resultsFor: results.resultsFor,
    rosterView: feed.rosterView,
    answersView: feed.answersView,
    presence,
    sweep: createSweep(ctx, questions, reports, presence),
  };
}

export type LiveGamesService = ReturnType<typeof createLiveGamesService>;
