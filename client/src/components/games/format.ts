import type { GameReport } from '../../../../shared/schemas/live';

export type ReportQuestion = GameReport['questions'][number];
export type ReportPlayer = GameReport['players'][number];

export const LETTERS = 'ABCDEFGH';

const pad = (n: number) => String(n).padStart(2, '0');

/** "2025-05-01 14:30" in the browser's time zone; the same in every language. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Whole percent of part in whole, or null when whole is 0. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((100 * part) / whole) : null;
}

/** The indexes of the right options of a choice question (empty for blanks). */
export function correctOptions(q: ReportQuestion): number[] {
  if (q.type === 'blank') return [];
  return Array.isArray(q.correctAnswer) ? (q.correctAnswer as number[]) : [q.correctAnswer];
}

/** The correct answer as shown: "A" or "ABC" letters for choices, the option text for judge, the accepted words for blanks. */
export function correctAnswerLetters(q: ReportQuestion): string {
  if (q.type === 'blank') return (q.correctAnswer as string[]).join(' / ');
  if (q.type === 'judge') return correctOptions(q).map((i) => q.options[i] ?? '').join('');
  return correctOptions(q).map((i) => LETTERS[i]).join('');
}

/** Per-option answer counts for choice questions, or null for blanks. */
export function optionCounts(q: ReportQuestion): number[] | null {
  return Array.isArray(q.distribution) ? q.distribution : null;
}
