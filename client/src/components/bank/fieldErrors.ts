import { nextTick } from 'vue';
import { ApiError } from '../../api';

/**
 * The per-field messages of a 400 INVALID_INPUT answer (`details: [{ path, message }]`), keyed by the
 * first path segment ('options.2' -> 'options', 'draw.count' -> 'draw'); the first message per field wins.
 */
export function fieldErrorsOf(e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(e instanceof ApiError) || !Array.isArray(e.details)) return out;
  for (const d of e.details as unknown[]) {
    if (typeof d !== 'object' || d === null) continue;
    const { path, message } = d as { path?: unknown; message?: unknown };
    if (typeof path !== 'string' || typeof message !== 'string') continue;
    const key = path.split('.')[0] || '(body)';
    out[key] ??= message;
  }
  return out;
}

/** After a failed save, brings the first message shown in the open dialog into view. */
export function scrollToFirstError(): void {
  void nextTick(() => document.querySelector('.n-modal [data-test^="q-error"], .n-modal [data-test^="quiz-error"], .n-modal [role=alert]')?.scrollIntoView({ block: 'center', behavior: 'smooth' }));
}
