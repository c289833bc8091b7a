import type { QuestionClosePayload } from '../../../shared/events';
import type { PublicQuestion } from '../../../shared/schemas/live';
import type { StudyPollResultPayload } from '../../../shared/studyEvents';
import { blankAnswerMatches } from '../../../shared/text';
import type { AnswerValue } from '../live/submission';

/**
 * A study poll's result in the shape the live game's reveal components take (DistributionChart, RevealDetails),
 * so the poll reuses them rather than drawing its own; the game-only fields carry the poll's ids.
 */
export function pollAsClose(result: StudyPollResultPayload, question: PublicQuestion): QuestionClosePayload {
  return {
    gameId: result.sessionId,
    index: 0,
    correctAnswer: result.correctAnswer,
    explanation: result.explanation,
    source: result.source,
    distribution: result.distribution,
    question,
  };
}

/** Whether this device's answer was right, by the same rule the server counts with (shared blank comparison). */
export function pollAnswerRight(question: PublicQuestion, correct: StudyPollResultPayload['correctAnswer'], given: AnswerValue): boolean {
  switch (question.type) {
    case 'single':
    case 'judge':
      return given === correct;
    case 'multiple': {
      if (!Array.isArray(given) || !Array.isArray(correct)) return false;
      const want = [...(correct as number[])].sort((a, b) => a - b);
      const got = [...given].sort((a, b) => a - b);
      return want.length === got.length && want.every((v, i) => v === got[i]);
    }
    case 'blank':
      return typeof given === 'string' && Array.isArray(correct) && blankAnswerMatches(correct as string[], given);
  }
}
