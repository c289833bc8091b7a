import type { LedgerEntry } from '../../../../shared/schemas/ledger';

type T = (key: string, named?: Record<string, unknown>) => string;

/** 成绩/结果 of an entry as words: points and place, right answers, attendance and minutes (evidence, not a score). */
export function resultText(e: LedgerEntry, t: T): string {
  const r = e.result;
  const parts: string[] = [];
  if (r.status) parts.push(t(`studyRecords.attendance.${r.status}`));
  if (r.minutes !== undefined && r.status && r.status !== 'absent' && r.status !== 'leave') parts.push(t('ledger.mine.minutes', { n: r.minutes }));
  if (r.score !== undefined) parts.push(t('ledger.mine.score', { n: r.score }));
  if (r.rank !== undefined) parts.push(t('ledger.mine.place', { n: r.rank }));
  if (r.correct !== undefined && r.total !== undefined) parts.push(t('ledger.mine.correct', { c: r.correct, t: r.total }));
  return parts.join(t('ledger.sep')) || t('ledger.none');
}

/** 学习形式: the kind, and for a study session which of 三会一课. */
export function formText(e: LedgerEntry, t: T): string {
  return e.kind === 'study_session' && e.sessionKind ? t(`studyRecords.kind.${e.sessionKind}`) : t(`ledger.kind.${e.kind}`);
}
