import { z } from 'zod';
import { cleanText, idSchema } from './common';
import { answerValueSchema, type PublicQuestion } from './live';
import type { QuestionType } from './questions';
import { instantSchema } from './study';

/** Mock exams (模拟考试, issue 11): published from a quiz for some branches, with a total time limit and an open window. */
export const examPublishSchema = z
  .object({
    quizId: idSchema,
    /** Not given: the quiz's title. */
    title: cleanText(100).optional(),
    /** The total time of one attempt, in minutes. */
    timeLimitMin: z.number().int().min(1).max(600),
    opensAt: instantSchema,
    closesAt: instantSchema,
    branchIds: z
      .array(idSchema)
      .min(1, '请选择至少一个支部')
      .max(200)
      .transform((ids) => [...new Set(ids)]),
  })
  .refine((e) => e.closesAt > e.opensAt, { message: '结束时间必须晚于开始时间', path: ['closesAt'] });
export type ExamPublishInput = z.infer<typeof examPublishSchema>;

/** PUT /api/exams/attempts/:id/answers/:index: the question decides which shape is right. */
export const examAnswerSchema = z.object({ answer: answerValueSchema });
export type ExamAnswerInput = z.infer<typeof examAnswerSchema>;

/** The :index of an answer route (query-string text). */
export const examAnswerIndexSchema = z.string().regex(/^\d{1,4}$/, '不是有效的题号').transform(Number);

export const examResultsQuerySchema = z.object({ format: z.enum(['json', 'xlsx']).default('json') });

/** Before, during or after the window (server time). */
export type ExamWindow = 'upcoming' | 'open' | 'closed';

/** An exam as lists and GET /api/exams/:id show it: never its questions. */
export interface Exam {
  id: string;
  quizId: string;
  title: string;
  timeLimitMin: number;
  opensAt: number;
  closesAt: number;
  branchIds: string[];
  questionCount: number;
  createdBy: string;
  createdAt: number;
  window: ExamWindow;
}

export type ExamAttemptStatus = 'open' | 'graded';

/** One attempt; score and correct only once graded. Never a rank. */
export interface ExamAttempt {
  id: string;
  examId: string;
  memberId: string;
  startedAt: number;
  /** min(start + time limit, the exam's closesAt), epoch ms of the server clock. */
  deadline: number;
  status: ExamAttemptStatus;
  total: number;
  answered: number;
  /** When answering stopped: the hand-in, or the deadline for an attempt left open. */
  endedAt: number | null;
  gradedBy: 'submit' | 'deadline' | null;
  correct: number | null;
  score: number | null;
}

/** A member's view of an exam: the exam and their own attempts, newest first. */
export interface MemberExam extends Exam {
  attempts: ExamAttempt[];
}

/** An open attempt's question: no answer key, no explanation, no source. */
export type ExamQuestion = PublicQuestion;

/** An open attempt as its member sees it: the questions (no answers) and what they answered so far. */
export interface OpenAttemptView {
  attempt: ExamAttempt;
  questions: ExamQuestion[];
  /** index -> the member's current answer. */
  answers: Record<number, z.infer<typeof answerValueSchema>>;
  deadline: number;
}

/** One line of the per-question review, only after grading. */
export interface ExamReviewItem {
  index: number;
  questionId: string;
  type: QuestionType;
  text: string;
  options: string[];
  yourAnswer: z.infer<typeof answerValueSchema> | null;
  correctAnswer: number | number[] | string[];
  correct: boolean;
  explanation: string;
  source: string;
}

export interface GradedAttemptView {
  attempt: ExamAttempt;
  review: ExamReviewItem[];
}

/** Results of one branch: participation, average of each participant's best score, 10-point bands. */
export interface ExamBranchResult {
  branchId: string;
  branchName: string;
  members: number;
  participants: number;
  /** participants / members, 0..1. */
  participation: number;
  /** Mean of participants' best scores; null with no participant. */
  average: number | null;
  /** Ten bands: 0-9, 10-19, ..., 90-100 (100 falls in the last). */
  distribution: number[];
}

export interface ExamMemberResult {
  memberId: string;
  name: string;
  branchId: string;
  attempts: number;
  bestScore: number;
  lastEndedAt: number;
}

export interface ExamResults {
  exam: Exam;
  branches: ExamBranchResult[];
  members: ExamMemberResult[];
}
