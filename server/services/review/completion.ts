import type { Clock } from '../../infra/clock';
import type { PracticeDoc, PracticeSummary, SittingsStore } from '../../store/review/sittingsStore';
import type { ActivitySink } from '../ledger/activity';

/** The record's title of a practice: its tag, 错题练习 for the book, 专项练习 for a practice of every tag. */
export const practiceTitle = (doc: Pick<PracticeDoc, 'tag' | 'fromWrongBook'>) => (doc.fromWrongBook ? '错题练习' : (doc.tag ?? '专项练习'));

/**
 * When a daily set or a practice is complete, the study record hears of it (issue 11 -> issue 12). Always after the
 * sitting's own state is written, and on every call that finds it complete, not only the first: the record keeps
 * the first write per (kind, refId, member), so a retry after a crash between the two heals the record.
 */
export interface CompletionDeps {
  sittings: SittingsStore;
  activity: ActivitySink;
  clock: Clock;
  /** Which of these questions still exist: one deleted after the set or sitting was made can no longer be answered. */
  existing(ids: string[]): Promise<Set<string>>;
}

export function createCompletion(d: CompletionDeps) {
  /** Every question answered, or the ones left were deleted since (the member sees only the rest). */
  async function allAnswered(ids: readonly string[], answered: { has(id: string): boolean }): Promise<boolean> {
    const open = ids.filter((id) => !answered.has(id));
    if (open.length === 0) return true;
    if (open.length === ids.length) return false;
    return (await d.existing(open)).size === 0;
  }

  /** Finishes a practice (once: answers after it are refused); a practice with no answers records nothing. */
  async function finishPractice(memberId: string, sittingId: string, doc: PracticeDoc): Promise<PracticeSummary> {
    const { summary } = await d.sittings.finishPractice(memberId, sittingId, d.clock.now());
    if (summary.answered > 0) {
      await d.activity.record([{ memberId, kind: 'practice', refId: sittingId, at: summary.at, title: practiceTitle(doc), result: { correct: summary.correct, total: summary.answered } }]);
    }
    return summary;
  }

  return {
    finishPractice,

    /** After an answer in a practice: its last question answered finishes it. */
    async afterPracticeAnswer(memberId: string, sittingId: string, doc: PracticeDoc): Promise<void> {
      const answered = await d.sittings.practiceAnswered(memberId, sittingId);
      if (doc.questionIds.length > 0 && (await allAnswered(doc.questionIds, answered))) await finishPractice(memberId, sittingId, doc);
    },

    /** After an answer in the day's set: its last item answered is the day's 每日一练 in the record. */
    async afterDailyAnswer(memberId: string, day: string, ids: readonly string[]): Promise<void> {
      const answered = await d.sittings.dailyAnswered(memberId, day);
      if (ids.length === 0 || !(await allAnswered(ids, answered))) return;
      const items = ids.filter((id) => answered.has(id)).map((id) => answered.get(id)!);
      const at = Math.max(...items.map((i) => i.at));
      await d.activity.record([{ memberId, kind: 'daily_set', refId: day, at, title: '每日一练', result: { correct: items.filter((i) => i.result.correct).length, total: items.length } }]);
    },
  };
}

export type Completion = ReturnType<typeof createCompletion>;
