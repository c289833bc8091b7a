import type { RequestParamHandler } from 'express';
import type { z } from 'zod';
import { ErrorCode } from '../../shared/errors';
import { idSchema } from '../../shared/schemas/common';
import { AppError, invalidInput } from '../domain/errors';

/** Parses input with a shared schema; a mismatch becomes INVALID_INPUT naming each field at fault. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  const first = details[0];
  throw invalidInput(first ? `输入不正确：${first.path} ${first.message}` : '输入不正确', details);
}

/**
 * For `router.param('id', idParam)`: an id outside the id alphabet names nothing, so 404 before any
 * handler runs (and before it can reach a Redis key of another type, as `<id>:sessions` once did).
 */
export const idParam: RequestParamHandler = (_req, _res, next, value: unknown) => {
  if (idSchema.safeParse(value).success) return next();
  next(new AppError(ErrorCode.NOT_FOUND, '没有这个编号的记录'));
};
