import type { Question } from '../../../shared/schemas/questions';
import type { WrongSource } from '../../../shared/schemas/review';
import { dayKey } from '../../domain/review/day';
import { gradeOutcome, type ReviewGrade } from '../../domain/review/grade';
import type { QuestionsStore } from '../../store/questionsStore';
import type { ApplyStore } from '../../store/review/applyStore';
import type { CardsStore, StoredCard } from '../../store/review/cardsStore';
import type { FailuresStore } from '../../store/review/failuresStore';
import type { AnswerOutcome, ReviewOutcomeSink } from './outcomes';
import type { ReviewLogEntry, Scheduler } from './scheduler';

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
  apply: ApplyStore;
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
  /**
   * Applies one answer; returns the card's next due date when it moved, else null. The card, its log line and the
   * book change in one Lua step; with `once`, at most once (a replayed game or attempt skips it, and its counts).
   */
  async function apply(a: AppliedAnswer, once?: { refId: string; field: string }): Promise<number | null> {
    const day = dayKey(a.at, d.timeZone);
    let moved: { card: StoredCard; log: ReviewLogEntry & { source: string } } | null = null;
    if (a.grade !== null) {
      const before = await d.cards.get(a.memberId, a.question.id);
      const { card, log } = d.scheduler.review(before, a.grade, a.at);
      moved = { card: { ...card, questionVersion: a.question.version }, log: { ...log, source: a.source } };
    }
    const write = { card: moved, correct: a.correct, at: a.at, source: a.source, day, countsForBook: REVIEW_SOURCES.has(a.source), rightDaysToLeave: BOOK_RIGHT_DAYS };
    if (!(await d.apply.apply(a.memberId, a.question.id, once ? { ...write, once } : write))) return null;
    // After the card and book: a crash just here loses these counts, never moves a card twice.
    await Promise.all([
      moved && moved.card.lapses >= LEECH_LAPSES ? d.failures.markLeech(a.question.id) : null,
      d.failures.note(a.question.id, a.correct, a.answer),
      d.cards.noteAnswer(a.memberId, { type: a.question.type, elapsedMs: a.elapsedMs, day, tags: a.question.tags, correct: a.correct }),
    ]);
    return moved?.card.due ?? null;
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
          // The n-th answer to a question in this game or attempt (a quiz may ask one twice): its mark when applied.
          const seen = new Map<string, number>();
          for (const o of list) {
            const n = (seen.get(o.questionId) ?? 0) + 1;
            seen.set(o.questionId, n);
            const question = questions.get(o.questionId);
            if (!question) continue;
            const a = { question, memberId: o.memberId, correct: o.correct, answer: o.answer, at: o.at, source: o.source, grade: gradeOutcome(o.correct), elapsedMs: null };
            await apply(a, { refId: o.refId, field: `${o.questionId}#${n}` });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(SINK_PARALLEL, members.length) }, worker));
    },
  };

  return { apply, sink };
}

export type CardsService = ReturnType<typeof createCardsService>;
