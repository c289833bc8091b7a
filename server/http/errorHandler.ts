import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ErrorCode, type ErrorEnvelope } from '../../shared/errors';
import { AppError } from '../domain/errors';
import type { Logger } from '../infra/logger';

const STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
  PASSWORD_CHANGE_REQUIRED: 403,
  UNSUPPORTED_MEDIA_TYPE: 415,
  WRONG_PHASE: 409,
  ALREADY_ANSWERED: 409,
  TOO_LATE: 409,
  NICKNAME_TAKEN: 409,
  GAME_FULL: 409,
  GAME_LOCKED: 409,
};

export const statusFor = (code: ErrorCode) => STATUS[code];

export function envelope(code: ErrorCode, message: string, details?: unknown): ErrorEnvelope {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Turns body-parser, router and multer failures into AppErrors so the client always sees the envelope. */
function fromFrameworkError(err: unknown): AppError | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { type?: string; code?: string; status?: number; message?: string };
  if (e.type === 'entity.parse.failed') return new AppError(ErrorCode.INVALID_INPUT, '请求体不是有效的 JSON');
  if (e.type === 'entity.too.large' || e.code === 'LIMIT_FILE_SIZE') return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, '请求或文件过大');
  if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported' || e.status === 415) {
    return new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, '请求体须为 UTF-8 编码的 JSON');
  }
  if (typeof e.code === 'string' && e.code.startsWith('LIMIT_')) return new AppError(ErrorCode.INVALID_INPUT, `上传格式不正确：${e.message ?? e.code}`);
  if (e.status === 413) return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, '请求或文件过大');
  // Any other client error a framework raised (bad percent-encoding in a path, an aborted body…).
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return new AppError(ErrorCode.INVALID_INPUT, e.message ?? '请求格式不正确');
  return null;
}

export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof AppError) {
      res.status(STATUS[err.code]).json(envelope(err.code, err.message, err.details));
      return;
    }
    const known = fromFrameworkError(err);
    if (known) {
      // The client's mistake, not ours: worth a line at info, never a stack at error.
      logger.info({ code: known.code, reason: (err as Error).message, method: req.method, url: req.originalUrl }, 'request refused');
      res.status(STATUS[known.code]).json(envelope(known.code, known.message));
      return;
    }
    logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled request error');
    res.status(500).json(envelope(ErrorCode.INTERNAL, '服务器内部错误，请稍后重试'));
  };
}

export const apiNotFound: RequestHandler = (req, res) => {
  res.status(404).json(envelope(ErrorCode.NOT_FOUND, `没有这个接口：${req.method} ${req.path}`));
};
