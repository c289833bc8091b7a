import type { QuestionType } from '../../shared/schemas/questions';
import { isCorrect, type AnswerValue } from './scoring';

/** One player's answer to one question, as the report keeps it. */
export interface AnswerDetail {
  playerId: string;
  index: number;
  answer: AnswerValue;
  correct: boolean;
  /** Null when the points were no longer kept (a report rebuilt long after the game). */
  points: number | null;
  /** From the question opening to the answer arriving; null when the opening time is unknown. */
  timeMs: number | null;
}

/** A branch's game: who was on the roll when it finished, and who of them took no part (the basis of 参学率). */
export interface BranchRoll {
  branchId: string;
  members: number;
  absent: { userId: string; displayName: string; username: string }[];
}

/** What the stored record carries beyond the report the API returns. */
export interface ReportDetail {
  answers: AnswerDetail[];
  roll: BranchRoll | null;
}

/** An answer as recorded in the live keys (time it arrived, parsed JSON, points if still kept). */
export interface GivenAnswer {
  playerId: string;
  at: number;
  answer: unknown;
  points: number | null;
}

interface QuestionKey {
  index: number;
  type: QuestionType;
  correctAnswer: number | number[] | string[];
}

const isAnswerValue = (v: unknown): v is AnswerValue =>
  typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)) || (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x)));

/** Every recorded answer of the asked questions, graded the way the live game graded it. */
export function answerDetails(questions: readonly QuestionKey[], given: ReadonlyMap<number, readonly GivenAnswer[]>, openedAt: ReadonlyMap<number, number>): AnswerDetail[] {
  const out: AnswerDetail[] = [];
  for (const q of questions) {
    const opened = openedAt.get(q.index);
    for (const g of given.get(q.index) ?? []) {
      if (!isAnswerValue(g.answer)) continue;
      const timeMs = opened === undefined || !Number.isFinite(g.at) ? null : Math.max(0, g.at - opened);
      out.push({ playerId: g.playerId, index: q.index, answer: g.answer, correct: isCorrect({ type: q.type, answer: q.correctAnswer }, g.answer), points: g.points, timeMs });
    }
  }
  return out;
}

/** Branch members on the roll (not disabled) who neither played nor hosted, in roll order. */
export function branchRoll(
  branchId: string,
  members: readonly { id: string; displayName: string; username: string; disabled: boolean }[],
  playerUserIds: readonly (string | null)[],
  hostId: string,
): BranchRoll {
  const active = members.filter((m) => !m.disabled);
  const present = new Set<string>([hostId, ...playerUserIds.filter((id): id is string => id !== null)]);
  const absent = active.filter((m) => !present.has(m.id)).map((m) => ({ userId: m.id, displayName: m.displayName, username: m.username }));
  return { branchId, members: active.length, absent };
}

const LETTERS = 'ABCDEFGH';
const letter = (i: number) => LETTERS[i] ?? '?';

/**
 * An answer as a reader of the report wants it: letters and option text for choice questions
 * ("AC. 政治纪律；廉洁纪律"), the option text for 判断, the text itself for blanks.
 */
export function answerLabel(q: { type: QuestionType; options: readonly string[] }, answer: AnswerValue | string[]): string {
  if (q.type === 'blank') return Array.isArray(answer) ? answer.join(' | ') : String(answer);
  const picked = (Array.isArray(answer) ? [...(answer as number[])] : [answer as number]).sort((a, b) => a - b);
  if (q.type === 'judge') return picked.map((i) => q.options[i] ?? letter(i)).join('');
  return `${picked.map(letter).join('')}. ${picked.map((i) => q.options[i] ?? '').join('；')}`;
}

/** A share 0-1 (accuracy, 参学率); null when there is nothing to divide by. */
export const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
