import type { z } from 'zod';
import { invalidInput } from './errors';

/**
 * Parses input with a shared schema; a mismatch becomes INVALID_INPUT naming each field at fault.
 * Transport-neutral (REST and sockets alike), so realtime/ need not reach into http/.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  const first = details[0];
  throw invalidInput(first ? `输入不正确：${first.path} ${first.message}` : '输入不正确', details);
}
