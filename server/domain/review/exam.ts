import type { ExamAttempt, ExamBranchResult, ExamQuestion, ExamReviewItem, ExamWindow } from '../../../shared/schemas/exams';
import type { QuestionContent } from '../../../shared/schemas/questions';
import type { AnswerValue } from '../scoring';
import { isCorrect } from '../scoring';

/** Mock exams (issue 11): the pure rules. Times are epoch ms of the server clock. */

type Q = QuestionContent & { id: string };

export const examWindow = (exam: { opensAt: number; closesAt: number }, now: number): ExamWindow =>
  now < exam.opensAt ? 'upcoming' : now < exam.closesAt ? 'open' : 'closed';

/** An attempt ends at its time limit or when the window closes, whichever is first. */
export const attemptDeadline = (startedAt: number, timeLimitMin: number, closesAt: number) => Math.min(startedAt + timeLimitMin * 60_000, closesAt);

/** What a member sees of a question before grading: no answer key, no explanation, no source. */
export const publicQuestion = (q: Q): ExamQuestion => ({ id: q.id, type: q.type, text: q.text, options: [...q.options] });

/** Whether an answer has the shape its question asks for (option numbers in range, one text for a blank). */
export function answerFits(q: Pick<QuestionContent, 'type' | 'options'>, a: AnswerValue): boolean {
  const inRange = (i: number) => Number.isInteger(i) && i >= 0 && i < q.options.length;
  switch (q.type) {
    case 'single':
    case 'judge':
      return typeof a === 'number' && inRange(a);
    case 'multiple':
      return Array.isArray(a) && a.length > 0 && a.every(inRange) && new Set(a).size === a.length;
    case 'blank':
      return typeof a === 'string' && a.trim() !== '';
  }
}

/** The per-question review, shown only once the attempt is graded. */
export function reviewOf(questions: readonly Q[], answers: Readonly<Record<number, AnswerValue>>): ExamReviewItem[] {
  return questions.map((q, index) => {
    const given = answers[index];
    return {
      index,
      questionId: q.id,
      type: q.type,
      text: q.text,
      options: [...q.options],
      yourAnswer: given ?? null,
      correctAnswer: q.answer,
      correct: given !== undefined && isCorrect(q, given),
      explanation: q.explanation,
      source: q.source,
    };
  });
}

/** The ten 10-point bands: 0-9 ... 80-89, 90-100. */
export const bandOf = (score: number) => Math.min(9, Math.max(0, Math.floor(score / 10)));

/** One branch's figures from its members' ids and each participant's best score. */
export function branchResult(branch: { id: string; name: string }, memberIds: readonly string[], best: ReadonlyMap<string, number>): ExamBranchResult {
  const scores = memberIds.map((id) => best.get(id)).filter((s): s is number => s !== undefined);
  const distribution = Array.from({ length: 10 }, () => 0);
  for (const s of scores) distribution[bandOf(s)]! += 1;
  const average = scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10 : null;
  return {
    branchId: branch.id,
    branchName: branch.name,
    members: memberIds.length,
    participants: scores.length,
    participation: memberIds.length ? scores.length / memberIds.length : 0,
    average,
    distribution,
  };
}

/** An attempt as sent: without the frozen questions. */
export function attemptSummary<A extends ExamAttempt>(a: A): ExamAttempt {
  const { id, examId, memberId, startedAt, deadline, status, total, answered, endedAt, gradedBy, correct, score } = a;
  return { id, examId, memberId, startedAt, deadline, status, total, answered, endedAt, gradedBy, correct, score };
}
