import type { WrongSource } from '../../../shared/schemas/review';
import type { RedisClient } from '../../infra/redis';
import type { ReviewLogEntry } from '../../services/review/scheduler';
import { keys } from '../keys';
import { LuaScript } from '../scripts';
import reviewApplyLua from '../scripts/reviewApply.lua?raw';
import { encodeCard, type StoredCard } from './cardsStore';

const applyScript = new LuaScript(reviewApplyLua);

/** How long the marks of a game's or attempt's applied outcomes stay: far longer than any replay comes after. */
const APPLIED_TTL_SEC = 30 * 24 * 3600;

export interface AnswerWrite {
  /** The card after this answer, with its log line; null when the answer does not move the card. */
  card: { card: StoredCard; log: ReviewLogEntry & { source: string } } | null;
  correct: boolean;
  at: number;
  source: WrongSource;
  /** The day of the answer in the organisation's time zone. */
  day: string;
  /** A right answer here counts towards leaving the book (reviews do; a live game or an exam does not). */
  countsForBook: boolean;
  /** Right answers on this many distinct days take the question out of the book. */
  rightDaysToLeave: number;
  /** Apply at most once: the game or attempt and this outcome's field in it (a replay finds it and skips). */
  once?: { refId: string; field: string };
}

/** One answer's change to a member's card, review log and wrong-answer book, as one Lua step (reviewApply.lua). */
export function createApplyStore(redis: RedisClient) {
  return {
    /** False when `once` names an outcome applied before (nothing written then). */
    async apply(memberId: string, questionId: string, w: AnswerWrite): Promise<boolean> {
      const keyList = [keys.reviewCards(memberId), keys.reviewLog(memberId), keys.reviewWrongBook(memberId)];
      if (w.once) keyList.push(keys.reviewApplied(memberId, w.source, w.once.refId));
      const reply = await applyScript.run(redis, keyList, [
        questionId,
        w.card ? encodeCard(w.card.card) : '',
        w.card ? JSON.stringify({ q: questionId, ...w.card.log }) : '',
        w.correct ? 1 : 0,
        w.at,
        w.source,
        w.day,
        w.countsForBook ? 1 : 0,
        w.rightDaysToLeave,
        w.once?.field ?? '',
        APPLIED_TTL_SEC,
      ]);
      return Number(reply) === 1;
    },
  };
}

export type ApplyStore = ReturnType<typeof createApplyStore>;
