/** Stable error codes shared by REST and socket answers. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  INVALID_INPUT: 'INVALID_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  RATE_LIMITED: 'RATE_LIMITED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
  /** The account must change its password before anything else (mustChangePassword). */
  PASSWORD_CHANGE_REQUIRED: 'PASSWORD_CHANGE_REQUIRED',
  /** The request body's media type or charset is not accepted (JSON in UTF-8 only). */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  // Live games (the `/live` socket protocol).
  WRONG_PHASE: 'WRONG_PHASE',
  ALREADY_ANSWERED: 'ALREADY_ANSWERED',
  TOO_LATE: 'TOO_LATE',
  NICKNAME_TAKEN: 'NICKNAME_TAKEN',
  GAME_FULL: 'GAME_FULL',
  /** The host locked the game: no new players (rejoins still work). */
  GAME_LOCKED: 'GAME_LOCKED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One field-level problem, as reported in `details` of an INVALID_INPUT error. */
export interface FieldIssue {
  path: string;
  message: string;
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** The one error envelope used by every REST answer and every failed socket ack. */
export interface ErrorEnvelope {
  error: ErrorBody;
}
