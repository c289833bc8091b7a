import type { LeaderboardPayload, PlayerResultPayload, QuestionClosePayload } from '../../../shared/events';
import type { PublicQuestion } from '../../../shared/schemas/live';
import { branchStandings, distribution, leaderboardTop, rankPlayers, type StoredReveal } from '../../domain/liveResults';
import { isCorrect, type AnswerValue } from '../../domain/scoring';
import type { GameSnapshot } from '../../store/quizzesStore';
import { boundedCache, type LiveContext } from './context';

/** A stored answer is `time|json`; the json part, or null when it cannot be read. */
export function parseAnswer(raw: string | undefined): AnswerValue | null {
  if (raw === undefined) return null;
  try {
    return JSON.parse(raw.slice(raw.indexOf('|') + 1)) as AnswerValue;
  } catch {
    return null;
  }
}

/** A question as players see it (as in `question:open`): no answer, no explanation. */
export function publicQuestion(snap: GameSnapshot, index: number): PublicQuestion {
  const q = snap.questions[index]!;
  return { id: q.id, type: q.type, text: q.text, options: q.options };
}

/** Results and leaderboard of a closed question: computed once from one read of the game's scores. */
export function createResults(ctx: LiveContext) {
  /** The latest close's per-player results in this process, so delivering them needs no second read. */
  const lastResults = boundedCache<{ index: number; results: Map<string, PlayerResultPayload> }>();

  async function compute(gameId: string, index: number): Promise<{ results: Map<string, PlayerResultPayload>; reveal: StoredReveal }> {
    const m = await ctx.meta(gameId);
    const snap = await ctx.snapshot(gameId);
    const data = await ctx.games.closeData(gameId, index);
    const ranked = rankPlayers(
      data.players.map((p) => ({ id: p.id, nickname: p.nickname, branchId: p.branchId, guest: p.userId === null })),
      data.scores,
    );
    const results = new Map<string, PlayerResultPayload>();
    for (const r of ranked) {
      const points = Number(data.points[r.playerId] ?? 0);
      results.set(r.playerId, {
        gameId,
        index,
        correct: r.playerId in data.answers && points > 0,
        points,
        score: r.score,
        rank: r.rank,
        streak: Number(data.streaks[r.playerId] ?? 0),
        answer: parseAnswer(data.answers[r.playerId]),
      });
    }
    const q = snap.questions[index]!;
    const valid = Object.values(data.answers)
      .map((raw) => parseAnswer(raw))
      .filter((a): a is AnswerValue => a !== null);
    const close: QuestionClosePayload = {
      gameId,
      index,
      correctAnswer: q.answer,
      explanation: q.explanation,
      source: q.source,
      distribution: distribution(q, valid),
      question: publicQuestion(snap, index),
    };
    const leaderboard: LeaderboardPayload = { gameId, index, top: leaderboardTop(ranked), totalPlayers: ranked.length };
    if (m.settings.teamMode === 'branch') leaderboard.branches = branchStandings(ranked, await ctx.reports.branchNames());
    lastResults.set(gameId, { index, results });
    return { results, reveal: { close, leaderboard, answered: valid.length, correct: valid.filter((a) => isCorrect(q, a)).length } };
  }

  return {
    compute,

    /** Per-player results of question `index`: this process's copy from the close, else read once. */
    async resultsFor(gameId: string, index: number): Promise<Map<string, PlayerResultPayload>> {
      const cached = lastResults.get(gameId);
      if (cached?.index === index) return cached.results;
      return (await compute(gameId, index)).results;
    },

    forget: (gameId: string) => lastResults.delete(gameId),
  };
}

export type Results = ReturnType<typeof createResults>;
