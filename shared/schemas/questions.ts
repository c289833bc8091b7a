import { z } from 'zod';
import { idSchema } from './common';
import type { ImportRowError } from './users';

export const questionTypeSchema = z.enum(['single', 'multiple', 'judge', 'blank']);
export type QuestionType = z.infer<typeof questionTypeSchema>;

/** Judge questions always offer exactly these two options: answer 0 means 正确, 1 means 错误. */
export const JUDGE_OPTIONS = ['正确', '错误'] as const;

const optionText = z.string().trim().min(1).max(200);

/** A tag (标签) such as 党章 or 纪律处分条例. */
export const tagNameSchema = z.string().trim().min(1, '标签不能为空').max(20, '标签最多 20 个字');

/** The content of a question, as written by an editor or loaded from the starter bank. */
export const questionContentSchema = z
  .object({
    type: questionTypeSchema,
    text: z.string().trim().min(1, '题干不能为空').max(1000),
    // A blank question has none, so a REST user may leave the field out.
    options: z.array(optionText).max(8).default([]),
    answer: z.union([z.number().int().min(0), z.array(z.number().int().min(0)), z.array(z.string().trim().min(1).max(100)).min(1)]),
    explanation: z.string().trim().max(2000).default(''),
    source: z.string().trim().max(200).default(''),
    tags: z.array(tagNameSchema).max(10).transform((t) => [...new Set(t)]).default([]),
    difficulty: z.number().int().min(1).max(3).default(1),
  })
  .superRefine((q, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const distinct = new Set(q.options.map((o) => o.trim()));
    if (distinct.size !== q.options.length) issue('options', '选项不能重复');
    const inRange = (i: number) => i >= 0 && i < q.options.length;
    switch (q.type) {
      case 'single':
        if (q.options.length < 2) issue('options', '单选题需要 2-8 个选项');
        if (typeof q.answer !== 'number' || !inRange(q.answer)) issue('answer', '答案必须是一个有效的选项序号');
        break;
      case 'multiple': {
        if (q.options.length < 2) issue('options', '多选题需要 2-8 个选项');
        const a = q.answer;
        if (!Array.isArray(a) || a.some((x) => typeof x !== 'number')) issue('answer', '多选题答案必须是选项序号列表');
        else if (a.length < 2) issue('answer', '多选题至少有两个正确选项');
        else if (!a.every((x) => inRange(x as number)) || new Set(a as number[]).size !== a.length) issue('answer', '答案包含无效或重复的选项序号');
        break;
      }
      case 'judge':
        if (q.options.length !== 2 || q.options[0] !== JUDGE_OPTIONS[0] || q.options[1] !== JUDGE_OPTIONS[1]) issue('options', '判断题的选项必须是“正确”“错误”');
        if (q.answer !== 0 && q.answer !== 1) issue('answer', '判断题答案必须是 0（正确）或 1（错误）');
        break;
      case 'blank':
        if (q.options.length !== 0) issue('options', '填空题没有选项');
        if (!Array.isArray(q.answer) || q.answer.some((x) => typeof x !== 'string')) issue('answer', '填空题答案必须是可接受答案的列表');
        break;
    }
  });
export type QuestionContent = z.infer<typeof questionContentSchema>;

/** A question as the bank's REST API shows it (staff only: it carries the answer key). */
export interface Question extends QuestionContent {
  id: string;
  createdBy: string;
  /** The owner scope: null is organisation-wide (admins edit it), otherwise the one branch whose secretary edits it. */
  branchId: string | null;
  updatedAt: number;
  version: number;
}

/** Who owns a question: admins choose (null = organisation-wide); a secretary's is always their own branch. */
const questionScopeSchema = z.object({ branchId: idSchema.nullable().optional() });

export const createQuestionSchema = z.intersection(questionContentSchema, questionScopeSchema);
export type CreateQuestionInput = z.infer<typeof createQuestionSchema>;

/** An edit carries the version it was based on; a stale one is refused with CONFLICT. No branchId keeps the scope. */
export const updateQuestionSchema = z.intersection(questionContentSchema, questionScopeSchema.extend({ version: z.number().int().min(1) }));
export type UpdateQuestionInput = z.infer<typeof updateQuestionSchema>;

export const listQuestionsQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  tag: z.string().trim().max(20).optional(),
  type: questionTypeSchema.optional(),
  difficulty: z.coerce.number().int().min(1).max(3).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
});
export type ListQuestionsQuery = z.infer<typeof listQuestionsQuerySchema>;

/** `PUT /api/questions/tags/:tag`: rename a tag on every question; an existing name merges the two. */
export const renameTagSchema = z.object({ name: tagNameSchema });

/** What `POST /api/questions/import` answers (with `?dryRun=1`: what it would do). */
export interface QuestionImportResult {
  created: number;
  updated: number;
  skipped: number;
  errors: ImportRowError[];
}
