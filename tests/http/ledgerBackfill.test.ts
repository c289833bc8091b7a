import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';
import { ok, openSocket, seedQuiz } from '../helpers/live';
import { waitFor, type LiveClient } from '../helpers/sockets';
import { studyOk, studySocket, type StudyClient } from '../helpers/study';
import { keys } from '../../server/store/keys';
import { liveGameActivities } from '../../server/services/ledger/liveGameEntries';
import type { RedisClient } from '../../server/infra/redis';

let t: TestApp;
let admin: ApiClient;
let one: Awaited<ReturnType<typeof seedBranch>>;
let gameId: string;
const sockets: (LiveClient | StudyClient)[] = [];

/** Every ledger key with its whole content (hash, sorted set, set or string), for comparing two states of the record. */
async function ledgerDump(redis: RedisClient, except: string[] = []): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for await (const batch of redis.scanIterator({ MATCH: 'ledger:*', COUNT: 500 })) {
    for (const key of batch as unknown as string[]) {
      if (except.includes(key)) continue;
      const type = await redis.type(key);
      if (type === 'hash') out[key] = await redis.hGetAll(key);
      else if (type === 'zset') out[key] = await redis.zRangeWithScores(key, 0, -1);
      else if (type === 'set') out[key] = (await redis.sMembers(key)).sort();
      else out[key] = await redis.get(key);
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** What an upgrade starts from: the record, its aggregates, meetings, roll and marker gone; settings kept. */
async function wipeLedger(redis: RedisClient): Promise<void> {
  for await (const batch of redis.scanIterator({ MATCH: 'ledger:*', COUNT: 500 })) {
    const ks = (batch as unknown as string[]).filter((k) => k !== keys.ledgerSettings());
    if (ks.length) await redis.del(ks);
  }
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 4000): Promise<T> {
  const end = Date.now() + ms;
  let v = await read();
  while (!done(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 25));
    v = await read();
  }
  return v;
}

const entryIds = async (redis: RedisClient) => Object.keys(await redis.hGetAll(keys.ledgerEntries())).sort();

beforeAll(async () => {
  t = await startTestApp();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  one = await seedBranch(t.url, admin, '台账一支部');

  // A finished live game with a logged-in player (the branch's member) and a guest (no record for guests).
  const { quizId, questions } = await seedQuiz(admin, '台账竞答');
  const host = await openSocket(t.url, admin);
  const player = await openSocket(t.url, one.memberClient);
  const guest = await openSocket(t.url);
  sockets.push(host, player, guest);
  const created = await ok<{ gameId: string; pin: string }>(host, 'game:create', { quizId, allowGuests: true });
  gameId = created.gameId;
  const { pin } = created;
  await ok(player, 'game:join', { pin });
  await ok(guest, 'game:join', { pin, nickname: '访客' });
  const opened = waitFor(player, 'question:open');
  await ok(host, 'game:start', { gameId });
  await opened;
  await ok(player, 'answer:submit', { gameId, index: 0, answer: 0 });
  const finished = waitFor(player, 'game:finished', 8000);
  await ok(host, 'game:end', { gameId });
  await finished;

  // An ended study session (the member attends, the secretary hosts) with its drafted record and a 心得体会.
  const materialId = (await admin.post('/api/materials', { title: '台账学习材料', kind: 'markdown', body: '第一页\n---\n第二页' })).body.material.id;
  const planned = await one.secretaryClient.post('/api/study-sessions', { title: '台账集体学习', kind: 'party_lecture', branchId: one.branch.id, materialId, plannedAt: Date.now() });
  expect(planned.status).toBe(201);
  const sessionId = planned.body.session.id as string;
  const sHost = await studySocket(t.url, one.secretaryClient.cookie);
  const sMember = await studySocket(t.url, one.memberClient.cookie);
  sockets.push(sHost, sMember);
  await studyOk(sHost, 'study:join', { sessionId });
  await studyOk(sMember, 'study:join', { sessionId });
  await studyOk(sHost, 'study:start', { sessionId });
  await studyOk(sHost, 'study:end', { sessionId });
  expect((await one.secretaryClient.get(`/api/study-sessions/${sessionId}/record`)).status).toBe(200);
  expect((await one.memberClient.request('PUT', `/api/study-sessions/${sessionId}/reflection`, { text: '学习党课很有收获' })).status).toBe(200);

  // The day's set all answered (每日一练) and a graded mock exam.
  const daily = (await one.memberClient.get('/api/review/daily')).body;
  for (const item of daily.items as { questionId: string }[]) {
    expect((await one.memberClient.post('/api/review/answers', { attemptId: randomUUID(), mode: 'daily', questionId: item.questionId, answer: 0 })).status).toBe(200);
  }
  const now = Date.now();
  const exam = (await admin.post('/api/exams', { quizId, timeLimitMin: 5, opensAt: now - 60_000, closesAt: now + 3_600_000, branchIds: [one.branch.id] })).body.exam;
  const attempt = (await one.memberClient.post(`/api/exams/${exam.id}/attempts`)).body.attempt;
  await one.memberClient.request('PUT', `/api/exams/attempts/${attempt.id}/answers/0`, { answer: 0 });
  expect((await one.memberClient.post(`/api/exams/attempts/${attempt.id}/submit`)).status).toBe(200);
  expect(questions.length).toBe(4);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await t.close();
});

describe('issue 12: the study record backfill', () => {
  it('issue 12: the backfill is idempotent: it rebuilds what the live wiring wrote (entries, aggregates, meetings, roll), and a second run writes 0', async () => {
    const kinds = ['live_game', 'study_session', 'reflection', 'daily_set', 'exam'];
    // What the live wiring wrote as things happened (the exam's delivery may still be on its way).
    const live = await until(
      () => entryIds(t.redis),
      (ids) => kinds.every((k) => ids.some((id) => id.startsWith(`${k}:`))),
    );
    expect(live.filter((id) => id.startsWith('live_game:'))).toHaveLength(1); // the guest has no record
    expect(live.filter((id) => id.startsWith('study_session:'))).toHaveLength(2); // the secretary and the member
    const wired = await ledgerDump(t.redis, [keys.ledgerBackfilled()]);
    const wiredRoll = await t.redis.hGetAll(keys.ledgerRoll(one.branch.id));
    expect(Object.keys(wiredRoll).sort()).toEqual([one.member.id, one.secretary.id].sort());

    // An upgrade: none of it was recorded.
    await wipeLedger(t.redis);
    expect(await t.app.services.ledger.record.isEmpty()).toBe(true);

    const first = await t.app.services.ledger.backfill.run();
    expect(first.written).toMatchObject({ live_game: 1, study_session: 2, reflection: 1, daily_set: 1, exam: 1, practice: 0, task: 0 });
    expect(first).toMatchObject({ meetings: 1, rollJoins: 2, sessionsWithoutRecord: 0 });
    // The same mapping as the live wiring: the same entries, aggregates and meetings, byte for byte.
    const rebuilt = await ledgerDump(t.redis, [keys.ledgerBackfilled()]);
    const { [keys.ledgerRoll(one.branch.id)]: rebuiltRoll, ...rebuiltRest } = rebuilt as Record<string, Record<string, string>>;
    const { [keys.ledgerRoll(one.branch.id)]: _wiredRoll, ...wiredRest } = wired;
    expect(rebuiltRest).toEqual(wiredRest);
    // Each member back on the roll from their account's creation, still on it.
    expect(Object.keys(rebuiltRoll!).sort()).toEqual(Object.keys(wiredRoll).sort());
    for (const raw of Object.values(rebuiltRoll!)) expect(JSON.parse(raw)).toEqual([[expect.any(Number), null]]);
    expect(Number(await t.redis.get(keys.ledgerBackfilled()))).toBeGreaterThan(0);

    // Twice: nothing new, nothing changed.
    const second = await t.app.services.ledger.backfill.run();
    expect(second.found).toEqual(first.found);
    expect(Object.values(second.written).every((n) => n === 0)).toBe(true);
    expect(second.rollJoins).toBe(0);
    expect(await ledgerDump(t.redis, [keys.ledgerBackfilled()])).toEqual(rebuilt);
  });

  it('issue 12: the backfill runs at start on an empty record, resumes one a crash cut short, and is not run again once done', async () => {
    const roll = keys.ledgerRoll(one.branch.id);
    const before = await ledgerDump(t.redis, [keys.ledgerBackfilled(), roll]);
    const startAndWait = async () => {
      const app = await startTestApp({ redis: t.redis });
      await until(() => t.redis.get(keys.ledgerBackfilled()), (v) => v !== null);
      return app;
    };

    // An upgrade: the record empty.
    await wipeLedger(t.redis);
    const second = await startAndWait();
    expect(await ledgerDump(t.redis, [keys.ledgerBackfilled(), roll])).toEqual(before);
    await second.close();

    // A backfill stopped half-way (the game written, the rest not, no mark): the next start finishes it.
    await wipeLedger(t.redis);
    const game = await t.app.services.reports.record(gameId);
    expect(await t.app.services.ledger.record.record(liveGameActivities(game!))).toHaveLength(1);
    const third = await startAndWait();
    try {
      expect(await ledgerDump(t.redis, [keys.ledgerBackfilled(), roll])).toEqual(before);
      // Done: a start leaves a non-empty, marked record alone.
      expect(await third.app.services.ledger.backfill.runIfNeeded()).toBeNull();
    } finally {
      await third.close();
    }
  });
});
