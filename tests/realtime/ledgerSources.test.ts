import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';
import { ok, openSocket, seedQuiz } from '../helpers/live';
import { waitFor, type LiveClient } from '../helpers/sockets';
import { studyOk, studySocket, type StudyClient } from '../helpers/study';
import { liveGameActivities } from '../../server/services/ledger/liveGameEntries';
import { keys } from '../../server/store/keys';

let t: TestApp;
let admin: ApiClient;
let one: Awaited<ReturnType<typeof seedBranch>>;
let absentee: { id: string };
const sockets: (LiveClient | StudyClient)[] = [];

type Entry = { kind: string; refId: string; memberId: string; hours: number; result: Record<string, unknown>; sessionKind?: string; title: string; note: string };
const entriesOf = async (memberId: string): Promise<Entry[]> => (await admin.get(`/api/ledger/members/${memberId}/entries?from=2020-01-01&to=2099-12-31`)).body.entries;

beforeAll(async () => {
  t = await startTestApp();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  one = await seedBranch(t.url, admin, '记录支部');
  absentee = (await admin.post('/api/users', { username: 'absentee', displayName: '未到的党员', password: 'password-1', role: 'member', branchId: one.branch.id })).body.user;
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await t?.close();
});

describe('issue 12: the owning services write the study record', () => {
  it('a finished live game writes one entry per logged-in player (score, rank, right answers); a second finalise writes none', async () => {
    const { quizId } = await seedQuiz(admin, '台账竞答');
    const host = await openSocket(t.url, admin);
    const player = await openSocket(t.url, one.memberClient);
    sockets.push(host, player);
    const { gameId, pin } = await ok<{ gameId: string; pin: string }>(host, 'game:create', { quizId });
    await ok(player, 'game:join', { pin });
    const opened = waitFor(player, 'question:open');
    await ok(host, 'game:start', { gameId });
    await opened;
    expect((await admin.get('/api/ledger/dashboard')).body.running.games).toEqual([{ id: gameId, title: '台账竞答', branchId: null, players: 1 }]);
    const finished = waitFor(player, 'game:finished', 8000);
    await ok(host, 'game:end', { gameId });
    await finished;

    const games = (await entriesOf(one.member.id)).filter((e) => e.kind === 'live_game');
    expect(games).toEqual([expect.objectContaining({ refId: gameId, title: '台账竞答', hours: 0.5, result: expect.objectContaining({ rank: 1, correct: 0 }) })]);
    expect((games[0]!.result as { total: number }).total).toBeGreaterThan(0);
    // The sweep finalising again after a crash: the same activities, nothing new.
    const report = await t.app.services.reports.record(gameId);
    expect(await t.app.services.ledger.record.record(liveGameActivities(report!))).toEqual([]);
    expect((await entriesOf(one.member.id)).filter((e) => e.kind === 'live_game')).toHaveLength(1);
  });

  it('an ended study session writes who attended at once, who was absent or on leave when the record is submitted, and one meeting held; a 心得体会 once', async () => {
    const created = await one.secretaryClient.post('/api/study-sessions', { title: '第四季度党课', kind: 'party_lecture', branchId: one.branch.id, plannedAt: Date.now() });
    expect(created.status).toBe(201);
    const sessionId = created.body.session.id as string;
    const host = await studySocket(t.url, one.secretaryClient.cookie);
    const member = await studySocket(t.url, one.memberClient.cookie);
    sockets.push(host, member);
    await studyOk(host, 'study:join', { sessionId });
    await studyOk(member, 'study:join', { sessionId });
    await studyOk(host, 'study:start', { sessionId });
    // Running now, on the dashboard, with who is there (the host and the member).
    const running = (await admin.get('/api/ledger/dashboard')).body.running.sessions;
    expect(running).toEqual([{ id: sessionId, title: '第四季度党课', branchId: one.branch.id, present: 2 }]);
    await studyOk(host, 'study:end', { sessionId });
    expect((await admin.get('/api/ledger/dashboard')).body.running.sessions).toEqual([]);

    const attended = (await entriesOf(one.member.id)).find((e) => e.kind === 'study_session');
    expect(attended).toMatchObject({ refId: sessionId, sessionKind: 'party_lecture', title: '第四季度党课', result: { status: 'present' } });
    // The absent member waits for the recorder: 请假 is entered after the meeting, and the record keeps the first write.
    expect((await entriesOf(absentee.id)).filter((e) => e.kind === 'study_session')).toEqual([]);
    const draft = (await one.secretaryClient.get(`/api/study-sessions/${sessionId}/record`)).body.record;
    expect((await one.secretaryClient.request('PUT', `/api/study-sessions/${sessionId}/record`, { version: draft.version, leave: [{ userId: absentee.id, reason: '出差' }] })).status).toBe(200);
    expect((await one.secretaryClient.post(`/api/study-sessions/${sessionId}/record/submit`)).status).toBe(200);
    // Submitted, the record waits for approval on the admin's dashboard (and on its own branch's secretary's).
    const awaiting = async (c: ApiClient) => ((await c.get('/api/ledger/dashboard')).body.recordsAwaiting as { sessionId: string }[]).map((r) => r.sessionId);
    expect(await awaiting(admin)).toEqual([sessionId]);
    expect(await awaiting(one.secretaryClient)).toEqual([sessionId]);
    // The index is built from the records the first time it is missing (an upgrade): drop it and ask again.
    await t.redis.del([keys.studyRecordsSubmitted(), keys.studyRecordsSubmittedBuilt()]);
    expect(await awaiting(admin)).toEqual([sessionId]);
    const onLeave = (await entriesOf(absentee.id)).filter((e) => e.kind === 'study_session');
    expect(onLeave).toEqual([expect.objectContaining({ refId: sessionId, hours: 0, note: '出差', result: { status: 'leave', minutes: 0 } })]);
    const meetings = await t.app.services.ledger.store.meetings([one.branch.id], 0, Date.now() + 1000);
    expect(meetings.get(one.branch.id)).toEqual([expect.objectContaining({ kind: 'party_lecture' })]);

    expect((await admin.post(`/api/study-sessions/${sessionId}/record/approve`)).status).toBe(200);
    expect(await awaiting(admin)).toEqual([]);

    for (const text of ['党课让我对党章有了新的理解', '补充：要把学习落到工作中']) {
      expect((await one.memberClient.request('PUT', `/api/study-sessions/${sessionId}/reflection`, { text })).status).toBe(200);
    }
    expect((await entriesOf(one.member.id)).filter((e) => e.kind === 'reflection')).toEqual([expect.objectContaining({ refId: sessionId, title: '第四季度党课' })]);
  });
});
