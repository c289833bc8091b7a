/**
 * How an answer becomes an FSRS grade (issue 11). Pure: the caller says whether the answer was right, how long it
 * took, the member's usual time for this question type, and whether this is the card's first attempt in the sitting.
 * The grade names follow FSRS (1 Again, 2 Hard, 3 Good, 4 Easy); Easy is never given by default: a member who knows a
 * rule well still sees it again, just less often.
 */
export type ReviewGrade = 'again' | 'hard' | 'good' | 'easy';

/** An answer slower than this many times the member's median for the type counts as Hard. */
export const HARD_FACTOR = 3;

export interface AnswerFacts {
  correct: boolean;
  /** From the question shown to the answer received (server times). */
  elapsedMs: number;
  /** The member's median answer time for this question type, or null before there is one. */
  medianMs: number | null;
  /** Only the first attempt at a card in a sitting moves the card; later ones are practice. */
  firstInSitting: boolean;
}

/** The grade for the card, or null when this attempt must not move it. */
export function gradeAnswer(a: AnswerFacts): ReviewGrade | null {
  if (!a.firstInSitting) return null;
  if (!a.correct) return 'again';
  if (a.medianMs !== null && a.medianMs > 0 && a.elapsedMs > HARD_FACTOR * a.medianMs) return 'hard';
  return 'good';
}

/** Answers outside the review (a live game, an exam) move the card with the plain right/wrong grade. */
export const gradeOutcome = (correct: boolean): ReviewGrade => (correct ? 'good' : 'again');

/** The median of recent answer times (ms), for the Hard rule; null with none. */
export function medianOf(times: readonly number[]): number | null {
  if (times.length === 0) return null;
  const sorted = [...times].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
