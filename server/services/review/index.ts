import type { ServiceDeps } from '../deps';
import type { ActivitySink } from '../ledger/activity';
import { createQuestionsStore } from '../../store/questionsStore';
import { createCardsStore } from '../../store/review/cardsStore';
import { createApplyStore } from '../../store/review/applyStore';
import { createFailuresStore } from '../../store/review/failuresStore';
import { createSittingsStore } from '../../store/review/sittingsStore';
import { createWrongBookStore } from '../../store/review/wrongBookStore';
import { createAnswersService } from './answers';
import { createCardsService } from './cards';
import { createCompletion } from './completion';
import { createDailyService } from './daily';
import { createLiveGameHook } from './liveHook';
import { createPracticeService } from './practice';
import { createScheduler } from './scheduler';
import { createStatsService } from './stats';
import { createWrongBookService } from './wrongBook';

/**
 * The self review area (issue 11). `sink` is where live games and exams hand their finished answers; `activity` is
 * the study record, told of each completed daily set and practice.
 */
export function createReviewServices(deps: ServiceDeps, activity: ActivitySink) {
  const { redis, clock, config } = deps;
  const timeZone = config.orgTimeZone;
  const questions = createQuestionsStore(redis);
  const cards = createCardsStore(redis);
  const sittings = createSittingsStore(redis);
  const wrongBookStore = createWrongBookStore(redis);
  const failures = createFailuresStore(redis);
  const cardsService = createCardsService({ cards, apply: createApplyStore(redis), failures, questions, scheduler: createScheduler({ retention: deps.config.reviewRetentionPercent / 100, maxIntervalDays: deps.config.reviewMaxIntervalDays }), timeZone });
  const completion = createCompletion({ sittings, activity, clock, existing: async (ids) => new Set((await questions.getMany(ids)).map((q) => q.id)) });
  const daily = createDailyService({ cards, sittings, questions, clock, settings: { count: config.reviewDailyCount, tags: config.reviewTags, timeZone } });
  return {
    sink: cardsService.sink,
    daily,
    answers: createAnswersService({ cards, cardsService, sittings, questions, daily, completion, clock, timeZone }),
    practice: createPracticeService({ cards, sittings, questions, wrongBook: wrongBookStore, completion, clock }),
    wrongBook: createWrongBookService({ wrongBook: wrongBookStore, questions }),
    stats: createStatsService({
      cards,
      failures,
      questions,
      clock,
      timeZone,
      branchMembers: async (branchId) => ((await deps.stores.branches.get(branchId)) ? (await deps.stores.users.list(branchId)).filter((u) => !u.disabled) : null),
    }),
    liveGames: createLiveGameHook(cardsService.sink, failures),
  };
}

export type ReviewServices = ReturnType<typeof createReviewServices>;
