import { z } from 'zod';
import { cleanText, idSchema } from './common';

export const branchSchema = z.object({
  id: z.string(),
  name: z.string(),
  secretaryId: z.string().nullable(),
});
export type Branch = z.infer<typeof branchSchema>;

export const branchNameSchema = cleanText(40);

export const createBranchSchema = z.object({
  name: branchNameSchema,
  secretaryId: idSchema.nullable().optional(),
});
export type CreateBranchInput = z.infer<typeof createBranchSchema>;

export const updateBranchSchema = z
  .object({ name: branchNameSchema, secretaryId: idSchema.nullable() })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: '没有要修改的字段' });
export type UpdateBranchInput = z.infer<typeof updateBranchSchema>;
