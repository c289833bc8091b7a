import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../../shared/schemas/ledger';
import type { TaskTarget } from '../../../shared/schemas/tasks';
import { dailyDaysDone, entryCompletes, entryConcerns, isComplete, taskMonth, taskProgress } from '../../../server/domain/ledger/taskMatch';

const TZ = 'Asia/Shanghai';
// A fixed "now" instead of the wall clock: 2026-03-10 12:00 in Beijing.
const NOW = Date.UTC(2026, 2, 10, 4);
const DAY = 24 * 3600_000;

const entry = (over: Partial<LedgerEntry>): LedgerEntry => ({
  id: 'x',
  memberId: 'm1',
  branchId: 'b1',
  kind: 'live_game',
  refId: 'g1',
  at: NOW + 1000,
  hours: 0,
  title: '',
  result: {},
  note: '',
  ...over,
});
const task = (t: TaskTarget, over: { from?: number; due?: number } = {}) => ({ ...t, from: NOW, due: NOW + 10 * DAY, ...over }) as TaskTarget & { from: number; due: number };

describe('issue 12: does a study-record entry complete a task (taskMatch)', () => {
  it('issue 12: an exam task is completed by an attempt of that exam only', () => {
    const t = task({ kind: 'exam', target: { examId: 'e1' } });
    expect(entryCompletes(t, entry({ kind: 'exam', examId: 'e1' }))).toBe(true);
    expect(entryCompletes(t, entry({ kind: 'exam', examId: 'e2' }))).toBe(false);
    expect(entryCompletes(t, entry({ kind: 'practice' }))).toBe(false);
  });

  it('issue 12: entries from before the task was given do not count', () => {
    const t = task({ kind: 'reflection', target: {} });
    expect(entryCompletes(t, entry({ kind: 'reflection', at: NOW - 1 }))).toBe(false);
    expect(entryCompletes(t, entry({ kind: 'reflection', at: NOW }))).toBe(true);
  });

  it('issue 12: a session task needs that session kind, attended (缺席 and 请假 do not count)', () => {
    const t = task({ kind: 'session', target: { sessionKind: 'party_lecture' } });
    const s = (status: 'present' | 'late' | 'absent' | 'leave', sessionKind: 'party_lecture' | 'theme_day' = 'party_lecture') =>
      entry({ kind: 'study_session', sessionKind, result: { status, minutes: 60 } });
    expect(entryCompletes(t, s('present'))).toBe(true);
    expect(entryCompletes(t, s('late'))).toBe(true);
    expect(entryCompletes(t, s('absent'))).toBe(false);
    expect(entryCompletes(t, s('leave'))).toBe(false);
    expect(entryCompletes(t, s('present', 'theme_day'))).toBe(false);
  });

  it('issue 12: a material task needs an attended session that studied that material', () => {
    const t = task({ kind: 'material', target: { materialId: 'mat1' } });
    expect(entryCompletes(t, entry({ kind: 'study_session', materialId: 'mat1', result: { status: 'present' } }))).toBe(true);
    expect(entryCompletes(t, entry({ kind: 'study_session', materialId: 'mat1', result: { status: 'absent' } }))).toBe(false);
    expect(entryCompletes(t, entry({ kind: 'study_session', materialId: 'mat2', result: { status: 'present' } }))).toBe(false);
  });

  it('issue 12: a live-game task matches any game, or only the named quiz', () => {
    expect(entryCompletes(task({ kind: 'live_game', target: {} }), entry({ kind: 'live_game', quizId: 'q9' }))).toBe(true);
    const named = task({ kind: 'live_game', target: { quizId: 'q1' } });
    expect(entryCompletes(named, entry({ kind: 'live_game', quizId: 'q1' }))).toBe(true);
    expect(entryCompletes(named, entry({ kind: 'live_game', quizId: 'q2' }))).toBe(false);
    expect(entryCompletes(named, entry({ kind: 'live_game' }))).toBe(false);
  });

  it('issue 12: daily_days counts distinct days of the due month (org time zone), the whole month, earlier days too', () => {
    // Due 2026-03-31 23:30 Beijing = 15:30 UTC the same day; in UTC it is still March, but one hour later it is April in Beijing.
    const t = task({ kind: 'daily_days', target: { days: 3 } }, { due: Date.UTC(2026, 2, 31, 15, 30) });
    expect(taskMonth(t, TZ)).toBe('2026-03');
    expect(taskMonth({ due: Date.UTC(2026, 2, 31, 16, 30) }, TZ)).toBe('2026-04');
    const daily = (day: string, at = NOW - 5 * DAY) => entry({ kind: 'daily_set', refId: day, at });
    const entries = [daily('2026-03-01'), daily('2026-03-02'), daily('2026-02-28'), daily('2026-03-02')];
    expect(dailyDaysDone(t, entries, TZ)).toBe(2);
    expect(taskProgress(t, entries, TZ)).toEqual({ done: 2, of: 3 });
    expect(isComplete(taskProgress(t, entries, TZ))).toBe(false);
    const more = [...entries, daily('2026-03-09'), daily('2026-03-10')];
    expect(taskProgress(t, more, TZ)).toEqual({ done: 3, of: 3 });
    expect(entryConcerns(t, daily('2026-03-11'), TZ)).toBe(true);
    expect(entryConcerns(t, daily('2026-04-01'), TZ)).toBe(false);
  });
});
