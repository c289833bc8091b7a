import type { RedisClient } from '../../infra/redis';
import { keys } from '../keys';

export interface QuestionFailures {
  questionId: string;
  attempts: number;
  fails: number;
}

/** Across members, per question: attempts, fails and the wrong answers given (学员常错题), and the leeches. */
export function createFailuresStore(redis: RedisClient) {
  return {
    async note(questionId: string, correct: boolean, answer: unknown): Promise<void> {
      const tx = redis.multi().hIncrBy(keys.reviewQuestionAttempts(), questionId, 1);
      if (!correct) {
        tx.hIncrBy(keys.reviewQuestionFails(), questionId, 1);
        if (answer !== null && answer !== undefined) tx.hIncrBy(keys.reviewWrongAnswers(questionId), JSON.stringify(answer), 1);
      }
      await tx.exec();
    },

    markLeech: async (questionId: string) => void (await redis.sAdd(keys.reviewLeeches(), questionId)),

    /** Every question with a fail, and its attempts. */
    async failed(): Promise<QuestionFailures[]> {
      const [fails, attempts] = await Promise.all([redis.hGetAll(keys.reviewQuestionFails()), redis.hGetAll(keys.reviewQuestionAttempts())]);
      return Object.entries(fails).map(([questionId, f]) => ({ questionId, fails: Number(f), attempts: Math.max(Number(attempts[questionId] ?? 0), Number(f)) }));
    },

    leeches: async () => new Set(await redis.sMembers(keys.reviewLeeches())),

    /** The most common wrong answer of a question (JSON-decoded) and its count. */
    async commonWrong(questionId: string): Promise<{ answer: number | number[] | string; count: number } | null> {
      const all = await redis.hGetAll(keys.reviewWrongAnswers(questionId));
      let best: { answer: string; count: number } | null = null;
      for (const [answer, c] of Object.entries(all)) if (!best || Number(c) > best.count || (Number(c) === best.count && answer < best.answer)) best = { answer, count: Number(c) };
      return best ? { answer: JSON.parse(best.answer) as number | number[] | string, count: best.count } : null;
    },

    /** Whether a finished game's answers have all gone to the review (marked after they went). */
    gameRecorded: async (gameId: string) => (await redis.exists(keys.reviewGameRecorded(gameId))) === 1,

    /** Marks a finished game as handed to the review, once every answer of it is applied. */
    async markGameRecorded(gameId: string): Promise<void> {
      await redis.set(keys.reviewGameRecorded(gameId), '1');
    },
  };
}

export type FailuresStore = ReturnType<typeof createFailuresStore>;
