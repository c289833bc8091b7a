import type { GameRecord } from '../gameReportsService';
import type { Activity } from './activity';

/** A finished live game's logged-in players as study-record activities (guests have no record). */
export function liveGameActivities(report: GameRecord): Activity[] {
  if (report.finishedAt === null) return [];
  return report.players
    .filter((p) => p.userId !== null)
    .map((p) => ({
      memberId: p.userId!,
      kind: 'live_game' as const,
      refId: report.id,
      at: report.finishedAt!,
      title: report.title,
      result: { score: p.score, rank: p.rank, correct: p.correct, total: report.totalQuestions },
      quizId: report.quizId,
    }));
}
