import type { RedisClient } from '../../infra/redis';
import type { CardFields, ReviewLogEntry } from '../../services/review/scheduler';
import { keys } from '../keys';

/** A card as stored: the FSRS fields and the question version it was last reviewed on (for 本题已修订). */
export interface StoredCard extends CardFields {
  questionVersion: number;
}

const STATES: CardFields['state'][] = ['new', 'learning', 'review', 'relearning'];
/** Six significant digits keep FSRS's stability and difficulty well inside what its formulas resolve. */
const num = (x: number) => String(Number(x.toPrecision(6)));

/**
 * One card in one short comma-separated string (times in base 36): about 50 bytes where JSON would take 200, so a
 * member's 300 cards stay one small hash (see the MEMORY USAGE test).
 */
export function encodeCard(c: StoredCard): string {
  return [c.due.toString(36), num(c.stability), num(c.difficulty), c.reps, c.lapses, STATES.indexOf(c.state), c.lastReview === null ? '' : c.lastReview.toString(36), c.scheduledDays, c.learningSteps, c.questionVersion].join(',');
}

export function decodeCard(raw: string): StoredCard {
  const [due, stability, difficulty, reps, lapses, state, last, scheduled, steps, version] = raw.split(',');
  return {
    due: parseInt(due!, 36),
    stability: Number(stability),
    difficulty: Number(difficulty),
    reps: Number(reps),
    lapses: Number(lapses),
    state: STATES[Number(state)] ?? 'new',
    lastReview: last ? parseInt(last, 36) : null,
    scheduledDays: Number(scheduled),
    learningSteps: Number(steps),
    questionVersion: Number(version ?? 0),
  };
}

/** How many recent answer times per type the Hard rule's median looks at, and answers per tag for accuracy. */
const TIMES_KEPT = 20;
export const TAG_RECENT_KEPT = 50;

/** A member's cards, the append-only review log, answer times, days studied and recent results per tag. */
export function createCardsStore(redis: RedisClient) {
  return {
    async get(memberId: string, questionId: string): Promise<StoredCard | null> {
      const raw = await redis.hGet(keys.reviewCards(memberId), questionId);
      return raw ? decodeCard(raw) : null;
    },

    async all(memberId: string): Promise<Map<string, StoredCard>> {
      const all = await redis.hGetAll(keys.reviewCards(memberId));
      return new Map(Object.entries(all).map(([id, raw]) => [id, decodeCard(raw)]));
    },

    async questionIds(memberId: string): Promise<Set<string>> {
      return new Set(await redis.hKeys(keys.reviewCards(memberId)));
    },

    /** Writes the card and appends its log line in one transaction: the log never misses a card change. */
    async save(memberId: string, questionId: string, card: StoredCard, log: ReviewLogEntry & { source: string }): Promise<void> {
      await redis
        .multi()
        .hSet(keys.reviewCards(memberId), questionId, encodeCard(card))
        .rPush(keys.reviewLog(memberId), JSON.stringify({ q: questionId, ...log }))
        .exec();
    },

    async log(memberId: string): Promise<(ReviewLogEntry & { q: string; source: string })[]> {
      return (await redis.lRange(keys.reviewLog(memberId), 0, -1)).map((l) => JSON.parse(l) as ReviewLogEntry & { q: string; source: string });
    },

    async recentTimes(memberId: string, type: string): Promise<number[]> {
      return (await redis.lRange(keys.reviewTimes(memberId, type), 0, -1)).map(Number);
    },

    /** Notes one answer: its time (review answers only), the day studied and the result under each of its tags. */
    async noteAnswer(memberId: string, a: { type: string; elapsedMs: number | null; day: string; tags: string[]; correct: boolean }): Promise<void> {
      const tx = redis.multi();
      if (a.elapsedMs !== null) tx.lPush(keys.reviewTimes(memberId, a.type), String(Math.round(a.elapsedMs))).lTrim(keys.reviewTimes(memberId, a.type), 0, TIMES_KEPT - 1);
      tx.sAdd(keys.reviewDays(memberId), a.day);
      for (const tag of a.tags) tx.lPush(keys.reviewTagRecent(memberId, tag), a.correct ? '1' : '0').lTrim(keys.reviewTagRecent(memberId, tag), 0, TAG_RECENT_KEPT - 1);
      await tx.exec();
    },

    days: (memberId: string) => redis.sMembers(keys.reviewDays(memberId)),

    /** The last results per tag ('1' right, '0' wrong), in one round trip. */
    async tagRecent(memberId: string, tags: string[]): Promise<Map<string, string[]>> {
      if (tags.length === 0) return new Map();
      const tx = redis.multi();
      for (const t of tags) tx.lRange(keys.reviewTagRecent(memberId, t), 0, -1);
      const replies = (await tx.execAsPipeline()) as unknown as string[][];
      return new Map(tags.map((t, i) => [t, replies[i] ?? []]));
    },
  };
}

export type CardsStore = ReturnType<typeof createCardsStore>;
