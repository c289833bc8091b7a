import { z } from 'zod';
import { idSchema } from './common';
import type { QuestionType } from './questions';

/** The error codes a `/live` ack may carry, in the order the checks run. */
export const LIVE_ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'PASSWORD_CHANGE_REQUIRED',
  'NOT_FOUND',
  'INVALID_INPUT',
  'WRONG_PHASE',
  'ALREADY_ANSWERED',
  'TOO_LATE',
  'NICKNAME_TAKEN',
  'RATE_LIMITED',
  'GAME_FULL',
  'GAME_LOCKED',
] as const;
export type LiveErrorCode = (typeof LIVE_ERROR_CODES)[number];

export type LivePhase = 'lobby' | 'question' | 'reveal' | 'finished';
export type TeamMode = 'none' | 'branch';

/** Nicknames: trimmed, control characters stripped, 1-20 characters. */
export const nicknameSchema = z
  .string()
  .transform((s) => s.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g, '').trim())
  .pipe(z.string().min(1, '请输入昵称').max(20, '昵称最多 20 个字'));

export const pinSchema = z.string().regex(/^\d{6}$/, 'PIN 是 6 位数字');

export const gameCreateSchema = z.object({
  quizId: idSchema,
  allowGuests: z.boolean().optional().default(false),
  teamMode: z.enum(['none', 'branch']).optional().default('none'),
  speedBonus: z.boolean().optional().default(true),
  streakBonus: z.boolean().optional().default(true),
});
export type GameCreateInput = z.infer<typeof gameCreateSchema>;

export const gameJoinSchema = z.object({
  pin: pinSchema,
  nickname: nicknameSchema.optional(),
  rejoinToken: z.string().min(1).max(128).optional(),
});
export type GameJoinInput = z.infer<typeof gameJoinSchema>;

export const gameRefSchema = z.object({ gameId: idSchema });
export const gameKickSchema = z.object({ gameId: idSchema, playerId: idSchema });
export const gameLockSchema = z.object({ gameId: idSchema, locked: z.boolean() });

/** A number (single, judge), a number array (multiple) or a string (blank); the question decides which. */
export const answerValueSchema = z.union([
  z.number().int().min(0).max(7),
  z.array(z.number().int().min(0).max(7)).min(1).max(8),
  z.string().max(200),
]);
export const answerSubmitSchema = z.object({
  gameId: idSchema,
  index: z.number().int().min(0).max(1000),
  answer: answerValueSchema,
});
export type AnswerSubmitInput = z.infer<typeof answerSubmitSchema>;

/** A question as players see it: no answer, no explanation. */
export interface PublicQuestion {
  id: string;
  type: QuestionType;
  text: string;
  options: string[];
}

export interface GameSettings {
  allowGuests: boolean;
  teamMode: TeamMode;
  speedBonus: boolean;
  streakBonus: boolean;
  timeLimitSec: number;
}

export interface LeaderboardEntry {
  playerId: string;
  nickname: string;
  score: number;
  rank: number;
  /** A guest (no account): shown as (访客) so a guest cannot pass as a member. */
  guest: boolean;
}

export interface BranchStanding {
  branchId: string;
  name: string;
  /** The average of its players' scores, rounded. */
  score: number;
  players: number;
}

/** For single/multiple/judge: a count per option; for blank: right and wrong counts. */
export type Distribution = number[] | { correct: number; incorrect: number };

export interface LobbyPlayer {
  playerId: string;
  nickname: string;
  branchId: string | null;
  guest: boolean;
}

/** A finished game's report (GET /api/games/:id). */
export interface GameReport {
  id: string;
  quizId: string;
  title: string;
  hostId: string;
  hostName: string;
  branchId: string | null;
  createdAt: number;
  finishedAt: number | null;
  phase: LivePhase;
  settings: GameSettings;
  totalQuestions: number;
  players: {
    playerId: string;
    nickname: string;
    userId: string | null;
    branchId: string | null;
    /** No account: a guest. */
    guest: boolean;
    score: number;
    correct: number;
    rank: number;
  }[];
  questions: {
    index: number;
    id: string;
    type: QuestionType;
    text: string;
    options: string[];
    correctAnswer: number | number[] | string[];
    answered: number;
    correct: number;
    distribution: Distribution;
  }[];
  branches?: BranchStanding[];
}

/** One line of GET /api/games. */
export interface GameSummary {
  id: string;
  title: string;
  pin: string | null;
  phase: LivePhase;
  hostId: string;
  hostName: string;
  branchId: string | null;
  createdAt: number;
  finishedAt: number | null;
  players: number;
}

/** One line of GET /api/me/games: a member's own result. */
export interface MyGameResult {
  gameId: string;
  title: string;
  finishedAt: number;
  score: number;
  rank: number;
  correct: number;
  total: number;
  players: number;
}
