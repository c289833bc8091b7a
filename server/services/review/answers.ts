import type { Question } from '../../../shared/schemas/questions';
import type { ReviewAnswerInput, ReviewAnswerResult } from '../../../shared/schemas/review';
import type { User } from '../../../shared/schemas/users';
import { conflict, forbidden, invalidInput, notFound } from '../../domain/errors';
import { dayKey } from '../../domain/review/day';
import { gradeAnswer, medianOf } from '../../domain/review/grade';
import { isCorrect, type AnswerValue } from '../../domain/scoring';
import type { Clock } from '../../infra/clock';
import type { QuestionsStore } from '../../store/questionsStore';
import type { CardsStore } from '../../store/review/cardsStore';
import type { AnsweredItem, PracticeDoc, SittingsStore } from '../../store/review/sittingsStore';
import type { CardsService } from './cards';
import type { Completion } from './completion';
import type { DailyService } from './daily';

export interface AnswersDeps {
  cards: CardsStore;
  cardsService: CardsService;
  sittings: SittingsStore;
  questions: QuestionsStore;
  daily: DailyService;
  completion: Completion;
  clock: Clock;
  timeZone: string;
}

/** Longer than this between two answers is a break, not the time the question took. */
export const MAX_THINK_MS = 10 * 60_000;

type Sitting = { key: { daily: string; ids: string[] } | { practice: string; doc: PracticeDoc }; answered: Map<string, AnsweredItem>; startedAt: number | null };

const finished = () => conflict('这次练习已经结束');

/** Review answers: graded on the server, for a question of the member's current set or sitting only, each attemptId once. */
export function createAnswersService(d: AnswersDeps) {
  /** The sitting the answer belongs to, or the reason it is refused (before anything is written). */
  async function sittingOf(member: User, input: ReviewAnswerInput, now: number): Promise<Sitting> {
    if (input.mode === 'daily') {
      const day = dayKey(now, d.timeZone);
      const ids = await d.sittings.daily(member.id, day);
      if (!ids?.includes(input.questionId)) throw forbidden('这道题不在你今天的每日一练中');
      return { key: { daily: day, ids }, answered: await d.sittings.dailyAnswered(member.id, day), startedAt: null };
    }
    const doc = await d.sittings.practice(member.id, input.sittingId!);
    if (!doc) throw notFound('练习');
    if (doc.fromWrongBook !== (input.mode === 'wrong_book')) throw invalidInput('答题方式与这次练习不符', [{ path: 'mode', message: '与练习不符' }]);
    if (!doc.questionIds.includes(input.questionId)) throw forbidden('这道题不在这次练习中');
    if (await d.sittings.practiceFinished(member.id, input.sittingId!)) throw finished();
    return { key: { practice: input.sittingId!, doc }, answered: await d.sittings.practiceAnswered(member.id, input.sittingId!), startedAt: doc.createdAt };
  }

  /**
   * From the previous answer in the sitting (or its start) to this one: the time the member spent on this question.
   * Unknown for a day's first answer, and beyond MAX_THINK_MS (the member took a break, which is not slowness).
   */
  function elapsedOf(s: Sitting, now: number): number | null {
    const last = Math.max(s.startedAt ?? 0, ...[...s.answered.values()].map((a) => a.at));
    const elapsed = now - last;
    return last > 0 && elapsed >= 0 && elapsed <= MAX_THINK_MS ? elapsed : null;
  }

  async function grade(member: User, input: ReviewAnswerInput, q: Question, s: Sitting, now: number): Promise<ReviewAnswerResult> {
    const correct = isCorrect(q, input.answer as AnswerValue);
    const card = await d.cards.get(member.id, q.id);
    const revised = card !== null && card.questionVersion !== q.version;
    const elapsedMs = elapsedOf(s, now);
    const base: ReviewAnswerResult = { correct, correctAnswer: q.answer, explanation: q.explanation, source: q.source, nextDue: null, ...(revised ? { revised: true as const } : {}) };
    // The first answer in the sitting (HSETNX, so two at once cannot both be first) is the one that moves the card.
    const mark = await d.sittings.markAnswered(member.id, s.key, q.id, { result: base, at: now });
    // Finished between the check and this answer: refused, and nothing was written.
    if (mark === 'FINISHED') throw finished();
    const first = mark === 'FIRST';
    const medianMs = medianOf(await d.cards.recentTimes(member.id, q.type));
    const g = gradeAnswer({ correct, elapsedMs: elapsedMs ?? 0, medianMs, firstInSitting: first });
    const source = 'daily' in s.key ? 'daily' : input.mode;
    const nextDue = await d.cardsService.apply({ question: q, memberId: member.id, correct, answer: input.answer, at: now, source, grade: g, elapsedMs });
    const result = { ...base, nextDue };
    if (first) await d.sittings.setAnswered(member.id, s.key, q.id, { result, at: now });
    return result;
  }

  /** After an answer (fresh or a retry of a recorded one): a set or practice now complete goes to the record. */
  async function complete(member: User, input: ReviewAnswerInput, now: number, s?: Sitting): Promise<void> {
    if (input.mode === 'daily') {
      const day = s && 'daily' in s.key ? s.key.daily : dayKey(now, d.timeZone);
      const ids = s && 'daily' in s.key ? s.key.ids : await d.sittings.daily(member.id, day);
      if (ids) await d.completion.afterDailyAnswer(member.id, day, ids);
      return;
    }
    const doc = s && 'doc' in s.key ? s.key.doc : await d.sittings.practice(member.id, input.sittingId!);
    if (doc) await d.completion.afterPracticeAnswer(member.id, input.sittingId!, doc);
  }

  return {
    async answer(member: User, input: ReviewAnswerInput): Promise<ReviewAnswerResult> {
      const now = d.clock.now();
      // A retry of a recorded answer gets its first result even when the set has changed since (past midnight).
      const recorded = await d.sittings.attemptResult(member.id, input.attemptId);
      if (recorded) {
        await complete(member, input, now);
        return recorded as ReviewAnswerResult;
      }
      const s = await sittingOf(member, input, now);
      const q = await d.questions.get(input.questionId);
      if (!q) throw notFound('题目');
      const claim = await d.sittings.claimAttempt(member.id, input.attemptId);
      if (!claim.claimed) return claim.result as ReviewAnswerResult;
      let result: ReviewAnswerResult;
      try {
        result = await grade(member, input, q, s, now);
        await d.sittings.finishAttempt(member.id, input.attemptId, result);
      } catch (err) {
        await d.sittings.releaseAttempt(member.id, input.attemptId);
        throw err;
      }
      // The answer is kept; a failure from here on is healed by the client's retry (it lands in `recorded` above).
      await complete(member, input, now, s);
      return result;
    },
  };
}

export type AnswersService = ReturnType<typeof createAnswersService>;
