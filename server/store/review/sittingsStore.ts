import type { ReviewAnswerResult } from '../../../shared/schemas/review';
import type { RedisClient } from '../../infra/redis';
import { keys } from '../keys';
import { LuaScript } from '../scripts';
import markAnsweredLua from '../scripts/reviewMarkAnswered.lua?raw';
import practiceFinishLua from '../scripts/reviewPracticeFinish.lua?raw';

const markScript = new LuaScript(markAnsweredLua);
const finishScript = new LuaScript(practiceFinishLua);

/** A daily set lives two days (the day and a late answer just after midnight); a practice a week. */
const DAILY_TTL_SEC = 2 * 24 * 3600;
const PRACTICE_TTL_SEC = 7 * 24 * 3600;
/** A pending attempt not finished within this time (a crashed process) may be retried. */
const PENDING_TTL_SEC = 30;
/** An attempt's result is kept this long for retries. */
const ATTEMPT_TTL_SEC = 30 * 24 * 3600;
const PENDING = 'pending';

export interface PracticeDoc {
  tag: string | null;
  order: 'sequential' | 'random';
  fromWrongBook: boolean;
  questionIds: string[];
  createdAt: number;
}

/** An answered item of a sitting: the first result, and when it was given. */
export interface AnsweredItem {
  result: ReviewAnswerResult;
  at: number;
}

/** A practice's end: items answered, right ones, and when it was finished. */
export interface PracticeSummary {
  answered: number;
  correct: number;
  at: number;
}

/** Which sitting an answer belongs to: the day's set, or a practice. */
export type SittingRef = { daily: string } | { practice: string };

export type AttemptClaim = { claimed: true } | { claimed: false; result: unknown };

/** Daily sets, practice sittings, their answered items, and attempt ids recorded once. */
export function createSittingsStore(redis: RedisClient) {
  async function answered(key: string): Promise<Map<string, AnsweredItem>> {
    const all = await redis.hGetAll(key);
    return new Map(Object.entries(all).map(([q, raw]) => [q, JSON.parse(raw) as AnsweredItem]));
  }

  return {
    /** The day's set: the first writer's list wins (SET NX), so two devices assembling at once get the same set. */
    async fixDaily(memberId: string, day: string, questionIds: string[]): Promise<string[]> {
      const key = keys.reviewDaily(memberId, day);
      const set = await redis.set(key, JSON.stringify(questionIds), { condition: 'NX', expiration: { type: 'EX', value: DAILY_TTL_SEC } });
      if (set === 'OK') return questionIds;
      return JSON.parse((await redis.get(key)) ?? '[]') as string[];
    },

    async daily(memberId: string, day: string): Promise<string[] | null> {
      const raw = await redis.get(keys.reviewDaily(memberId, day));
      return raw ? (JSON.parse(raw) as string[]) : null;
    },

    dailyAnswered: (memberId: string, day: string) => answered(keys.reviewDailyAnswers(memberId, day)),

    async createPractice(memberId: string, sittingId: string, doc: PracticeDoc): Promise<void> {
      await redis.set(keys.reviewPractice(memberId, sittingId), JSON.stringify(doc), { expiration: { type: 'EX', value: PRACTICE_TTL_SEC } });
    },

    async practice(memberId: string, sittingId: string): Promise<PracticeDoc | null> {
      const raw = await redis.get(keys.reviewPractice(memberId, sittingId));
      return raw ? (JSON.parse(raw) as PracticeDoc) : null;
    },

    practiceAnswered: (memberId: string, sittingId: string) => answered(keys.reviewPracticeAnswers(memberId, sittingId)),

    /**
     * Notes the first answer of an item in its sitting: FIRST, or AGAIN when the item was answered before (HSETNX),
     * or FINISHED (nothing written) when the practice has been finished.
     */
    async markAnswered(memberId: string, sitting: SittingRef, questionId: string, item: AnsweredItem): Promise<'FIRST' | 'AGAIN' | 'FINISHED'> {
      const keyList = 'daily' in sitting ? [keys.reviewDailyAnswers(memberId, sitting.daily)] : [keys.reviewPracticeAnswers(memberId, sitting.practice), keys.reviewPracticeFinished(memberId, sitting.practice)];
      return (await markScript.run(redis, keyList, [questionId, JSON.stringify(item), 'daily' in sitting ? DAILY_TTL_SEC : PRACTICE_TTL_SEC])) as 'FIRST' | 'AGAIN' | 'FINISHED';
    },

    /** Finishes a practice once; `first` is true for the call that finished it, the summary is the first one's. */
    async finishPractice(memberId: string, sittingId: string, now: number): Promise<{ first: boolean; summary: PracticeSummary }> {
      const [flag, json] = (await finishScript.run(redis, [keys.reviewPracticeFinished(memberId, sittingId), keys.reviewPracticeAnswers(memberId, sittingId)], [now, PRACTICE_TTL_SEC])) as [string, string];
      return { first: flag === 'NEW', summary: JSON.parse(json) as PracticeSummary };
    },

    /** A finished practice's summary, or null while it is open. */
    async practiceFinished(memberId: string, sittingId: string): Promise<PracticeSummary | null> {
      const raw = await redis.get(keys.reviewPracticeFinished(memberId, sittingId));
      return raw ? (JSON.parse(raw) as PracticeSummary) : null;
    },

    /** Rewrites an answered item with its final result (the card's next due date known after the first mark). */
    async setAnswered(memberId: string, sitting: SittingRef, questionId: string, item: AnsweredItem): Promise<void> {
      const key = 'daily' in sitting ? keys.reviewDailyAnswers(memberId, sitting.daily) : keys.reviewPracticeAnswers(memberId, sitting.practice);
      await redis.hSet(key, questionId, JSON.stringify(item));
    },

    /**
     * Claims an attemptId (SET NX of a pending marker). The first request claims it and does the work; any other
     * (a retry, even at the same moment) waits for the first one's result and returns it.
     */
    async claimAttempt(memberId: string, attemptId: string): Promise<AttemptClaim> {
      const key = keys.reviewAttempt(memberId, attemptId);
      const set = await redis.set(key, PENDING, { condition: 'NX', expiration: { type: 'EX', value: PENDING_TTL_SEC } });
      if (set === 'OK') return { claimed: true };
      for (let waited = 0; waited < PENDING_TTL_SEC * 1000; waited += 20) {
        const raw = await redis.get(key);
        if (raw === null) return this.claimAttempt(memberId, attemptId);
        if (raw !== PENDING) return { claimed: false, result: JSON.parse(raw) as unknown };
        await new Promise((r) => setTimeout(r, 20));
      }
      return this.claimAttempt(memberId, attemptId);
    },

    /** The recorded result of a finished attempt, or null (none, or still pending). */
    async attemptResult(memberId: string, attemptId: string): Promise<unknown> {
      const raw = await redis.get(keys.reviewAttempt(memberId, attemptId));
      return raw === null || raw === PENDING ? null : (JSON.parse(raw) as unknown);
    },

    async finishAttempt(memberId: string, attemptId: string, result: unknown): Promise<void> {
      await redis.set(keys.reviewAttempt(memberId, attemptId), JSON.stringify(result), { expiration: { type: 'EX', value: ATTEMPT_TTL_SEC } });
    },

    /** A refused or failed attempt gives its id back, so it writes nothing and a retry may try again. */
    async releaseAttempt(memberId: string, attemptId: string): Promise<void> {
      await redis.del(keys.reviewAttempt(memberId, attemptId));
    },
  };
}

export type SittingsStore = ReturnType<typeof createSittingsStore>;
