import { z } from 'zod';
import { cleanText, idSchema } from './common';
import { questionTypeSchema } from './questions';

export const drawRuleSchema = z.object({
  count: z.number().int().min(1).max(200),
  tags: z.array(z.string().trim().min(1).max(20)).max(10).optional(),
  types: z.array(questionTypeSchema).max(4).optional(),
  difficulty: z.number().int().min(1).max(3).optional(),
});
export type DrawRule = z.infer<typeof drawRuleSchema>;

/** A quiz (试卷): a fixed list, a draw rule applied when a game starts, or both. */
export const quizInputSchema = z
  .object({
    title: cleanText(100),
    description: z.string().trim().max(1000).optional(),
    questionIds: z.array(idSchema).max(200).optional(),
    draw: drawRuleSchema.optional(),
    timeLimitSec: z.number().int().min(5).max(300).default(20),
    /** Not given: true on create (options shuffled per game), unchanged on edit. */
    shuffleOptions: z.boolean().optional(),
    branchId: idSchema.nullable().optional(),
  })
  .refine((q) => (q.questionIds?.length ?? 0) > 0 || q.draw, { message: '请选择题目或设置抽题规则', path: ['questionIds'] })
  .refine((q) => new Set(q.questionIds ?? []).size === (q.questionIds?.length ?? 0), { message: '题目不能重复', path: ['questionIds'] });
export type QuizInput = z.infer<typeof quizInputSchema>;

export interface Quiz {
  id: string;
  title: string;
  description: string;
  questionIds: string[];
  draw: DrawRule | null;
  timeLimitSec: number;
  shuffleOptions: boolean;
  /** null: organisation-wide (created by an admin). */
  branchId: string | null;
  createdBy: string;
  updatedAt: number;
}
