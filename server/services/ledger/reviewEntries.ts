import type { StoredAttempt, StoredExam } from '../../store/review/examsStore';
import type { Activity } from './activity';

/**
 * A graded exam attempt as a study-record activity (refId: the attempt; examId: which exam, for "take this exam"
 * tasks). The same shape the exams service hands the record when it delivers a graded attempt.
 */
export function examAttemptActivity(exam: Pick<StoredExam, 'title'> | null, attempt: Pick<StoredAttempt, 'id' | 'examId' | 'memberId' | 'score' | 'correct' | 'total'>, at: number): Activity {
  return {
    memberId: attempt.memberId,
    kind: 'exam',
    refId: attempt.id,
    examId: attempt.examId,
    at,
    title: exam?.title ?? '模拟考试',
    result: { score: attempt.score ?? 0, correct: attempt.correct ?? 0, total: attempt.total },
  };
}
