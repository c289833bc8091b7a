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
  // Live games (the `/live` socket protocol).
  WRONG_PHASE: 'WRONG_PHASE',
  ALREADY_ANSWERED: 'ALREADY_ANSWERED',
  TOO_LATE: 'TOO_LATE',
  NICKNAME_TAKEN: 'NICKNAME_TAKEN',
  GAME_FULL: 'GAME_FULL',
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
