import type { ExamAttempt } from '../../../shared/schemas/exams';
import type { AnswerValue } from '../../domain/scoring';
import type { RedisClient } from '../../infra/redis';
import { keys } from '../keys';
import type { SnapshotQuestion } from '../quizzesStore';
import { LuaScript } from '../scripts';
import examAnswerLua from '../scripts/examAnswer.lua?raw';
import examGradeLua from '../scripts/examGrade.lua?raw';
import examStartLua from '../scripts/examStart.lua?raw';

const startScript = new LuaScript(examStartLua);
const answerScript = new LuaScript(examAnswerLua);
const gradeScript = new LuaScript(examGradeLua);

/** A published exam as stored: its questions frozen at publish, with the answer key (never sent before grading). */
export interface StoredExam {
  id: string;
  quizId: string;
  title: string;
  timeLimitMin: number;
  opensAt: number;
  closesAt: number;
  branchIds: string[];
  /** Options shuffled per attempt (the quiz's setting when published). */
  shuffleOptions: boolean;
  questions: SnapshotQuestion[];
  createdBy: string;
  createdAt: number;
}

/** An attempt with the questions it was given (options in its own order, answer key included: server only). */
export interface StoredAttempt extends ExamAttempt {
  questions: SnapshotQuestion[];
}

export type AnswerOutcomeCode = 'OK' | 'NOT_FOUND' | 'WRONG_PHASE' | 'TOO_LATE';
export type GradeResult = { graded: true; correct: number; score: number } | { graded: false; reason: 'ALREADY' | 'NOT_DUE' | 'NOT_FOUND' };

const num = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));

function fromHash(h: Record<string, string>, answered: number): StoredAttempt | null {
  if (!h.id) return null;
  return {
    id: h.id,
    examId: h.examId!,
    memberId: h.memberId!,
    startedAt: Number(h.startedAt),
    deadline: Number(h.deadline),
    status: h.status === 'graded' ? 'graded' : 'open',
    total: Number(h.total),
    answered,
    endedAt: num(h.endedAt),
    gradedBy: h.gradedBy === 'submit' || h.gradedBy === 'deadline' ? h.gradedBy : null,
    correct: num(h.correct),
    score: num(h.score),
    questions: JSON.parse(h.questions ?? '[]') as SnapshotQuestion[],
  };
}

/** Exams, attempts and their answers; every step that must happen once (start, answer, grade) is one Lua script. */
export function createExamsStore(redis: RedisClient) {
  async function getAttempts(ids: string[]): Promise<StoredAttempt[]> {
    if (!ids.length) return [];
    const multi = redis.multi();
    for (const id of ids) multi.hGetAll(keys.examAttempt(id)).hLen(keys.examAttemptAnswers(id));
    const replies = (await multi.execAsPipeline()) as unknown as (Record<string, string> | number)[];
    const out: StoredAttempt[] = [];
    for (let i = 0; i < ids.length; i++) {
      const a = fromHash(replies[2 * i] as Record<string, string>, replies[2 * i + 1] as number);
      if (a) out.push(a);
    }
    return out;
  }

  return {
    async saveExam(exam: StoredExam): Promise<void> {
      await redis.multi().set(keys.exam(exam.id), JSON.stringify(exam)).zAdd(keys.examsAll(), { score: exam.opensAt, value: exam.id }).exec();
    },

    async getExam(id: string): Promise<StoredExam | null> {
      const raw = await redis.get(keys.exam(id));
      return raw ? (JSON.parse(raw) as StoredExam) : null;
    },

    /** Every exam, newest window first. */
    async allExams(): Promise<StoredExam[]> {
      const ids = await redis.zRange(keys.examsAll(), 0, -1, { REV: true });
      if (!ids.length) return [];
      const raws = await redis.mGet(ids.map((id) => keys.exam(id)));
      return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as StoredExam);
    },

    /** Starts an attempt unless the member has one open at this exam; returns the attempt to use and whether it is new. */
    async start(exam: StoredExam, attempt: StoredAttempt): Promise<{ id: string; created: boolean }> {
      const reply = (await startScript.run(
        redis,
        [keys.examOpenAttempts(exam.id), keys.examAttempt(attempt.id), keys.examAttempts(exam.id), keys.userExamAttempts(attempt.memberId), keys.examDeadlines()],
        [attempt.memberId, attempt.id, attempt.startedAt, attempt.deadline, exam.id, attempt.total, JSON.stringify(attempt.questions)],
      )) as [string, string];
      return { id: reply[1], created: reply[0] === 'NEW' };
    },

    getAttempt: async (id: string) => (await getAttempts([id]))[0] ?? null,
    getAttempts,

    /** The attempts of one exam, oldest first. */
    async attemptsOfExam(examId: string): Promise<StoredAttempt[]> {
      return getAttempts(await redis.zRange(keys.examAttempts(examId), 0, -1));
    },

    /** A member's attempts at all exams, newest first. */
    async attemptsOfUser(userId: string): Promise<StoredAttempt[]> {
      return getAttempts(await redis.zRange(keys.userExamAttempts(userId), 0, -1, { REV: true }));
    },

    async answers(attemptId: string): Promise<Record<number, AnswerValue>> {
      const raw = await redis.hGetAll(keys.examAttemptAnswers(attemptId));
      return Object.fromEntries(Object.entries(raw).map(([i, v]) => [Number(i), JSON.parse(v) as AnswerValue]));
    },

    async answer(attemptId: string, index: number, answer: AnswerValue, correct: boolean, now: number): Promise<AnswerOutcomeCode> {
      return (await answerScript.run(
        redis,
        [keys.examAttempt(attemptId), keys.examAttemptAnswers(attemptId), keys.examAttemptCorrect(attemptId)],
        [index, JSON.stringify(answer), correct ? 1 : 0, now],
      )) as AnswerOutcomeCode;
    },

    /** Grades once; `requireDue` for the sweep (only past the deadline). */
    async grade(attempt: Pick<StoredAttempt, 'id' | 'examId'>, now: number, requireDue: boolean): Promise<GradeResult> {
      const reply = (await gradeScript.run(
        redis,
        [keys.examAttempt(attempt.id), keys.examAttemptCorrect(attempt.id), keys.examOpenAttempts(attempt.examId), keys.examDeadlines(), keys.examOutcomesPending()],
        [now, attempt.id, requireDue ? 1 : 0],
      )) as [string, number?, number?];
      if (reply[0] === 'GRADED') return { graded: true, correct: Number(reply[1]), score: Number(reply[2]) };
      return { graded: false, reason: reply[0] as 'ALREADY' | 'NOT_DUE' | 'NOT_FOUND' };
    },

    /** Open attempts whose deadline is at or before `now`. */
    dueAttempts: (now: number) => redis.zRangeByScore(keys.examDeadlines(), '-inf', now),
    /** Graded attempts not yet handed to the review sink, graded at or before `before`. */
    pendingOutcomes: (before: number) => redis.zRangeByScore(keys.examOutcomesPending(), '-inf', before),
    async outcomesDelivered(attemptId: string): Promise<void> {
      await redis.zRem(keys.examOutcomesPending(), attemptId);
    },
    /** Drops a deadline entry whose attempt is gone or graded (housekeeping for the sweep). */
    async dropDeadline(attemptId: string): Promise<void> {
      await redis.zRem(keys.examDeadlines(), attemptId);
    },
  };
}

export type ExamsStore = ReturnType<typeof createExamsStore>;
