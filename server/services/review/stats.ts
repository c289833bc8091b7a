import type { BranchReviewSummary, HardQuestion, MyStats, TopicProgress } from '../../../shared/schemas/review';
import { forbidden, notFound } from '../../domain/errors';
import type { User } from '../../../shared/schemas/users';
import { canSeeScoped } from '../../domain/permissions';
import { dayKey, nextDays } from '../../domain/review/day';
import type { Clock } from '../../infra/clock';
import type { QuestionsStore } from '../../store/questionsStore';
import type { CardsStore } from '../../store/review/cardsStore';
import type { FailuresStore } from '../../store/review/failuresStore';
import { visibleTo } from './view';

/** How many questions 学员常错题 lists. */
export const HARD_LIST_MAX = 50;

export interface StatsDeps {
  cards: CardsStore;
  failures: FailuresStore;
  questions: QuestionsStore;
  clock: Clock;
  timeZone: string;
  /** Active members of a branch, or null when there is no such branch. */
  branchMembers(branchId: string): Promise<{ id: string }[] | null>;
}

const accuracyOf = (recent: readonly string[]): number | null => (recent.length ? recent.filter((r) => r === '1').length / recent.length : null);

/** Per-tag progress, the member's own statistics, and the staff's most-failed questions. */
export function createStatsService(d: StatsDeps) {
  /** Tag -> the ids of the questions the member may review under it. */
  async function tagsOf(member: User): Promise<Map<string, string[]>> {
    const byTag = new Map<string, string[]>();
    for (const q of await d.questions.all()) {
      if (!visibleTo(member, q)) continue;
      for (const t of q.tags) byTag.set(t, [...(byTag.get(t) ?? []), q.id]);
    }
    return byTag;
  }

  return {
    /** 专项练习 progress: per tag, questions answered at least once (they have a card) of the total, accuracy over the last 50. */
    async topics(member: User): Promise<{ items: TopicProgress[] }> {
      const [byTag, carded] = await Promise.all([tagsOf(member), d.cards.questionIds(member.id)]);
      const recent = await d.cards.tagRecent(member.id, [...byTag.keys()]);
      const items = [...byTag].map(([tag, ids]) => ({ tag, total: ids.length, answered: ids.filter((id) => carded.has(id)).length, accuracy: accuracyOf(recent.get(tag) ?? []) }));
      items.sort((a, b) => b.total - a.total || a.tag.localeCompare(b.tag, 'zh-CN'));
      return { items };
    },

    async mine(member: User): Promise<MyStats> {
      const now = d.clock.now();
      const month = dayKey(now, d.timeZone).slice(0, 7);
      const [days, byTag, cards] = await Promise.all([d.cards.days(member.id), tagsOf(member), d.cards.all(member.id)]);
      const recent = await d.cards.tagRecent(member.id, [...byTag.keys()]);
      const accuracyByTag = [...recent]
        .filter(([, r]) => r.length > 0)
        .map(([tag, r]) => ({ tag, answers: r.length, accuracy: accuracyOf(r) }))
        .sort((a, b) => b.answers - a.answers || a.tag.localeCompare(b.tag, 'zh-CN'));
      const week = nextDays(now, 7, d.timeZone);
      const counts = new Map(week.map((day) => [day, 0]));
      for (const c of cards.values()) {
        // Overdue cards count today: that is when the member will see them.
        const day = c.due <= now ? week[0]! : dayKey(c.due, d.timeZone);
        if (counts.has(day)) counts.set(day, counts.get(day)! + 1);
      }
      return { month, daysStudied: days.filter((day) => day.startsWith(month)).length, accuracyByTag, dueForecast: week.map((date) => ({ date, due: counts.get(date)! })) };
    },

    /**
     * A branch's self review in aggregate for its secretary (admins: any branch): how many members reviewed on each of
     * the last 7 days and the pooled accuracy by tag. Counts only: no member's answers, no ranking.
     */
    async branchSummary(actor: User, requested: string | undefined): Promise<BranchReviewSummary> {
      if (actor.role === 'member') throw forbidden('支部的自学概况由支部书记和管理员查看');
      if (actor.role === 'secretary' && requested !== undefined && requested !== actor.branchId) throw forbidden('只能查看本支部的自学概况');
      const branchId = requested ?? actor.branchId ?? '';
      const members = branchId ? await d.branchMembers(branchId) : null;
      if (!members) throw notFound('支部');
      const now = d.clock.now();
      const days = nextDays(now - 6 * 86_400_000, 7, d.timeZone);
      const tags = (await d.questions.tagCounts()).map((t) => t.tag);
      const perDay = new Map(days.map((day) => [day, 0]));
      let reviewedThisWeek = 0;
      const pooled = new Map<string, string[]>();
      for (const m of members) {
        const [studied, recent] = await Promise.all([d.cards.days(m.id), d.cards.tagRecent(m.id, tags)]);
        const inWeek = studied.filter((day) => perDay.has(day));
        if (inWeek.length) reviewedThisWeek++;
        for (const day of inWeek) perDay.set(day, perDay.get(day)! + 1);
        for (const [tag, r] of recent) if (r.length) pooled.set(tag, [...(pooled.get(tag) ?? []), ...r]);
      }
      const accuracyByTag = [...pooled]
        .map(([tag, r]) => ({ tag, answers: r.length, accuracy: accuracyOf(r) ?? 0 }))
        .sort((a, b) => b.answers - a.answers || a.tag.localeCompare(b.tag, 'zh-CN'));
      return { branchId, days, members: members.length, reviewedThisWeek, perDay: days.map((date) => ({ date, members: perDay.get(date)! })), accuracyByTag };
    },

    /** 学员常错题 for admins and secretaries (a secretary sees organisation-wide and their branch's questions). */
    async hard(actor: User): Promise<{ items: HardQuestion[] }> {
      const failed = await d.failures.failed();
      const questions = new Map((await d.questions.getMany(failed.map((f) => f.questionId))).map((q) => [q.id, q]));
      const leeches = await d.failures.leeches();
      const ranked = failed
        .filter((f) => questions.has(f.questionId) && canSeeScoped(actor, questions.get(f.questionId)!))
        .sort((a, b) => b.fails - a.fails || b.fails / b.attempts - a.fails / a.attempts || a.questionId.localeCompare(b.questionId))
        .slice(0, HARD_LIST_MAX);
      const items = await Promise.all(
        ranked.map(async (f): Promise<HardQuestion> => {
          const q = questions.get(f.questionId)!;
          return { questionId: q.id, text: q.text, type: q.type, tags: q.tags, attempts: f.attempts, fails: f.fails, failureRate: f.fails / f.attempts, commonWrongAnswer: await d.failures.commonWrong(q.id), leech: leeches.has(q.id) };
        }),
      );
      return { items };
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
