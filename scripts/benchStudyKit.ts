/**
 * The parts of `npm run bench:study` that run the server's own code in the bench process (bundled on the fly by
 * scripts/bench-study.mjs with esbuild): seeding members and their login sessions through the real stores, timing
 * the roster the host gets, and the attendance computation (pure, and end to end through the services on Redis).
 */
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../server/config';
import { draftRecord, type DraftInput } from '../server/domain/study/record';
import { computeAttendance, DEFAULT_ATTENDANCE_RULES, type StayInterval } from '../server/domain/study/attendance';
import type { Clock } from '../server/infra/clock';
import { createLogger } from '../server/infra/logger';
import { connectRedis, type RedisClient } from '../server/infra/redis';
import type { ServiceDeps } from '../server/services/deps';
import { hashPassword } from '../server/services/passwords';
import { createPresence } from '../server/services/presence';
import { createStudyServices } from '../server/services/study';
import type { StudyOutput } from '../server/services/study/liveStudy';
import { createBranchesStore } from '../server/store/branchesStore';
import { newId } from '../server/store/ids';
import { createPresenceStore } from '../server/store/presenceStore';
import { createLedgerServices } from '../server/services/ledger';
import { createLedgerRollStore } from '../server/store/ledger/rollStore';
import { createRateLimitStore } from '../server/store/rateLimitStore';
import { createSessionsStore } from '../server/store/sessionsStore';
import { createStaysStore } from '../server/store/study/staysStore';
import { createUsersStore } from '../server/store/usersStore';
import { studySessionCreateSchema } from '../shared/schemas/study';
import type { User } from '../shared/schemas/users';

const HOUR = 3_600_000;
const logger = createLogger('warn');

/** The study services wired as server/app.ts wires them, on one Redis database, with a clock the caller moves. */
function servicesOn(redis: RedisClient, clock: Clock) {
  const config = loadConfig({ DATA_DIR: '/nonexistent-bench-data' });
  const sessions = createSessionsStore(redis, config.sessionIdleMs);
  const deps: ServiceDeps = {
    redis,
    stores: { users: createUsersStore(redis), branches: createBranchesStore(redis), sessions, rateLimits: createRateLimitStore(redis), roll: createLedgerRollStore(redis) },
    clock,
    logger,
    config,
    notifier: { sessionsEnded: () => undefined, userChanged: () => undefined },
  };
  // The bench sends nothing: the transport is what bench-study measures with real sockets.
  const output: StudyOutput = { state() {}, pollOpen() {}, pollResult() {}, ended() {}, presenceChanged() {}, presenterChanged() {}, pollAnswered() {} };
  const presence = createPresence(createPresenceStore(redis), `bench-${process.pid}`);
  const ledger = createLedgerServices(deps);
  return { deps, study: createStudyServices(deps, presence, () => output, { activity: ledger.record.sink, meetingHeld: ledger.record.addMeeting }) };
}

const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
};

/** Members of a branch with one shared password hash (one argon2 run, not N) and a login session each. */
async function seedMembers(redis: RedisClient, branchId: string, count: number, tag: string, withSessions: boolean) {
  const users = createUsersStore(redis);
  const sessions = createSessionsStore(redis, loadConfig({}).sessionIdleMs);
  const passwordHash = await hashPassword(`bench-${tag}-unused`);
  const out: { userId: string; cookie: string }[] = [];
  const now = Date.now();
  for (let start = 0; start < count; start += 500) {
    const batch = Array.from({ length: Math.min(500, count - start) }, (_, j) => start + j);
    out.push(
      ...(await Promise.all(
        batch.map(async (i) => {
          const id = newId();
          const outcome = await users.create({ id, username: `bench_${tag}_${i}`, displayName: `党员${tag}${String(i).padStart(5, '0')}`, role: 'member', branchId, disabled: false, mustChangePassword: false, passwordHash, createdAt: now + i });
          if (outcome !== 'created') throw new Error(`seeding member ${i}: ${outcome}`);
          const cookie = withSessions ? `sid=${(await sessions.create(id, now)).id}` : '';
          return { userId: id, cookie };
        }),
      )),
    );
  }
  return out;
}

/** `reconnects` drops per member spread over the session; about 10 % absent, some late, some gone early. */
function syntheticStays(start: number, end: number, reconnects: number, rand: () => number): StayInterval[] {
  const r = rand();
  if (r < 0.1) return [];
  const from = start + (r < 0.25 ? rand() * 0.4 : rand() * 0.02) * (end - start);
  const to = end - (r > 0.9 ? rand() * 0.4 : 0) * (end - start);
  const cuts = Array.from({ length: reconnects }, () => from + rand() * (to - from)).sort((a, b) => a - b);
  const stays: StayInterval[] = [];
  let at = from;
  for (const cut of cuts) {
    if (cut > at) stays.push({ from: Math.round(at), to: Math.round(cut) });
    at = cut + 5_000 + rand() * 60_000; // a reconnect takes seconds to a minute
  }
  if (to > at) stays.push({ from: Math.round(at), to: Math.round(to) });
  return stays;
}

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

export async function openKit(socketPath: string) {
  const redis = await connectRedis({ socketPath }, logger, 0);
  const scratch = await connectRedis({ socketPath }, logger, 1);
  return {
    /** Followers for the app under test (database 0): members of its branch, each logged in. */
    seedFollowers: (branchId: string, count: number, tag: string) => seedMembers(redis, branchId, count, tag, true),

    /** What one presence tick costs the server now: the counts for everyone and the host's roster, with its parts. */
    async rosterCost(sessionId: string, repeat = 3) {
      const { study, deps } = servicesOn(redis, { now: () => Date.now() });
      const stays = createStaysStore(redis);
      const rows: { counts: number; roster: number; sockets: number; getMany: number; sortZh: number; people: number; bytes: number }[] = [];
      for (let i = 0; i < repeat; i++) {
        const [, counts] = await timed(() => study.attendance.counts(sessionId));
        const [{ roster }, rosterMs] = await timed(async () => {
          const { session, state } = await study.live.currentState(sessionId);
          return study.attendance.feed(session, state.presenterId);
        });
        const [open, sockets] = await timed(() => stays.sockets(sessionId));
        const [, getMany] = await timed(() => deps.stores.users.getMany([...new Set(open.map((s) => s.userId))]));
        const names = roster.people.map((p) => p.name);
        const t0 = performance.now();
        names.sort((a, b) => a.localeCompare(b, 'zh-CN'));
        const sortZh = performance.now() - t0;
        rows.push({ counts, roster: rosterMs, sockets, getMany, sortZh, people: roster.people.length, bytes: Buffer.byteLength(JSON.stringify(roster)) });
      }
      return rows;
    },

    /** A 2-hour session of `members` members, `reconnects` drops each: the pure functions, then end to end on Redis. */
    async attendance(members: number, reconnects: number, repeat: number) {
      const rand = seeded(20_260_101);
      const start = Date.UTC(2026, 0, 5, 14, 0);
      const end = start + 2 * HOUR;
      const roll = Array.from({ length: members }, (_, i) => ({ userId: `u${i}`, name: `党员${i}`, stays: syntheticStays(start, end, reconnects, rand) }));
      const intervals = roll.reduce((n, m) => n + m.stays.length, 0);
      const input: DraftInput = {
        session: { sessionId: 's', title: '集体学习', kind: 'collective_study', branchId: 'b', place: '', startedAt: start, endedAt: end },
        names: { host: '书记', presenter: '书记', recorder: '委员' },
        roll,
        observers: [],
        material: { title: '党章', pageCount: 30, pagesCovered: [0, 1, 2] },
        polls: [],
        rules: DEFAULT_ATTENDANCE_RULES,
        by: { id: 'a', name: '书记' },
        now: end,
      };
      // Warm up, then time many runs (one run is well under a millisecond).
      for (let i = 0; i < 50; i++) draftRecord(input);
      const pureRuns = 500;
      let t0 = performance.now();
      for (let i = 0; i < pureRuns; i++) for (const m of roll) computeAttendance(m.stays, start, end);
      const computeMs = (performance.now() - t0) / pureRuns;
      t0 = performance.now();
      let draft = draftRecord(input);
      for (let i = 1; i < pureRuns; i++) draft = draftRecord(input);
      const draftMs = (performance.now() - t0) / pureRuns;

      // End to end: the real services on database 1 (the app under test never reads it); the clock is moved by hand.
      await scratch.flushDb();
      let clockNow = start;
      const { study, deps } = servicesOn(scratch, { now: () => clockNow });
      const stays = createStaysStore(scratch);
      const e2e: { seedMs: number; endMs: number; expected: number; attended: number; absent: number; late: number; leftEarly: number }[] = [];
      for (let r = 0; r < repeat; r++) {
        clockNow = start;
        const branchId = newId();
        await deps.stores.branches.create({ id: branchId, name: `压测支部${r}`, secretaryId: null }, start);
        const seededMembers = await seedMembers(scratch, branchId, members, `att${r}`, false);
        const admin: User = { id: newId(), username: `bench_admin_${r}`, displayName: '管理员', role: 'admin', branchId: null, disabled: false, mustChangePassword: false };
        const session = await study.sessions.create(admin, studySessionCreateSchema.parse({ title: '两小时集体学习', kind: 'collective_study', branchId, plannedAt: start }));
        await study.live.start(admin, session.id);
        const t1 = performance.now();
        await Promise.all(
          seededMembers.map(async ({ userId }, i) => {
            const plan = roll[i]!.stays;
            for (let j = 0; j < plan.length; j++) {
              const socketId = `${userId}-${j}`;
              await stays.arrive(session.id, { socketId, userId, processId: 'bench', from: plan[j]!.from });
              await stays.depart(session.id, socketId, plan[j]!.to!);
            }
          }),
        );
        const seedMs = performance.now() - t1;
        clockNow = end;
        const [, endMs] = await timed(() => study.live.end(admin, session.id));
        const record = await study.records.get(admin, session.id);
        e2e.push({ seedMs, endMs, expected: record.expected, attended: record.attended, absent: record.absent, late: record.attendees.filter((a) => a.status === 'late').length, leftEarly: record.attendees.filter((a) => a.status === 'left_early').length });
      }
      await scratch.flushDb();
      return { members, reconnects, intervals, computeMs, draftMs, draftCounts: { expected: draft.expected, attended: draft.attended, absent: draft.absent }, e2e };
    },

    async close() {
      await Promise.all([redis.quit(), scratch.quit()]);
    },
  };
}

export type BenchStudyKit = Awaited<ReturnType<typeof openKit>>;
