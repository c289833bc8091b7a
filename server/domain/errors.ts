import { ErrorCode, type FieldIssue } from '../../shared/errors';

/** A failure with a stable code; transports turn it into the shared error envelope. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const unauthenticated = (message = '请先登录') => new AppError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = '没有权限执行此操作') => new AppError(ErrorCode.FORBIDDEN, message);
export const notFound = (what: string) => new AppError(ErrorCode.NOT_FOUND, `${what}不存在`);
export const conflict = (message: string, details?: unknown) => new AppError(ErrorCode.CONFLICT, message, details);
export const invalidInput = (message: string, details?: FieldIssue[]) =>
  new AppError(ErrorCode.INVALID_INPUT, message, details);

/** A failure with one of the live-game codes (WRONG_PHASE, TOO_LATE …). */
export const liveError = (code: ErrorCode, message: string) => new AppError(code, message);
