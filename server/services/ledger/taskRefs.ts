import type { RedisClient } from '../../infra/redis';
import { createQuizzesStore } from '../../store/quizzesStore';
import { createExamsStore } from '../../store/review/examsStore';
import { createMaterialsStore } from '../../store/study/materialsStore';
import type { TaskRefs } from './taskInput';

/**
 * What a task may point at (an exam, a material, a quiz), read by title only to check it exists when the task is
 * given: a read-only exception to "the ledger reads only the record", like the backfill.
 */
export function createTaskRefs(redis: RedisClient): TaskRefs {
  const exams = createExamsStore(redis);
  const materials = createMaterialsStore(redis);
  const quizzes = createQuizzesStore(redis);
  return {
    examTitle: async (id) => (await exams.getExam(id))?.title ?? null,
    materialTitle: async (id) => (await materials.get(id))?.title ?? null,
    quizTitle: async (id) => (await quizzes.get(id))?.title ?? null,
  };
}
