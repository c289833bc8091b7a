import type { FailuresStore } from '../../store/review/failuresStore';
import type { GameRecord } from '../gameReportsService';
import type { AnswerOutcome, ReviewOutcomeSink } from './outcomes';

/**
 * A finished live game's answers of logged-in players go to the review (cards, wrong-answer book), at least once:
 * finalise may run again after a crash (the sweep). Each answer is applied at most once per (game, member, question)
 * by the sink itself, so the game is marked recorded only after the sink has applied them all: a crash in between
 * is healed by the replay, which skips what was applied and does the rest.
 */
export function createLiveGameHook(sink: ReviewOutcomeSink, failures: FailuresStore) {
  return {
    async gameFinished(report: GameRecord): Promise<void> {
      if (!report.detail) return;
      const members = new Map(report.players.filter((p) => p.userId !== null).map((p) => [p.playerId, p.userId!]));
      const questionIds = new Map(report.questions.map((q) => [q.index, q.id]));
      const at = report.finishedAt ?? report.createdAt;
      const outcomes: AnswerOutcome[] = [];
      for (const a of report.detail.answers) {
        const memberId = members.get(a.playerId);
        const questionId = questionIds.get(a.index);
        if (memberId && questionId) outcomes.push({ memberId, questionId, correct: a.correct, at, source: 'live', refId: report.id, answer: a.answer });
      }
      if (outcomes.length === 0 || (await failures.gameRecorded(report.id))) return;
      await sink.record(outcomes);
      await failures.markGameRecorded(report.id);
    },
  };
}
