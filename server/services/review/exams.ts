import { ErrorCode } from '../../../shared/errors';
import type { Exam, ExamPublishInput, GradedAttemptView, MemberExam, OpenAttemptView } from '../../../shared/schemas/exams';
import type { User } from '../../../shared/schemas/users';
import { answerFits, attemptDeadline, attemptSummary, examWindow, publicQuestion, reviewOf } from '../../domain/review/exam';
import { AppError, forbidden, invalidInput, notFound } from '../../domain/errors';
import { isStaff } from '../../domain/permissions';
import { shuffleOptions, type Random } from '../../domain/quizDraw';
import { isCorrect, type AnswerValue } from '../../domain/scoring';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import type { BranchesStore } from '../../store/branchesStore';
import { newId } from '../../store/ids';
import type { ExamsStore, StoredAttempt, StoredExam } from '../../store/review/examsStore';
import type { ActivitySink } from '../ledger/activity';
import { examAttemptActivity } from '../ledger/reviewEntries';
import type { QuizzesService } from '../quizzesService';
import type { AnswerOutcome, ReviewOutcomeSink } from './outcomes';

export interface ExamsDeps {
  store: ExamsStore;
  quizzes: QuizzesService;
  branches: BranchesStore;
  outcomes: ReviewOutcomeSink;
  /** The study record: one entry per graded attempt. */
  activity: ActivitySink;
  clock: Clock;
  logger: Logger;
  random?: Random;
}

/** A graded attempt whose hand-over (review, record) failed is retried by the sweep after this long. */
const OUTCOME_RETRY_MS = 60_000;

/**
 * Mock exams (模拟考试, issue 11): publish from a quiz, start an attempt inside the window (the server keeps its
 * deadline), answer in any order and change answers until hand-in, graded once at hand-in or at the deadline.
 * The answer key never leaves the server before the attempt is graded.
 */
export function createExamsService({ store, quizzes, branches, outcomes, activity, clock, logger, random = Math.random }: ExamsDeps) {
  const view = (e: StoredExam): Exam => ({
    id: e.id,
    quizId: e.quizId,
    title: e.title,
    timeLimitMin: e.timeLimitMin,
    opensAt: e.opensAt,
    closesAt: e.closesAt,
    branchIds: e.branchIds,
    questionCount: e.questions.length,
    createdBy: e.createdBy,
    createdAt: e.createdAt,
    window: examWindow(e, clock.now()),
  });

  /** Admins see every exam; anyone else the exams for their branch (and a publisher their own). */
  const canSee = (actor: User, e: StoredExam) =>
    actor.role === 'admin' || e.createdBy === actor.id || (actor.branchId !== null && e.branchIds.includes(actor.branchId));

  async function loadExam(actor: User, id: string): Promise<StoredExam> {
    const exam = await store.getExam(id);
    // Another branch's exam is not even named to a member.
    if (!exam || !canSee(actor, exam)) throw notFound('考试');
    return exam;
  }

  async function loadAttempt(actor: User, id: string): Promise<StoredAttempt> {
    const attempt = await store.getAttempt(id);
    // Members see only their own attempts.
    if (!attempt || attempt.memberId !== actor.id) throw notFound('答卷');
    return attempt;
  }

  async function withAttempts(actor: User, exams: StoredExam[]): Promise<MemberExam[]> {
    const mine = await store.attemptsOfUser(actor.id);
    return exams.map((e) => ({ ...view(e), attempts: mine.filter((a) => a.examId === e.id).map(attemptSummary) }));
  }

  /**
   * Hands a graded attempt to the review area (its answers) and the study record (its score), then clears its
   * pending mark. Both take a replay (each answer applied once per attempt; the record keeps its first write), so
   * the sweep retrying after a failure or a crash between grading and this never counts anything twice.
   */
  async function deliver(attempt: StoredAttempt): Promise<void> {
    const answers = await store.answers(attempt.id);
    const at = attempt.endedAt ?? clock.now();
    const list: AnswerOutcome[] = attempt.questions.map((q, i) => {
      const given = answers[i];
      return { memberId: attempt.memberId, questionId: q.id, correct: given !== undefined && isCorrect(q, given), at, source: 'exam', refId: attempt.id, answer: given ?? null };
    });
    try {
      await outcomes.record(list);
      await activity.record([examAttemptActivity(await store.getExam(attempt.examId), attempt, at)]);
      await store.outcomesDelivered(attempt.id);
    } catch (err) {
      logger.error({ err, attemptId: attempt.id }, 'exam outcomes or record not delivered; the sweep retries');
    }
  }

  /** Grades once (hand-in, deadline, or a late read); the one call that graded hands the answers on. */
  async function grade(attempt: StoredAttempt, now: number, requireDue: boolean): Promise<{ attempt: StoredAttempt; graded: boolean }> {
    const result = await store.grade(attempt, now, requireDue);
    const fresh = (await store.getAttempt(attempt.id)) ?? attempt;
    if (result.graded) await deliver(fresh);
    return { attempt: fresh, graded: result.graded };
  }

  /** An open attempt past its deadline is graded on the spot (the sweep may not have run yet). */
  async function current(attempt: StoredAttempt): Promise<StoredAttempt> {
    const now = clock.now();
    return attempt.status === 'open' && now >= attempt.deadline ? (await grade(attempt, now, true)).attempt : attempt;
  }

  async function openView(attempt: StoredAttempt): Promise<OpenAttemptView> {
    return { attempt: attemptSummary(attempt), questions: attempt.questions.map(publicQuestion), answers: await store.answers(attempt.id), deadline: attempt.deadline };
  }

  async function gradedView(attempt: StoredAttempt): Promise<GradedAttemptView> {
    return { attempt: attemptSummary(attempt), review: reviewOf(attempt.questions, await store.answers(attempt.id)) };
  }

  const attemptView = (a: StoredAttempt) => (a.status === 'open' ? openView(a) : gradedView(a));

  return {
    async publish(actor: User, input: ExamPublishInput): Promise<Exam> {
      if (!isStaff(actor)) throw forbidden('只有管理员和支部书记可以发布考试');
      if (actor.role === 'secretary' && input.branchIds.some((id) => id !== actor.branchId)) throw forbidden('支部书记只能为本支部发布考试');
      for (const id of input.branchIds) {
        if (!(await branches.get(id))) throw invalidInput(`支部 ${id} 不存在`, [{ path: 'branchIds', message: `支部 ${id} 不存在` }]);
      }
      const { quiz, questions } = await quizzes.freezeForExam(actor, input.quizId, random);
      const exam: StoredExam = {
        id: newId(),
        quizId: quiz.id,
        title: input.title ?? quiz.title,
        timeLimitMin: input.timeLimitMin,
        opensAt: input.opensAt,
        closesAt: input.closesAt,
        branchIds: input.branchIds,
        shuffleOptions: quiz.shuffleOptions,
        questions,
        createdBy: actor.id,
        createdAt: clock.now(),
      };
      await store.saveExam(exam);
      return view(exam);
    },

    /** Staff: the exams they manage; members: the exams for their branch. Each with the caller's own attempts. */
    async list(actor: User): Promise<MemberExam[]> {
      return withAttempts(actor, (await store.allExams()).filter((e) => canSee(actor, e)));
    },

    async get(actor: User, id: string): Promise<MemberExam> {
      return (await withAttempts(actor, [await loadExam(actor, id)]))[0]!;
    },

    /** Starts an attempt, or resumes the open one: `{ created }` says which. */
    async start(actor: User, examId: string): Promise<OpenAttemptView & { created: boolean }> {
      const exam = await loadExam(actor, examId);
      if (!actor.branchId || !exam.branchIds.includes(actor.branchId)) throw forbidden('这场考试不面向你所在的支部');
      for (let tries = 0; tries < 2; tries++) {
        const now = clock.now();
        const window = examWindow(exam, now);
        if (window === 'upcoming') throw new AppError(ErrorCode.WRONG_PHASE, '考试尚未开始');
        if (window === 'closed') throw new AppError(ErrorCode.TOO_LATE, '考试已经结束');
        const questions = exam.shuffleOptions ? exam.questions.map((q) => shuffleOptions(q, random)) : exam.questions;
        const fresh: StoredAttempt = {
          id: newId(),
          examId,
          memberId: actor.id,
          startedAt: now,
          deadline: attemptDeadline(now, exam.timeLimitMin, exam.closesAt),
          status: 'open',
          total: questions.length,
          answered: 0,
          endedAt: null,
          gradedBy: null,
          correct: null,
          score: null,
          questions,
        };
        const { id, created } = await store.start(exam, fresh);
        const attempt = created ? fresh : await store.getAttempt(id);
        if (!attempt) continue;
        const live = await current(attempt);
        // An open attempt that had run out is graded now; the loop then starts a new one.
        if (live.status === 'open') return { ...(await openView(live)), created };
      }
      throw new AppError(ErrorCode.CONFLICT, '请重试');
    },

    /** The member's own attempt: questions without answers while open, the review once graded. */
    async attempt(actor: User, attemptId: string): Promise<OpenAttemptView | GradedAttemptView> {
      return attemptView(await current(await loadAttempt(actor, attemptId)));
    },

    /** Records or replaces one answer; after hand-in WRONG_PHASE, after the deadline TOO_LATE; nothing written then. */
    async answer(actor: User, attemptId: string, index: number, answer: AnswerValue) {
      const attempt = await loadAttempt(actor, attemptId);
      const question = attempt.questions[index];
      if (!question) throw invalidInput(`本答卷没有第 ${index + 1} 题`, [{ path: 'index', message: `0-${attempt.total - 1}` }]);
      if (!answerFits(question, answer)) throw invalidInput('答案与题型不符', [{ path: 'answer', message: '答案与题型不符' }]);
      const code = await store.answer(attemptId, index, answer, isCorrect(question, answer), clock.now());
      if (code === 'TOO_LATE') throw new AppError(ErrorCode.TOO_LATE, '已超过交卷时间，答案未保存');
      if (code === 'WRONG_PHASE') throw new AppError(ErrorCode.WRONG_PHASE, '已经交卷，不能再修改答案');
      if (code === 'NOT_FOUND') throw notFound('答卷');
      const fresh = (await store.getAttempt(attemptId)) ?? attempt;
      return { attempt: attemptSummary(fresh), index, answer };
    },

    /** Hand-in: grades once (a second or concurrent hand-in gets the same result), then the score and the review. */
    async submit(actor: User, attemptId: string): Promise<GradedAttemptView> {
      const attempt = await loadAttempt(actor, attemptId);
      return gradedView(attempt.status === 'graded' ? attempt : (await grade(attempt, clock.now(), false)).attempt);
    },

    /** Grades every open attempt whose deadline passed, and retries answers not yet handed to the review. */
    async sweep(now: number = clock.now()): Promise<number> {
      let graded = 0;
      for (const id of await store.dueAttempts(now)) {
        const attempt = await store.getAttempt(id);
        if (!attempt || attempt.status !== 'open') {
          await store.dropDeadline(id);
          continue;
        }
        if ((await grade(attempt, now, true)).graded) graded++;
      }
      for (const id of await store.pendingOutcomes(now - OUTCOME_RETRY_MS)) {
        const attempt = await store.getAttempt(id);
        if (attempt) await deliver(attempt);
        else await store.outcomesDelivered(id);
      }
      return graded;
    },

    /** For the results module: an exam its caller may see, and how lists show it. */
    loadExam,
    summary: view,
    canManage: (actor: User, e: StoredExam) => actor.role === 'admin' || (actor.role === 'secretary' && actor.branchId !== null && e.branchIds.includes(actor.branchId)),
  };
}

export type ExamsService = ReturnType<typeof createExamsService>;
