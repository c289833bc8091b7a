import type { QuestionContent } from '../../shared/schemas/questions';
import type { Quiz } from '../../shared/schemas/quizzes';
import type { RedisClient } from '../infra/redis';
import { keys } from './keys';

/** A question frozen into a game: later edits of the bank never reach it. */
export interface SnapshotQuestion extends QuestionContent {
  id: string;
  version: number;
}

export interface GameSnapshot {
  quizId: string;
  title: string;
  timeLimitSec: number;
  questions: SnapshotQuestion[];
  takenAt: number;
}

export function createQuizzesStore(redis: RedisClient) {
  return {
    async save(quiz: Quiz): Promise<void> {
      await redis.multi().set(keys.quiz(quiz.id), JSON.stringify(quiz)).zAdd(keys.quizzesAll(), { score: quiz.updatedAt, value: quiz.id }).exec();
    },

    async get(id: string): Promise<Quiz | null> {
      const raw = await redis.get(keys.quiz(id));
      return raw ? (JSON.parse(raw) as Quiz) : null;
    },

    /** Every quiz, most recently edited first. */
    async all(): Promise<Quiz[]> {
      const ids = await redis.zRange(keys.quizzesAll(), 0, -1, { REV: true });
      if (ids.length === 0) return [];
      const raws = await redis.mGet(ids.map(keys.quiz));
      return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as Quiz);
    },

    async remove(id: string): Promise<boolean> {
      const [deleted] = (await redis.multi().del(keys.quiz(id)).zRem(keys.quizzesAll(), id).exec()) as unknown as [number];
      return deleted === 1;
    },

    /** Written once per game (SET NX): a game's questions never change after it is created. */
    async saveSnapshot(gameId: string, snapshot: GameSnapshot): Promise<boolean> {
      return (await redis.set(keys.gameSnapshot(gameId), JSON.stringify(snapshot), { condition: 'NX' })) === 'OK';
    },

    async getSnapshot(gameId: string): Promise<GameSnapshot | null> {
      const raw = await redis.get(keys.gameSnapshot(gameId));
      return raw ? (JSON.parse(raw) as GameSnapshot) : null;
    },
  };
}

export type QuizzesStore = ReturnType<typeof createQuizzesStore>;
