import type { WrongSource } from '../../../shared/schemas/review';
import type { RedisClient } from '../../infra/redis';
import { keys } from '../keys';

export interface StoredWrongEntry {
  firstWrongAt: number;
  lastWrongAt: number;
  sources: WrongSource[];
  /** Distinct days (org time zone) it was answered right since it was last wrong. */
  rightDays: string[];
}

/** A member's wrong-answer book: question id -> entry (one hash per member), written by reviewApply.lua only. */
export function createWrongBookStore(redis: RedisClient) {
  return {
    async all(memberId: string): Promise<Map<string, StoredWrongEntry>> {
      const all = await redis.hGetAll(keys.reviewWrongBook(memberId));
      return new Map(Object.entries(all).map(([q, raw]) => [q, JSON.parse(raw) as StoredWrongEntry]));
    },

    async get(memberId: string, questionId: string): Promise<StoredWrongEntry | null> {
      const raw = await redis.hGet(keys.reviewWrongBook(memberId), questionId);
      return raw ? (JSON.parse(raw) as StoredWrongEntry) : null;
    },
  };
}

export type WrongBookStore = ReturnType<typeof createWrongBookStore>;
