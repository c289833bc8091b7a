import type { QuestionContent } from '../../shared/schemas/questions';
import { blankAnswerMatches } from '../../shared/text';

export interface ScoringRules {
  speedBonus: boolean;
  streakBonus: boolean;
}

/** Points for a correct answer before any streak bonus: 1000 at once, 500 at the deadline; flat 1000 without speed bonus. */
export function basePoints(elapsedMs: number, timeLimitMs: number, speedBonus: boolean): number {
  if (!speedBonus) return 1000;
  const elapsed = Math.min(Math.max(elapsedMs, 0), timeLimitMs);
  return Math.round(1000 * (1 - elapsed / (2 * timeLimitMs)));
}

/** The streak bonus: 0, 100, 200 … capped at 500, for the 1st, 2nd, 3rd … consecutive correct answer. */
export const streakBonus = (streak: number) => Math.min(100 * (streak - 1), 500);

/** Points and new streak after one question; a wrong or missing answer scores 0 and resets the streak. */
export function scoreAnswer(
  correct: boolean,
  previousStreak: number,
  elapsedMs: number,
  timeLimitMs: number,
  rules: ScoringRules,
): { points: number; streak: number } {
  if (!correct) return { points: 0, streak: 0 };
  const streak = previousStreak + 1;
  const bonus = rules.streakBonus ? streakBonus(streak) : 0;
  return { points: basePoints(elapsedMs, timeLimitMs, rules.speedBonus) + bonus, streak };
}

export type AnswerValue = number | number[] | string;

/** Whether an answer is right: multiple choice only when exactly the correct set; blanks by the shared comparison. */
export function isCorrect(q: Pick<QuestionContent, 'type' | 'answer'>, given: AnswerValue): boolean {
  switch (q.type) {
    case 'single':
    case 'judge':
      return typeof given === 'number' && given === q.answer;
    case 'multiple': {
      if (!Array.isArray(given) || !Array.isArray(q.answer)) return false;
      const want = [...(q.answer as number[])].sort((a, b) => a - b);
      const got = [...given].sort((a, b) => a - b);
      return want.length === got.length && want.every((v, i) => v === got[i]);
    }
    case 'blank':
      return typeof given === 'string' && blankAnswerMatches(q.answer as string[], given);
  }
}

/** Standard competition ranking (1, 2, 2, 4) over scores sorted high to low. */
export function competitionRanks<T extends { score: number }>(entries: T[]): (T & { rank: number })[] {
  const sorted = [...entries].sort((a, b) => b.score - a.score);
  let rank = 0;
  return sorted.map((e, i) => {
    if (i === 0 || e.score !== sorted[i - 1]!.score) rank = i + 1;
    return { ...e, rank };
  });
}
