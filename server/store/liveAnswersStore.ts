import type { GamePhase } from '../domain/gamePhase';
import type { ScoringRules } from '../domain/scoring';
import type { RedisClient } from '../infra/redis';
import { keys } from './keys';
import { LuaScript } from './scripts';
import acceptAnswerLua from './scripts/acceptAnswer.lua?raw';
import closeQuestionLua from './scripts/closeQuestion.lua?raw';

const acceptScript = new LuaScript(acceptAnswerLua);
const closeScript = new LuaScript(closeQuestionLua);

export type AnswerRefusal = 'NOT_FOUND' | 'WRONG_PHASE' | 'ALREADY_ANSWERED' | 'TOO_LATE';
/** Accepted: the points, how many have answered this question out of how many players are online, and the Redis time it was taken at. */
export type AnswerOutcome = { ok: true; points: number; answered: number; online: number; at: number } | { ok: false; code: AnswerRefusal };
/** A close: done by this call, not open (already closed or another question), or not due yet by Redis's clock. */
export type CloseOutcome = { closed: true } | { closed: false; waitMs?: number };

/** The answer path of a live game: one Redis round trip per answer. */
export function createLiveAnswersStore(redis: RedisClient) {
  return {
    /** Writes the phase fields the answer script reads (the game service owns the rest of the state). */
    async writePhase(gameId: string, state: GamePhase, timeLimitMs: number, rules: ScoringRules): Promise<void> {
      const fields: Record<string, string> = {
        phase: state.phase,
        index: String('index' in state ? state.index : -1),
        timeLimitMs: String(timeLimitMs),
        speedBonus: rules.speedBonus ? '1' : '0',
        streakBonus: rules.streakBonus ? '1' : '0',
      };
      if (state.phase === 'question') {
        fields.openedAt = String(state.openedAt);
        fields.closesAt = String(state.closesAt);
      }
      await redis.hSet(keys.gameState(gameId), fields);
    },

    /** Records an answer at Redis's time (the deadline and the points are measured by it, not by this process). */
    async accept(gameId: string, playerId: string, index: number, answerJson: string, correct: boolean): Promise<AnswerOutcome> {
      const [status, value, answered, online, at] = (await acceptScript.run(
        redis,
        [keys.gameState(gameId), keys.gameAnswers(gameId, index), keys.gameScores(gameId), keys.gameStreaks(gameId), keys.gamePoints(gameId, index), keys.gameCorrect(gameId)],
        [playerId, index, answerJson, correct ? 1 : 0],
      )) as [string, string | number, number?, number?, number?];
      return status === 'OK'
        ? { ok: true, points: Number(value), answered: Number(answered), online: Number(online), at: Number(at) }
        : { ok: false, code: value as AnswerRefusal };
    },

    /**
     * Closes for exactly one caller per question, however many timers fire. A timer's close (`force` false) only
     * happens once the deadline passed by Redis's clock; before that it says how long to wait.
     */
    async close(gameId: string, index: number, force: boolean): Promise<CloseOutcome> {
      const result = Number(
        await closeScript.run(redis, [keys.gameState(gameId), keys.gameAnswers(gameId, index), keys.gameStreaks(gameId), keys.gamePlayers(gameId)], [index, force ? 1 : 0]),
      );
      if (result === 1) return { closed: true };
      return result < 0 ? { closed: false, waitMs: -result } : { closed: false };
    },

    async score(gameId: string, playerId: string): Promise<number> {
      return Number((await redis.zScore(keys.gameScores(gameId), playerId)) ?? 0);
    },

    /** The recorded server time of a player's answer, or null. */
    async answerTime(gameId: string, index: number, playerId: string): Promise<number | null> {
      const raw = await redis.hGet(keys.gameAnswers(gameId, index), playerId);
      return raw ? Number(raw.slice(0, raw.indexOf('|'))) : null;
    },
  };
}

export type LiveAnswersStore = ReturnType<typeof createLiveAnswersStore>;
