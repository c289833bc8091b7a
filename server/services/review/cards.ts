import type { Question } from '../../../shared/schemas/questions';
import type { WrongSource } from '../../../shared/schemas/review';
import { dayKey } from '../../domain/review/day';
import { gradeOutcome, type ReviewGrade } from '../../domain/review/grade';
import type { QuestionsStore } from '../../store/questionsStore';
import type { CardsStore } from '../../store/review/cardsStore';
import type { FailuresStore } from '../../store/review/failuresStore';
import type { WrongBookStore } from '../../store/review/wrongBookStore';
import type { AnswerOutcome, ReviewOutcomeSink } from './outcomes';
import type { Scheduler } from './scheduler';

/** A card failed this many times is a leech: flagged for staff in 学员常错题. */
export const LEECH_LAPSES = 8;
/** Right answers on this many distinct days take a question out of the wrong-answer book. */
export const BOOK_RIGHT_DAYS = 2;
/** Sources that count as a review for leaving the book (a live game or an exam does not). */
const REVIEW_SOURCES: ReadonlySet<WrongSource> = new Set(['daily', 'practice', 'wrong_book']);

/** Members whose outcomes are applied at the same time (Redis round trips overlap; one member's stay in order). */
const SINK_PARALLEL = 32;

export interface AppliedAnswer {
  question: Question;
  memberId: string;
  correct: boolean;
  answer: unknown;
  at: number;
  source: WrongSource;
  /** Null: this attempt does not move the card (not the first in its sitting). */
  grade: ReviewGrade | null;
  /** Review answers only: the time it took, for the member's median per type. */
  elapsedMs: number | null;
}

export interface CardsDeps {
  cards: CardsStore;
  wrongBook: WrongBookStore;
  failures: FailuresStore;
  questions: QuestionsStore;
  scheduler: Scheduler;
  timeZone: string;
}

/**
 * Everything one answer changes in the review area: the card (FSRS), the log, the wrong-answer book, the
 * question's failure counts, the member's times, days and topic results. Live games and exams reach it through
 * `record` (the ReviewOutcomeSink); the review's own answers through `apply`.
 */
export function createCardsService(d: CardsDeps) {
  async function updateBook(a: AppliedAnswer, day: string): Promise<void> {
    const entry = await d.wrongBook.get(a.memberId, a.question.id);
    if (!a.correct) {
      const sources = entry ? [...new Set([...entry.sources, a.source])] : [a.source];
      // A new wrong answer starts the count of right days again.
      await d.wrongBook.put(a.memberId, a.question.id, { firstWrongAt: entry?.firstWrongAt ?? a.at, lastWrongAt: a.at, sources, rightDays: [] });
      return;
    }
    if (!entry || !REVIEW_SOURCES.has(a.source) || entry.rightDays.includes(day)) return;
    const rightDays = [...entry.rightDays, day];
    if (rightDays.length >= BOOK_RIGHT_DAYS) await d.wrongBook.remove(a.memberId, a.question.id);
    else await d.wrongBook.put(a.memberId, a.question.id, { ...entry, rightDays });
  }

  /** Applies one answer; returns the card's next due date when it moved, else null. */
  async function apply(a: AppliedAnswer): Promise<number | null> {
    const day = dayKey(a.at, d.timeZone);
    let nextDue: number | null = null;
    if (a.grade !== null) {
      const before = await d.cards.get(a.memberId, a.question.id);
      const { card, log } = d.scheduler.review(before, a.grade, a.at);
      const stored = { ...card, questionVersion: a.question.version };
      await d.cards.save(a.memberId, a.question.id, stored, { ...log, source: a.source });
      if (stored.lapses >= LEECH_LAPSES) await d.failures.markLeech(a.question.id);
      nextDue = stored.due;
    }
    await Promise.all([
      updateBook(a, day),
      d.failures.note(a.question.id, a.correct, a.answer),
      d.cards.noteAnswer(a.memberId, { type: a.question.type, elapsedMs: a.elapsedMs, day, tags: a.question.tags, correct: a.correct }),
    ]);
    return nextDue;
  }

  const sink: ReviewOutcomeSink = {
    /** Answers from a live game or an exam: the plain right/wrong grade; questions deleted since are skipped. */
    async record(outcomes: AnswerOutcome[]): Promise<void> {
      const questions = new Map((await d.questions.getMany([...new Set(outcomes.map((o) => o.questionId))])).map((q) => [q.id, q]));
      const byMember = new Map<string, AnswerOutcome[]>();
      for (const o of outcomes) byMember.set(o.memberId, [...(byMember.get(o.memberId) ?? []), o]);
      // Members side by side (a Party Day game has thousands), each member's answers in order, so two answers to one
      // question (a quiz asking it twice) move the card one after the other.
      const members = [...byMember.values()];
      const worker = async () => {
        for (let list = members.pop(); list; list = members.pop()) {
          for (const o of list) {
            const question = questions.get(o.questionId);
            if (question) await apply({ question, memberId: o.memberId, correct: o.correct, answer: o.answer, at: o.at, source: o.source, grade: gradeOutcome(o.correct), elapsedMs: null });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(SINK_PARALLEL, members.length) }, worker));
    },
  };

  return { apply, sink };
}

export type CardsService = ReturnType<typeof createCardsService>;
