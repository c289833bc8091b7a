/**
 * The parts of `npm run bench:reports` that run the server's own code in the bench process (bundled on the fly by
 * scripts/bench-reports.mjs with esbuild, like benchReviewKit.ts): an organisation of branches and members through
 * the real branches and users stores, their roll through the roll store, and a year of study-record entries through
 * the record store's `write` (the Lua step the app runs, aggregates included), built the way the record service
 * builds them (entry id, 学时 under the default rules, qualifying, scored). Plus Redis's own measure of memory and,
 * for a route not there yet, the service functions themselves.
 */
import { DEFAULT_LEDGER_SETTINGS, isQualifying, type LedgerEntry, type LedgerKind, type LedgerResult } from '../shared/schemas/ledger';
import type { StudySessionKind } from '../shared/schemas/study';
import { loadConfig } from '../server/config';
import { hoursFor } from '../server/domain/ledger/hours';
import { addDays, dayStartAt, resolvePeriod, periodsBack } from '../server/domain/ledger/period';
import { dayKey } from '../server/domain/review/day';
import { createLogger } from '../server/infra/logger';
import { connectRedis } from '../server/infra/redis';
import { createParticipationService } from '../server/services/ledger/participation';
import { entryId } from '../server/services/ledger/record';
import { hashPassword } from '../server/services/passwords';
import { createBranchesStore } from '../server/store/branchesStore';
import { newId } from '../server/store/ids';
import { keys } from '../server/store/keys';
import { createLedgerRecordStore, type StoredEntryWrite } from '../server/store/ledger/recordStore';
import { createLedgerRollStore } from '../server/store/ledger/rollStore';
import { createLedgerSettingsStore } from '../server/store/ledger/settingsStore';
import { createUsersStore } from '../server/store/usersStore';
import { usedMemory } from './benchRedisInfo';

const logger = createLogger('warn');
const DAY = 86_400_000;

/** A small deterministic PRNG (mulberry32): the same seed gives the same organisation on every run. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Member {
  id: string;
  branchId: string;
  index: number;
  /** Days (org time zone) on the roll: from `joined`, until `left` (excluded) or today. */
  joined: string;
  left: string | null;
}

interface Draft {
  memberId: string;
  branchId: string;
  kind: LedgerKind;
  refId: string;
  day: string;
  at: number;
  title: string;
  result: LedgerResult;
  sessionKind?: StudySessionKind;
  examId?: string;
  note?: string;
}

/** Which of 三会一课 a branch's weekly session is: 党课 each quarter, 支部党员大会 each quarter, the rest monthly kinds. */
function sessionKindOf(week: number): StudySessionKind {
  if (week % 13 === 0) return 'party_lecture';
  if (week % 13 === 6) return 'branch_general_meeting';
  return (['theme_day', 'committee_meeting', 'group_meeting', 'collective_study'] as const)[week % 4]!;
}

export async function openKit(socketPath: string) {
  const redis = await connectRedis({ socketPath }, logger, 0);
  const timeZone = loadConfig({}).orgTimeZone;
  const users = createUsersStore(redis);
  const branchesStore = createBranchesStore(redis);
  const roll = createLedgerRollStore(redis);
  const store = createLedgerRecordStore(redis);
  const settings = createLedgerSettingsStore(redis);
  const rules = DEFAULT_LEDGER_SETTINGS;
  const rand = seeded(20_261_201);
  let branchIds: string[] = [];
  let members: Member[] = [];

  /** The record service's mapping (server/services/ledger/record.ts) without its users lookup: the bench knows the branch. */
  function toWrite(d: Draft): StoredEntryWrite {
    const entry: LedgerEntry = {
      id: entryId(d),
      memberId: d.memberId,
      branchId: d.branchId,
      kind: d.kind,
      refId: d.refId,
      at: d.at,
      hours: hoursFor(d, rules),
      title: d.title,
      result: d.result,
      note: d.note ?? '',
      ...(d.sessionKind ? { sessionKind: d.sessionKind } : {}),
      ...(d.examId ? { examId: d.examId } : {}),
    };
    const qualifying = isQualifying(entry);
    return { entry, day: d.day, qualifying, scored: d.kind === 'live_game' || d.kind === 'exam', missedMeeting: d.kind === 'study_session' && !qualifying };
  }

  return {
    timeZone,
    today: () => dayKey(Date.now(), timeZone),

    /** B branches of M/B members each, with a few joining and leaving during the year (the roll counts them pro rata). */
    async seedOrg(branchCount: number, memberCount: number, days: number) {
      const now = Date.now();
      const today = dayKey(now, timeZone);
      const first = addDays(today, -(days - 1));
      const tag = now.toString(36);
      branchIds = [];
      for (let b = 0; b < branchCount; b++) {
        const id = newId();
        const outcome = await branchesStore.create({ id, name: `压测第${String(b + 1).padStart(3, '0')}党支部${tag}`, secretaryId: null }, now - days * DAY);
        if (outcome !== 'saved') throw new Error(`seeding branch ${b}: ${outcome}`);
        branchIds.push(id);
      }
      // One argon2 hash shared by every account: nobody logs in as them, the admin reads their record.
      const passwordHash = await hashPassword(`bench-${tag}-unused`);
      members = [];
      for (let start = 0; start < memberCount; start += 500) {
        const batch = Array.from({ length: Math.min(500, memberCount - start) }, (_, j) => start + j);
        members.push(
          ...(await Promise.all(
            batch.map(async (i): Promise<Member> => {
              const id = newId();
              const branchId = branchIds[i % branchCount]!;
              const r = rand();
              // 2 % joined during the year, 2 % left during it; the rest were on the roll all year.
              const joined = r < 0.02 ? addDays(first, 60 + Math.floor(rand() * (days - 120))) : first;
              const left = r >= 0.02 && r < 0.04 ? addDays(first, 60 + Math.floor(rand() * (days - 120))) : null;
              const createdAt = dayStartAt(joined, timeZone) + 9 * 3_600_000;
              const outcome = await users.create({ id, username: `rep_${tag}_${i}`, displayName: `党员${String(i).padStart(5, '0')}`, role: 'member', branchId, disabled: false, mustChangePassword: false, passwordHash, createdAt });
              if (outcome !== 'created') throw new Error(`seeding member ${i}: ${outcome}`);
              await roll.join(branchId, id, createdAt);
              if (left) await roll.leave(branchId, id, dayStartAt(left, timeZone));
              return { id, branchId, index: i, joined, left };
            }),
          )),
        );
      }
      await settings.save(rules);
      return { branchIds, first, today };
    },

    /**
     * A year of activity, branch by branch, written in batches through the record store (each batch's scripts go out
     * pipelined): weekly sessions with attendance (and the meetings held), a few 心得体会, a live game each month,
     * the daily set by half the members on 70 % of days, and a mock exam each quarter. Returns entries per kind.
     */
    async seedActivity(days: number, batchSize: number, progress: (written: number) => void) {
      const today = dayKey(Date.now(), timeZone);
      const first = addDays(today, -(days - 1));
      const dayList = Array.from({ length: days }, (_, i) => addDays(first, i));
      const counts: Partial<Record<LedgerKind, number>> = {};
      let written = 0;
      let pending: StoredEntryWrite[] = [];
      const flush = async () => {
        if (pending.length === 0) return;
        const fresh = await store.write(pending);
        written += fresh.length;
        for (const e of fresh) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
        pending = [];
        progress(written);
      };
      const add = async (d: Draft) => {
        pending.push(toWrite(d));
        if (pending.length >= batchSize) await flush();
      };
      const at = (day: string, hour: number) => dayStartAt(day, timeZone) + hour * 3_600_000 + Math.floor(rand() * 3_600_000);
      const onRoll = (m: Member, day: string) => day >= m.joined && (m.left === null || day < m.left);
      const exams = [0, 1, 2, 3].map((q) => ({ id: newId(), day: dayList[Math.min(days - 1, 45 + q * 91)]!, title: `第${q + 1}季度党规党纪模拟考试` }));

      for (const [b, branchId] of branchIds.entries()) {
        const ofBranch = members.filter((m) => m.branchId === branchId);
        // Weekly sessions (the branch's weekday), each with every member on the roll that day.
        for (let w = 0; w * 7 + (b % 7) < days; w++) {
          const day = dayList[w * 7 + (b % 7)]!;
          const sessionId = newId();
          const kind = sessionKindOf(w);
          const ended = at(day, 11);
          await store.addMeeting(branchId, kind, sessionId, ended);
          for (const m of ofBranch) {
            if (!onRoll(m, day)) continue;
            const r = rand();
            const status = r < 0.82 ? 'present' : r < 0.88 ? 'late' : r < 0.9 ? 'left_early' : r < 0.96 ? 'absent' : 'leave';
            const minutes = status === 'absent' || status === 'leave' ? 0 : 45 + Math.floor(rand() * 75);
            await add({ memberId: m.id, branchId, kind: 'study_session', refId: sessionId, day, at: ended, title: `第${w + 1}周${kind === 'party_lecture' ? '党课' : '集体学习'}`, sessionKind: kind, result: { status, minutes }, note: status === 'leave' ? '出差' : '' });
            if (minutes > 0 && rand() < 0.1) await add({ memberId: m.id, branchId, kind: 'reflection', refId: sessionId, day, at: ended + 3_600_000, title: `第${w + 1}周心得体会`, result: {} });
          }
        }
        // A live game each month: 80 % of the members on the roll play it.
        for (let k = 0; k * 30 + 10 + (b % 5) < days; k++) {
          const day = dayList[k * 30 + 10 + (b % 5)]!;
          const gameId = newId();
          const players = ofBranch.filter((m) => onRoll(m, day) && rand() < 0.8);
          for (const [i, m] of players.entries()) {
            const correct = Math.floor(rand() * 11);
            await add({ memberId: m.id, branchId, kind: 'live_game', refId: gameId, day, at: at(day, 15), title: `${k + 1}月党史竞答`, result: { score: correct * 900 + Math.floor(rand() * 900), rank: i + 1, correct, total: 10 } });
          }
        }
        // The daily set: even members, on 70 % of days.
        for (const m of ofBranch) {
          if (m.index % 2 !== 0) continue;
          for (const day of dayList) {
            if (!onRoll(m, day) || rand() >= 0.7) continue;
            const correct = Math.floor(rand() * 6);
            await add({ memberId: m.id, branchId, kind: 'daily_set', refId: day, day, at: at(day, 7), title: '每日一练', result: { correct, total: 5 } });
          }
        }
        // A mock exam each quarter: 90 % of the members take it.
        for (const exam of exams) {
          for (const m of ofBranch) {
            if (!onRoll(m, exam.day) || rand() >= 0.9) continue;
            const correct = 10 + Math.floor(rand() * 11);
            await add({ memberId: m.id, branchId, kind: 'exam', refId: `${exam.id}-${m.id}`, examId: exam.id, day: exam.day, at: at(exam.day, 19), title: exam.title, result: { score: correct * 5, correct, total: 20 } });
          }
        }
      }
      await flush();
      return { written, counts };
    },

    /** For a route not there yet: the participation service itself over every branch (the ranking the route returns). */
    async rankingDirect(query: { period: 'year' | 'month' }) {
      const participation = createParticipationService({ store, roll, branches: branchesStore, settings: () => settings.get(), timeZone });
      const t0 = performance.now();
      await participation.report(branchIds, resolvePeriod({ period: query.period }, dayKey(Date.now(), timeZone)));
      return performance.now() - t0;
    },

    /** The dashboard's heavy part without its route: this month's ranking and the 12-month trend (one report a month). */
    async dashboardDirect() {
      const participation = createParticipationService({ store, roll, branches: branchesStore, settings: () => settings.get(), timeZone });
      const today = dayKey(Date.now(), timeZone);
      const t0 = performance.now();
      await participation.report(branchIds, resolvePeriod({ period: 'month' }, today));
      await Promise.all(periodsBack({ period: 'month' }, today, 12).map((p) => participation.details(branchIds, p)));
      return performance.now() - t0;
    },

    branchIds: () => branchIds,

    async entryCount() {
      return redis.hLen(keys.ledgerEntries());
    },

    /** INFO memory's used_memory and used_memory_dataset (bytes). */
    usedMemory: () => usedMemory(redis),

    async close() {
      await redis.quit();
    },
  };
}

export type BenchReportsKit = Awaited<ReturnType<typeof openKit>>;
