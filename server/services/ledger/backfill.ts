import { LEDGER_KINDS, type LedgerKind } from '../../../shared/schemas/ledger';
import { dayKey } from '../../domain/review/day';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import type { RedisClient } from '../../infra/redis';
import { createGamesStore } from '../../store/gamesStore';
import { createQuestionsStore } from '../../store/questionsStore';
import { createLedgerBackfillStore } from '../../store/ledger/backfillStore';
import type { LedgerRollStore } from '../../store/ledger/rollStore';
import { createCardsStore } from '../../store/review/cardsStore';
import { createExamsStore } from '../../store/review/examsStore';
import { createSittingsStore } from '../../store/review/sittingsStore';
import { createRecordsStore } from '../../store/study/recordsStore';
import { createStudySessionsStore } from '../../store/study/sessionsStore';
import type { UsersStore } from '../../store/usersStore';
import { createCompletion } from '../review/completion';
import type { Activity } from './activity';
import { liveGameActivities } from './liveGameEntries';
import type { LedgerRecord } from './record';
import { examAttemptActivity } from './reviewEntries';
import { reflectionActivity, studySessionActivities } from './studyEntries';

export interface LedgerBackfillDeps {
  redis: RedisClient;
  record: LedgerRecord;
  roll: LedgerRollStore;
  users: UsersStore;
  clock: Clock;
  logger: Logger;
  timeZone: string;
}

export interface BackfillReport {
  /** Activities found in what exists, per kind (an activity of a deleted account is found but not written). */
  found: Record<LedgerKind, number>;
  /** Entries this run wrote, per kind: 0 everywhere on a second run. */
  written: Record<LedgerKind, number>;
  /** Ended study sessions handed to the meetings held (kept once per session). */
  meetings: number;
  /** Members put on their branch's roll (at their account's creation) because they had no stretch yet. */
  rollJoins: number;
  /** Ended sessions without a meeting record (drafted on their first read; a later run picks them up). */
  sessionsWithoutRecord: number;
  ms: number;
}

/** Games (and sessions, attempts) read and written per step: bounded memory on a big organisation. */
const BATCH = 50;
/**
 * Daily sets live two days (sittingsStore); the days studied go back further, but older sets are gone, so only the
 * last few days can still be read.
 */
const DAILY_DAYS_BACK = 3;

const zero = (): Record<LedgerKind, number> => Object.fromEntries(LEDGER_KINDS.map((k) => [k, 0])) as Record<LedgerKind, number>;

async function inBatches<T>(items: T[], each: (batch: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) await each(items.slice(i, i + BATCH));
}

/**
 * The one-off backfill (issue 12): builds the study record from what existed before it (finished live games, ended
 * study sessions and their 心得体会, completed daily sets still kept, graded exam attempts) and the roll from the
 * accounts. It goes through the record like the live wiring, with the same mapping functions, so the record's
 * exactly-once rule makes it idempotent: a second run (or a run beside the live wiring) writes nothing new.
 * Practice sittings are not backfilled: no index lists a member's past sittings, and they expire after a week.
 */
export function createLedgerBackfill(d: LedgerBackfillDeps) {
  const games = createGamesStore(d.redis);
  const sessions = createStudySessionsStore(d.redis);
  const records = createRecordsStore(d.redis);
  const sittings = createSittingsStore(d.redis);
  const cards = createCardsStore(d.redis);
  const exams = createExamsStore(d.redis);
  const questions = createQuestionsStore(d.redis);
  const marker = createLedgerBackfillStore(d.redis);

  async function run(): Promise<BackfillReport> {
    const t0 = Date.now();
    const report: BackfillReport = { found: zero(), written: zero(), meetings: 0, rollJoins: 0, sessionsWithoutRecord: 0, ms: 0 };
    const write = async (activities: Activity[]) => {
      for (const a of activities) report.found[a.kind]++;
      for (const e of await d.record.record(activities)) report.written[e.kind]++;
    };

    // Finished live games: logged-in players (guests have no record).
    await inBatches(await games.allGameIds(), async (ids) => {
      const reports = await Promise.all(ids.map((id) => games.record(id)));
      await write(reports.flatMap((r) => (r ? liveGameActivities(r) : [])));
    });

    // Ended study sessions: attendance from the meeting record, the meeting held, and the 心得体会.
    const ended = (await sessions.all()).filter((s) => s.status === 'ended');
    await inBatches(ended, async (batch) => {
      const found = await Promise.all(batch.map(async (s) => ({ session: s, record: await records.get(s.id), reflections: await records.reflections(s.id) })));
      const activities: Activity[] = [];
      for (const { session, record, reflections } of found) {
        const at = record?.endedAt ?? session.endedAt;
        if (at !== null) {
          await d.record.addMeeting(session.branchId, session.kind, session.id, at);
          report.meetings++;
        }
        if (!record) {
          report.sessionsWithoutRecord++;
          continue;
        }
        activities.push(...studySessionActivities(session, record));
        for (const [memberId, r] of reflections) activities.push(reflectionActivity(session, memberId, r.at));
      }
      await write(activities);
    });

    // Graded exam attempts.
    for (const exam of await exams.allExams()) {
      const graded = (await exams.attemptsOfExam(exam.id)).filter((a) => a.status === 'graded');
      await write(graded.map((a) => examAttemptActivity(exam, a, a.endedAt ?? a.deadline)));
    }

    const users = await d.users.list();

    // Daily sets still kept and all answered: the review's own completion rule decides, into a collecting sink.
    const since = dayKey(d.clock.now() - DAILY_DAYS_BACK * 86_400_000, d.timeZone);
    const collected: Activity[] = [];
    const completion = createCompletion({ sittings, clock: d.clock, activity: { record: async (acts) => void collected.push(...acts) }, existing: async (ids) => new Set((await questions.getMany(ids)).map((q) => q.id)) });
    await inBatches(users, async (batch) => {
      await Promise.all(
        batch.map(async (u) => {
          for (const day of (await cards.days(u.id)).filter((day) => day >= since)) {
            const ids = await sittings.daily(u.id, day);
            if (ids) await completion.afterDailyAnswer(u.id, day, ids);
          }
        }),
      );
      await write(collected.splice(0));
    });

    // The roll: members with a branch and no stretch on it yet join it at their account's creation.
    const onBranch = users.filter((u): u is typeof u & { branchId: string } => u.branchId !== null && !u.disabled);
    const branchIds = [...new Set(onBranch.map((u) => u.branchId))];
    const rolls = branchIds.length ? await d.roll.of(branchIds) : new Map<string, Map<string, unknown>>();
    const joining = onBranch.filter((u) => !rolls.get(u.branchId)?.has(u.id));
    await inBatches(joining, async (batch) => void (await Promise.all(batch.map((u) => d.roll.join(u.branchId, u.id, u.createdAt)))));
    report.rollJoins = joining.length;

    await marker.markFinished(d.clock.now());
    report.ms = Date.now() - t0;
    return report;
  }

  return {
    run,
    finishedAt: marker.finishedAt,

    /**
     * At start: on an empty record, or one never backfilled to the end (an upgrade, or a backfill a crash cut short:
     * the record's exactly-once rule makes the rerun safe); else nothing (null).
     */
    async runIfNeeded(): Promise<BackfillReport | null> {
      if (!(await d.record.isEmpty()) && (await marker.finishedAt()) !== null) return null;
      return run();
    },
  };
}

export type LedgerBackfill = ReturnType<typeof createLedgerBackfill>;

/** One line per kind for the CLI and the start log. */
export function describeBackfill(r: BackfillReport): string {
  const kinds = LEDGER_KINDS.filter((k) => r.found[k] > 0 || r.written[k] > 0).map((k) => `${k} ${r.written[k]} new of ${r.found[k]}`);
  return [...(kinds.length ? kinds : ['no activities found']), `meetings ${r.meetings}`, `roll joins ${r.rollJoins}`, ...(r.sessionsWithoutRecord ? [`ended sessions without a record ${r.sessionsWithoutRecord}`] : []), `${r.ms} ms`].join('; ');
}
