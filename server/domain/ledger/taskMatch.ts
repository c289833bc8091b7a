import { isQualifying, type LedgerEntry } from '../../../shared/schemas/ledger';
import type { Task, TaskTarget } from '../../../shared/schemas/tasks';
import { dayKey } from '../review/day';

/**
 * Does the study record show that a member did what a task asks? Pure: the tasks service feeds it the member's
 * entries (a new one as it lands, or those since the task began when the task is created).
 */

type TaskRule = TaskTarget & Pick<Task, 'from' | 'due'>;
type Entry = Pick<LedgerEntry, 'kind' | 'refId' | 'at' | 'result' | 'sessionKind' | 'materialId' | 'examId' | 'quizId'>;

/** The month a daily_days task counts: the month of its due date in the organisation's time zone (YYYY-MM). */
export const taskMonth = (task: Pick<Task, 'due'>, timeZone: string): string => dayKey(task.due, timeZone).slice(0, 7);

/** Whether this one entry completes a task of a single-entry kind (every kind but daily_days). */
export function entryCompletes(task: TaskRule, entry: Entry): boolean {
  // Entries from before the task was given were not done for it.
  if (entry.at < task.from) return false;
  switch (task.kind) {
    case 'exam':
      return entry.kind === 'exam' && entry.examId === task.target.examId;
    case 'session':
      return entry.kind === 'study_session' && entry.sessionKind === task.target.sessionKind && isQualifying(entry);
    case 'material':
      return entry.kind === 'study_session' && entry.materialId === task.target.materialId && isQualifying(entry);
    case 'reflection':
      return entry.kind === 'reflection';
    case 'live_game':
      return entry.kind === 'live_game' && (task.target.quizId === undefined || entry.quizId === task.target.quizId);
    case 'daily_days':
      return false;
  }
}

/** Distinct days of the task's month with a completed daily set (a daily set's refId is its day, YYYY-MM-DD). */
export function dailyDaysDone(task: Pick<Task, 'due'>, entries: readonly Entry[], timeZone: string): number {
  const month = taskMonth(task, timeZone);
  return new Set(entries.filter((e) => e.kind === 'daily_set' && e.refId.startsWith(`${month}-`)).map((e) => e.refId)).size;
}

/** A task's progress for a member from their entries: done of what is asked (1 for single-entry kinds). */
export function taskProgress(task: TaskRule, entries: readonly Entry[], timeZone: string): { done: number; of: number } {
  if (task.kind === 'daily_days') return { done: Math.min(dailyDaysDone(task, entries, timeZone), task.target.days), of: task.target.days };
  return { done: entries.some((e) => entryCompletes(task, e)) ? 1 : 0, of: 1 };
}

export const isComplete = (progress: { done: number; of: number }): boolean => progress.done >= progress.of;

/** Could this entry move the task forward? (Cheap pre-check before reading more of the member's record.) */
export function entryConcerns(task: TaskRule, entry: Entry, timeZone: string): boolean {
  if (task.kind === 'daily_days') return entry.kind === 'daily_set' && entry.refId.startsWith(`${taskMonth(task, timeZone)}-`);
  return entryCompletes(task, entry);
}

