import { createEmptyCard, fsrs, generatorParameters, Rating, State, type Card, type Grade } from 'ts-fsrs';
import type { ReviewGrade } from '../../domain/review/grade';

/** A member's card for one question, as kept in Redis: times in epoch ms, FSRS fields as ts-fsrs names them. */
export interface CardFields {
  due: number;
  stability: number;
  difficulty: number;
  reps: number;
  lapses: number;
  state: 'new' | 'learning' | 'review' | 'relearning';
  lastReview: number | null;
  scheduledDays: number;
  learningSteps: number;
}

/** One line of the append-only review log. */
export interface ReviewLogEntry {
  at: number;
  grade: ReviewGrade;
  stateBefore: CardFields['state'];
  due: number;
  stability: number;
  difficulty: number;
  scheduledDays: number;
}

/** The organisation's FSRS settings: desired retention (default 0.9) and the longest interval (default 365 days). */
export interface SchedulerSettings {
  retention: number;
  maxIntervalDays: number;
}

export const DEFAULT_SCHEDULER_SETTINGS: SchedulerSettings = { retention: 0.9, maxIntervalDays: 365 };

const GRADES: Record<ReviewGrade, Grade> = { again: Rating.Again, hard: Rating.Hard, good: Rating.Good, easy: Rating.Easy };
/** Our names for ts-fsrs's states, in the order of its State enum (0 New, 1 Learning, 2 Review, 3 Relearning). */
const STATES = ['new', 'learning', 'review', 'relearning'] as const;
const FSRS_STATES = [State.New, State.Learning, State.Review, State.Relearning];

const toCard = (c: CardFields): Card => ({
  due: new Date(c.due),
  stability: c.stability,
  difficulty: c.difficulty,
  elapsed_days: 0,
  scheduled_days: c.scheduledDays,
  learning_steps: c.learningSteps,
  reps: c.reps,
  lapses: c.lapses,
  state: FSRS_STATES[STATES.indexOf(c.state)]!,
  last_review: c.lastReview === null ? undefined : new Date(c.lastReview),
});

const fromCard = (c: Card): CardFields => ({
  due: c.due.getTime(),
  stability: c.stability,
  difficulty: c.difficulty,
  reps: c.reps,
  lapses: c.lapses,
  state: STATES[c.state]!,
  lastReview: c.last_review ? c.last_review.getTime() : null,
  scheduledDays: c.scheduled_days,
  learningSteps: c.learning_steps,
});

/**
 * FSRS-6 scheduling with ts-fsrs: a card (or none yet) and a grade at `now` give the next card and a log line.
 * No fuzz, so the same history always gives the same schedule (tests, and the same due date on every device).
 */
export function createScheduler(settings: SchedulerSettings = DEFAULT_SCHEDULER_SETTINGS) {
  const f = fsrs(generatorParameters({ request_retention: settings.retention, maximum_interval: settings.maxIntervalDays, enable_fuzz: false }));
  return {
    review(card: CardFields | null, grade: ReviewGrade, now: number): { card: CardFields; log: ReviewLogEntry } {
      const current = card ? toCard(card) : createEmptyCard(new Date(now));
      const next = f.next(current, new Date(now), GRADES[grade]);
      const fields = fromCard(next.card);
      return {
        card: fields,
        log: { at: now, grade, stateBefore: card?.state ?? 'new', due: fields.due, stability: fields.stability, difficulty: fields.difficulty, scheduledDays: fields.scheduledDays },
      };
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
