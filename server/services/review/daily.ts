import { createHash } from 'node:crypto';
import type { DailySet } from '../../../shared/schemas/review';
import type { User } from '../../../shared/schemas/users';
import { dayKey } from '../../domain/review/day';
import type { Clock } from '../../infra/clock';
import type { QuestionsStore } from '../../store/questionsStore';
import type { CardsStore } from '../../store/review/cardsStore';
import type { SittingsStore } from '../../store/review/sittingsStore';
import { itemsOf, visibleTo } from './view';

export interface DailySettings {
  /** Questions a day (REVIEW_DAILY_COUNT). */
  count: number;
  /** The tags new questions come from (REVIEW_TAGS); empty = every tag. */
  tags: string[];
  timeZone: string;
}

export interface DailyDeps {
  cards: CardsStore;
  sittings: SittingsStore;
  questions: QuestionsStore;
  clock: Clock;
  settings: DailySettings;
}

/** A stable per-member order of new questions: members do not all meet the same new question on the same day. */
const mixKey = (memberId: string, questionId: string) => createHash('sha1').update(`${memberId}:${questionId}`).digest('hex');

/** 每日一练: due cards first (most overdue first), then new questions from the period's tags; fixed for the day. */
export function createDailyService(d: DailyDeps) {
  async function newCandidates(): Promise<string[]> {
    if (d.settings.tags.length === 0) return (await d.questions.all()).map((q) => q.id);
    return [...new Set((await Promise.all(d.settings.tags.map((t) => d.questions.idsWithTag(t)))).flat())];
  }

  async function assemble(member: User, now: number): Promise<string[]> {
    const cards = await d.cards.all(member.id);
    const due = [...cards].filter(([, c]) => c.due <= now).sort(([, a], [, b]) => a.due - b.due).map(([id]) => id);
    const picked: string[] = [];
    /** Takes visible questions from `ids` in order until the set is full, reading them a set's worth at a time. */
    const fill = async (ids: string[]) => {
      for (let from = 0; from < ids.length && picked.length < d.settings.count; from += d.settings.count) {
        // getMany keeps the asked order, so `picked` stays most overdue first.
        for (const q of await d.questions.getMany(ids.slice(from, from + d.settings.count))) {
          if (picked.length < d.settings.count && visibleTo(member, q)) picked.push(q.id);
        }
      }
    };
    // A member with 80 cards due needs 5 of them: read a set's worth at a time, not every due question.
    await fill(due);
    if (picked.length < d.settings.count) {
      await fill((await newCandidates()).filter((id) => !cards.has(id)).sort((a, b) => mixKey(member.id, a).localeCompare(mixKey(member.id, b))));
    }
    return picked;
  }

  /** Today's set for the member, assembled at the first call of the day (the first device's list wins). */
  async function todaysIds(member: User, now: number, day: string): Promise<string[]> {
    return (await d.sittings.daily(member.id, day)) ?? (await d.sittings.fixDaily(member.id, day, await assemble(member, now)));
  }

  return {
    todaysIds,

    async get(member: User): Promise<DailySet> {
      const now = d.clock.now();
      const day = dayKey(now, d.settings.timeZone);
      const ids = await todaysIds(member, now, day);
      const [questions, answered, cards] = await Promise.all([d.questions.getMany(ids), d.sittings.dailyAnswered(member.id, day), d.cards.all(member.id)]);
      const items = itemsOf(ids, new Map(questions.map((q) => [q.id, q])), answered, cards);
      return { date: day, items, done: items.filter((i) => i.answered).length, total: items.length, due: [...cards.values()].filter((c) => c.due <= now).length };
    },
  };
}

export type DailyService = ReturnType<typeof createDailyService>;
