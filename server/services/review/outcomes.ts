/**
 * Where every answer a member gives outside the review itself lands (issue 11): a live game (logged-in players),
 * an exam attempt. The review area implements it (card update with the plain right/wrong grade, the wrong-answer
 * book); the areas that own those answers call it when the answers are final, at least once: the sink applies each
 * answer at most once per (source, refId, member, question and its occurrence in the list), so a replay after a
 * crash does the rest and never moves a card twice. A replay must pass the same list in the same order.
 */
export interface AnswerOutcome {
  memberId: string;
  questionId: string;
  correct: boolean;
  /** When the answer was given (server time, epoch ms). */
  at: number;
  source: 'live' | 'exam' | 'daily' | 'practice' | 'wrong_book';
  /** The game, exam attempt or sitting the answer belongs to. */
  refId: string;
  /** What the member answered (for the most common wrong answer of a hard question). */
  answer: number | number[] | string | null;
}

export interface ReviewOutcomeSink {
  record(outcomes: AnswerOutcome[]): Promise<void>;
}
