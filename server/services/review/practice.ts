import { randomInt } from 'node:crypto';
import type { PracticeFinishResult, PracticeSitting, PracticeStartInput } from '../../../shared/schemas/review';
import type { User } from '../../../shared/schemas/users';
import { notFound } from '../../domain/errors';
import type { Clock } from '../../infra/clock';
import { newId } from '../../store/ids';
import type { QuestionsStore } from '../../store/questionsStore';
import type { CardsStore } from '../../store/review/cardsStore';
import type { PracticeDoc, SittingsStore } from '../../store/review/sittingsStore';
import type { WrongBookStore } from '../../store/review/wrongBookStore';
import type { Completion } from './completion';
import { itemsOf, visibleTo } from './view';

/** A sitting holds at most this many questions (a phone screen at a time; start another for more). */
export const PRACTICE_MAX = 100;

export interface PracticeDeps {
  cards: CardsStore;
  sittings: SittingsStore;
  questions: QuestionsStore;
  wrongBook: WrongBookStore;
  completion: Completion;
  clock: Clock;
}

function shuffle<T>(list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

/**
 * 专项练习 and 练习错题: a sitting of one tag's questions (or the book's), in bank order or shuffled; resumable on any
 * device until it is finished (结束练习, or its last answer).
 */
export function createPracticeService(d: PracticeDeps) {
  /** The member's own sitting; another member's is not found (not even named as existing). */
  async function load(member: User, id: string): Promise<PracticeDoc> {
    const doc = await d.sittings.practice(member.id, id);
    if (!doc) throw notFound('练习');
    return doc;
  }

  return {
    async start(member: User, input: PracticeStartInput): Promise<PracticeSitting> {
      const ids = input.fromWrongBook ? [...(await d.wrongBook.all(member.id)).keys()] : input.tag ? await d.questions.idsWithTag(input.tag) : (await d.questions.all()).map((q) => q.id);
      const questions = (await d.questions.getMany(ids)).filter((q) => visibleTo(member, q) && (!input.tag || q.tags.includes(input.tag)));
      // Bank order: oldest edit first, as the bank lists it from the bottom; ties by id so the order is stable.
      const ordered = input.order === 'random' ? shuffle(questions) : questions.sort((a, b) => a.updatedAt - b.updatedAt || a.id.localeCompare(b.id));
      const chosen = ordered.slice(0, PRACTICE_MAX);
      const id = newId();
      const doc = { tag: input.tag ?? null, order: input.order, fromWrongBook: input.fromWrongBook ?? false, questionIds: chosen.map((q) => q.id), createdAt: d.clock.now() };
      await d.sittings.createPractice(member.id, id, doc);
      const items = itemsOf(doc.questionIds, new Map(chosen.map((q) => [q.id, q])), new Map(), await d.cards.all(member.id));
      return { id, tag: doc.tag, order: doc.order, fromWrongBook: doc.fromWrongBook, items, total: items.length, finished: null };
    },

    /** The sitting as `start` gave it, with each answered item's result (never an unanswered item's key). */
    async get(member: User, id: string): Promise<PracticeSitting> {
      const doc = await load(member, id);
      const [questions, answered, cards, finished] = await Promise.all([
        d.questions.getMany(doc.questionIds),
        d.sittings.practiceAnswered(member.id, id),
        d.cards.all(member.id),
        d.sittings.practiceFinished(member.id, id),
      ]);
      const items = itemsOf(doc.questionIds, new Map(questions.map((q) => [q.id, q])), answered, cards);
      const summary = finished ? { answered: finished.answered, correct: finished.correct } : null;
      return { id, tag: doc.tag, order: doc.order, fromWrongBook: doc.fromWrongBook, items, total: items.length, finished: summary };
    },

    /** 结束练习: finished once (answers after it are refused); a repeat gives the same summary. */
    async finish(member: User, id: string): Promise<PracticeFinishResult> {
      const { answered, correct } = await d.completion.finishPractice(member.id, id, await load(member, id));
      return { answered, correct };
    },
  };
}

export type PracticeService = ReturnType<typeof createPracticeService>;
