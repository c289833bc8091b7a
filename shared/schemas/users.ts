import { z } from 'zod';
import { cleanText, idSchema, pageQuerySchema } from './common';

export const roleSchema = z.enum(['admin', 'secretary', 'member']);
export type Role = z.infer<typeof roleSchema>;

export const PASSWORD_MIN_LENGTH = 8;
export const passwordSchema = z.string().min(PASSWORD_MIN_LENGTH).max(128);

/** Letters (including Chinese), digits and . _ - @; compared case-insensitively. */
export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}_.@-]{2,32}$/u, '用户名为 2-32 位字母、数字或 . _ - @');

export const displayNameSchema = cleanText(40);

/** A user as every API answer shows it: never a password hash. */
export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  branchId: z.string().nullable(),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
});
export type User = z.infer<typeof userSchema>;

export const createUserSchema = z.object({
  username: usernameSchema,
  displayName: displayNameSchema,
  password: passwordSchema,
  role: roleSchema,
  branchId: idSchema.nullable().optional(),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const updateUserSchema = z
  .object({
    displayName: displayNameSchema,
    role: roleSchema,
    branchId: idSchema.nullable(),
    /** A password reset by someone else: the user must change it at next login. */
    password: passwordSchema,
    disabled: z.boolean(),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: '没有要修改的字段' });
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

export const listUsersQuerySchema = pageQuerySchema.extend({
  branchId: idSchema.optional(),
  q: z.string().trim().max(40).optional(),
});
export type ListUsersQuery = z.infer<typeof listUsersQuerySchema>;

export const importQuerySchema = z.object({
  dryRun: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
});

export interface ImportCreatedRow {
  row: number;
  username: string;
  /** Present only when the password was generated: shown once. */
  password?: string;
}
export interface ImportRowError {
  row: number;
  message: string;
}
export interface UserImportResult {
  created: ImportCreatedRow[];
  errors: ImportRowError[];
}
