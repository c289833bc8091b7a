import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';
import { nextStudy, studyCode, studyCommand, studyOk, studySocket, type StudyClient } from '../helpers/study';
import type { StudyJoinAck, StudyState } from '../../shared/studyEvents';
import { studyPresenceScope } from '../../server/services/study/attendance';
import { createStaysStore } from '../../server/store/study/staysStore';
import { createPresenceStore } from '../../server/store/presenceStore';
import { keys } from '../../server/store/keys';

let t: TestApp;
let admin: ApiClient;
let one: Awaited<ReturnType<typeof seedBranch>>;
let two: Awaited<ReturnType<typeof seedBranch>>;
let second: ApiClient;
let materialId: string;
let questionId: string;
const open: StudyClient[] = [];

const body = ['第一页', '第二页', '第三页', '第四页'].join('\n---\n');

async function socketOf(client: ApiClient): Promise<StudyClient> {
  const s = await studySocket(t.url, client.cookie);
  open.push(s);
  return s;
}

async function planSession(extra: Record<string, unknown> = {}) {
  const res = await one.secretaryClient.post('/api/study-sessions', {
    title: '集体学习', kind: 'collective_study', branchId: one.branch.id, materialId, plannedAt: Date.now(), ...extra,
  });
  expect(res.status).toBe(201);
  return res.body.session.id as string;
}

beforeAll(async () => {
  t = await startTestApp();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  one = await seedBranch(t.url, admin, '一支部');
  two = await seedBranch(t.url, admin, '二支部');
  const u = (await admin.post('/api/users', { username: 'second_member', displayName: '一支部党员乙', password: 'password-1', role: 'member', branchId: one.branch.id })).body.user;
  second = new ApiClient(t.url);
  await second.login(u.username, 'password-1');
  materialId = (await admin.post('/api/materials', { title: '学习材料', kind: 'markdown', body })).body.material.id;
  questionId = (
    await admin.post('/api/questions', { type: 'single', text: '党的最高理想和最终目标是什么？', options: ['实现共产主义', '全面小康', '乡村振兴', '共同富裕'], answer: 0, explanation: '党章总纲', source: '《中国共产党章程》总纲' })
  ).body.question.id;
});
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
});
afterAll(() => t.close());

describe('/study page sync', () => {
  it('the presenter moves, followers follow with the whole state, and a late joiner gets it in the ack', async () => {
    const sessionId = await planSession();
    const host = await socketOf(one.secretaryClient);
    const follower = await socketOf(one.memberClient);
    const hostJoin = await studyOk<StudyJoinAck>(host, 'study:join', { sessionId });
    expect(hostJoin.role).toBe('host');
    expect(hostJoin.state.phase).toBe('planned');
    expect((await studyOk<StudyJoinAck>(follower, 'study:join', { sessionId })).role).toBe('member');

    const started = nextStudy(follower, 'study:state', (s) => s.phase === 'live');
    await studyOk(host, 'study:start', { sessionId });
    const live = await started;
    expect(live).toMatchObject({ sessionId, phase: 'live', materialId, page: 0, pageCount: 4, presenterId: one.secretary.id });

    for (const page of [1, 2]) {
      const seen = nextStudy(follower, 'study:state', (s) => s.page === page);
      const ack = await studyOk<{ version: number }>(host, 'study:goto', { sessionId, page });
      const state = await seen;
      expect(state.version).toBe(ack.version);
      expect(state).toMatchObject({ phase: 'live', pageCount: 4, presenterId: one.secretary.id });
    }

    const late = await socketOf(second);
    const lateJoin = await studyOk<StudyJoinAck>(late, 'study:join', { sessionId });
    expect(lateJoin.state).toMatchObject({ phase: 'live', page: 2, pageCount: 4 });
    expect(lateJoin.serverNow).toBeTypeOf('number');
  });

  it('only the presenter moves pages and only the host ends: FORBIDDEN, state unchanged; a page out of range is INVALID_INPUT', async () => {
    const sessionId = await planSession();
    const host = await socketOf(one.secretaryClient);
    const member = await socketOf(one.memberClient);
    await studyOk(host, 'study:join', { sessionId });
    await studyOk(member, 'study:join', { sessionId });
    expect(studyCode(await studyCommand(member, 'study:start', { sessionId }))).toBe('FORBIDDEN');
    await studyOk(host, 'study:start', { sessionId });
    const before = (await studyOk<StudyJoinAck>(member, 'study:join', { sessionId })).state;

    expect(studyCode(await studyCommand(member, 'study:goto', { sessionId, page: 1 }))).toBe('FORBIDDEN');
    expect(studyCode(await studyCommand(member, 'study:end', { sessionId }))).toBe('FORBIDDEN');
    expect(studyCode(await studyCommand(host, 'study:goto', { sessionId, page: 4 }))).toBe('INVALID_INPUT');
    expect(studyCode(await studyCommand(host, 'study:goto', { sessionId, page: -1 }))).toBe('INVALID_INPUT');
    expect(studyCode(await studyCommand(host, 'study:goto', { sessionId: 'bad:id', page: 1 }))).toBe('INVALID_INPUT');
    const after = (await studyOk<StudyJoinAck>(member, 'study:join', { sessionId })).state;
    expect(after).toEqual(before);

    const ended = nextStudy(member, 'study:ended');
    await studyOk(host, 'study:end', { sessionId });
    expect(await ended).toEqual({ sessionId });
    expect(studyCode(await studyCommand(host, 'study:goto', { sessionId, page: 1 }))).toBe('WRONG_PHASE');
    expect(studyCode(await studyCommand(host, 'study:end', { sessionId }))).toBe('WRONG_PHASE');
    expect(studyCode(await studyCommand(member, 'study:join', { sessionId }))).toBe('WRONG_PHASE');
  });

  it('the host hands the presenter role to a member who is present; the old presenter can no longer move', async () => {
    const sessionId = await planSession();
    const host = await socketOf(one.secretaryClient);
    const member = await socketOf(one.memberClient);
    await studyOk(host, 'study:join', { sessionId });
    await studyOk(host, 'study:start', { sessionId });
    expect(studyCode(await studyCommand(host, 'study:presenter', { sessionId, userId: one.member.id }))).toBe('INVALID_INPUT');
    await studyOk(member, 'study:join', { sessionId });
    expect(studyCode(await studyCommand(member, 'study:presenter', { sessionId, userId: one.member.id }))).toBe('FORBIDDEN');

    const handed = nextStudy(member, 'study:state', (s) => s.presenterId === one.member.id);
    await studyOk(host, 'study:presenter', { sessionId, userId: one.member.id });
    await handed;
    // The new presenter now gets the roster (it joined the hosts' room).
    const roster = nextStudy(member, 'study:roster', () => true, 4000);
    expect((await studyOk<{ version: number }>(member, 'study:goto', { sessionId, page: 3 })).version).toBeGreaterThan(0);
    expect(studyCode(await studyCommand(host, 'study:goto', { sessionId, page: 0 }))).toBe('FORBIDDEN');
    // A visibility change triggers a feed; the presenter sees both people on the roster.
    await studyOk(host, 'study:visibility', { sessionId, visible: true });
    expect((await roster).people.map((p) => p.userId)).toEqual(expect.arrayContaining([one.member.id, one.secretary.id]));
  });

  it('another branch joins only as 列席 when allowed, never a guest', async () => {
    const closed = await planSession();
    const outsider = await socketOf(two.memberClient);
    expect(studyCode(await studyCommand(outsider, 'study:join', { sessionId: closed }))).toBe('FORBIDDEN');
    const guest = await studySocket(t.url);
    open.push(guest);
    expect(studyCode(await studyCommand(guest, 'study:join', { sessionId: closed }))).toBe('UNAUTHENTICATED');
    const opened = await planSession({ allowObservers: true });
    expect((await studyOk<StudyJoinAck>(outsider, 'study:join', { sessionId: opened })).role).toBe('observer');
  });
});

describe('/study polls', () => {
  it('a poll shows no answer until the close; concurrent duplicate answers count once; a late answer is TOO_LATE', async () => {
    const sessionId = await planSession();
    const host = await socketOf(one.secretaryClient);
    const member = await socketOf(one.memberClient);
    const other = await socketOf(second);
    for (const s of [host, member, other]) await studyOk(s, 'study:join', { sessionId });
    await studyOk(host, 'study:start', { sessionId });

    const shown = nextStudy(member, 'study:poll:open');
    const { pollId } = await studyOk<{ pollId: string }>(host, 'study:poll:open', { sessionId, questionId });
    const poll = await shown;
    expect(poll).toEqual({ sessionId, pollId, question: { id: questionId, type: 'single', text: '党的最高理想和最终目标是什么？', options: ['实现共产主义', '全面小康', '乡村振兴', '共同富裕'] } });
    expect(JSON.stringify(poll)).not.toMatch(/answer|explanation|党章总纲/);
    const lateState = (await studyOk<{ state: StudyState }>(other, 'study:join', { sessionId })).state;
    expect(lateState.poll).toEqual({ pollId, question: poll.question });
    expect(studyCode(await studyCommand(host, 'study:poll:open', { sessionId, questionId }))).toBe('WRONG_PHASE');

    const counted = nextStudy(host, 'study:poll:answers', (p) => p.pollId === pollId && p.answered === 2, 4000);
    const followerSaw = nextStudy(member, 'study:poll:answers', () => true, 1500).then(() => 'seen', () => 'none');
    const acks = await Promise.all(Array.from({ length: 10 }, (_, i) => studyCommand(member, 'study:poll:answer', { sessionId, pollId, answer: i % 2 })));
    expect(acks.filter((a) => a.ok)).toHaveLength(1);
    expect(acks.filter((a) => studyCode(a) === 'ALREADY_ANSWERED')).toHaveLength(9);
    expect(studyCode(await studyCommand(other, 'study:poll:answer', { sessionId, pollId, answer: 9 }))).toBe('INVALID_INPUT');
    await studyOk(other, 'study:poll:answer', { sessionId, pollId, answer: 1 });
    // A screen that comes back while the poll is open learns what this user already answered (and only theirs).
    expect((await studyOk<StudyJoinAck>(other, 'study:join', { sessionId })).pollAnswer).toBe(1);
    expect((await studyOk<StudyJoinAck>(host, 'study:join', { sessionId })).pollAnswer).toBeNull();

    // The hosts see the answers come in (a count, never who answered what); followers do not get it.
    expect(await counted).toEqual({ sessionId, pollId, answered: 2 });
    expect(await followerSaw).toBe('none');
    expect(studyCode(await studyCommand(member, 'study:poll:close', { sessionId }))).toBe('FORBIDDEN');
    const result = nextStudy(member, 'study:poll:result');
    await studyOk(host, 'study:poll:close', { sessionId });
    const r = await result;
    expect(r).toMatchObject({ sessionId, pollId, correctAnswer: 0, explanation: '党章总纲', source: '《中国共产党章程》总纲', answered: 2, present: 3 });
    expect((r.distribution as number[]).reduce((a, b) => a + b, 0)).toBe(2);
    expect(studyCode(await studyCommand(host, 'study:poll:answer', { sessionId, pollId, answer: 0 }))).toBe('TOO_LATE');
    // After the close, a reloaded screen gets the last poll back: the question, the result and its own answer.
    const back = await studyOk<StudyJoinAck>(other, 'study:join', { sessionId });
    expect(back.state.poll).toBeUndefined();
    expect(back.lastPoll).toEqual({ open: poll, result: r, answer: 1 });
    expect(studyCode(await studyCommand(host, 'study:poll:close', { sessionId }))).toBe('WRONG_PHASE');
  });
});

describe('/study presence and the record', () => {
  it('a dropped connection shows as left, a reconnect as online; everyone gets counts, only hosts the roster', async () => {
    const sessionId = await planSession();
    const host = await socketOf(one.secretaryClient);
    await studyOk(host, 'study:join', { sessionId });
    await studyOk(host, 'study:start', { sessionId });
    let member = await socketOf(one.memberClient);
    let rosterOnline = nextStudy(host, 'study:roster', (r) => r.people.some((p) => p.userId === one.member.id && p.status === 'online'), 4000);
    await studyOk(member, 'study:join', { sessionId });
    await rosterOnline;
    expect(await nextStudy(member, 'study:roster', () => true, 1500).catch(() => 'none')).toBe('none');

    const left = nextStudy(host, 'study:roster', (r) => r.people.some((p) => p.userId === one.member.id && p.status === 'left'), 4000);
    const counts = nextStudy(host, 'study:presence', (p) => p.present === 1, 4000);
    member.disconnect();
    await left;
    // Counts name nobody: the host and two roll members, of whom only the host is still here.
    expect(await counts).toEqual({ sessionId, online: 1, away: 0, onRoll: 3, present: 1 });

    member = await socketOf(one.memberClient);
    rosterOnline = nextStudy(host, 'study:roster', (r) => r.people.some((p) => p.userId === one.member.id && p.status === 'online'), 4000);
    await studyOk(member, 'study:join', { sessionId });
    await rosterOnline;
    const away = nextStudy(host, 'study:roster', (r) => r.people.some((p) => p.userId === one.member.id && p.status === 'away'), 4000);
    await studyOk(member, 'study:visibility', { sessionId, visible: false });
    await away;
  });

  it('the record is drafted at the end with 应到/实到/缺席 and the pages covered; approval makes it read-only', async () => {
    const sessionId = await planSession({ recorderId: one.member.id });
    const host = await socketOf(one.secretaryClient);
    const member = await socketOf(one.memberClient);
    await studyOk(host, 'study:join', { sessionId });
    await studyOk(member, 'study:join', { sessionId });
    await studyOk(host, 'study:start', { sessionId });
    await studyOk(host, 'study:goto', { sessionId, page: 1 });
    expect((await admin.get(`/api/study-sessions/${sessionId}/record`)).status).toBe(404);
    await studyOk(host, 'study:end', { sessionId });

    const rec = (await one.secretaryClient.get(`/api/study-sessions/${sessionId}/record`)).body.record;
    expect(rec).toMatchObject({ status: 'draft', expected: 3, attended: 2, absent: 1, onLeave: 0, materialTitle: '学习材料', pageCount: 4, pagesCovered: [0, 1], hostName: '一支部书记', recorderName: '一支部党员' });
    const absent = rec.attendees.find((a: { status: string }) => a.status === 'absent');
    expect(absent.userId).not.toBe(one.member.id);

    const put = (c: ApiClient, b: unknown) => c.request('PUT', `/api/study-sessions/${sessionId}/record`, b);
    // The recorder completes it: 请假 with a reason, the discussion and the resolutions.
    const edited = await put(one.memberClient, { version: rec.version, leave: [{ userId: absent.userId, reason: '出差' }], discussion: [{ speaker: '一支部党员', text: '结合工作谈体会' }], resolutions: '按期完成学习' });
    expect(edited.status).toBe(200);
    expect(edited.body.record).toMatchObject({ onLeave: 1, absent: 0, resolutions: '按期完成学习' });
    expect((await put(one.memberClient, { version: rec.version, resolutions: '过期的编辑' })).status).toBe(409);
    expect((await put(one.memberClient, { version: edited.body.record.version, leave: [{ userId: 'nobody', reason: 'x' }] })).status).toBe(400);
    expect((await put(two.secretaryClient, { version: edited.body.record.version, resolutions: 'x' })).status).toBe(404);

    expect((await one.memberClient.post(`/api/study-sessions/${sessionId}/record/submit`)).body.record.status).toBe('submitted');
    expect((await one.secretaryClient.post(`/api/study-sessions/${sessionId}/record/approve`)).status).toBe(403);
    const returned = await admin.post(`/api/study-sessions/${sessionId}/record/return`, { reason: '请补充讨论发言' });
    expect(returned.body.record).toMatchObject({ status: 'returned', returnReason: '请补充讨论发言' });
    await one.memberClient.post(`/api/study-sessions/${sessionId}/record/submit`);
    const approved = await admin.post(`/api/study-sessions/${sessionId}/record/approve`);
    expect(approved.body.record.status).toBe('approved');
    const locked = await put(one.secretaryClient, { version: approved.body.record.version, resolutions: '批准后修改' });
    expect(locked.status).toBe(409);
    expect(locked.body.error.code).toBe('WRONG_PHASE');
    expect((await admin.get(`/api/study-sessions/${sessionId}/record`)).body.record.resolutions).toBe('按期完成学习');
    const listed = (await one.secretaryClient.get(`/api/study-records?branchId=${one.branch.id}`)).body.items;
    expect(listed.find((r: { sessionId: string }) => r.sessionId === sessionId)?.status).toBe('approved');
    expect((await one.memberClient.get('/api/study-records')).status).toBe(403);
  });
});

describe('/study record drafting', () => {
  it('an end whose drafting was lost (crash between the end and the draft) is drafted on the first read', async () => {
    const sessionId = await planSession();
    const host = await socketOf(one.secretaryClient);
    await studyOk(host, 'study:join', { sessionId });
    await studyOk(host, 'study:start', { sessionId });
    await studyOk(host, 'study:end', { sessionId });
    await t.redis.del(keys.studyRecord(sessionId));
    const res = await one.secretaryClient.get(`/api/study-sessions/${sessionId}/record`);
    expect(res.status).toBe(200);
    expect(res.body.record).toMatchObject({ sessionId, status: 'draft', expected: 3, attended: 1 });
  });
});

describe('/study record readers', () => {
  it('an observer-friendly session’s record is not open to other branches who did not attend; a logout mid-session still closes the stay', async () => {
    const sessionId = await planSession({ allowObservers: true });
    const host = await socketOf(one.secretaryClient);
    await studyOk(host, 'study:join', { sessionId });
    await studyOk(host, 'study:start', { sessionId });
    // A member joins, then their login ends (logout elsewhere) before the socket goes: the stay must still close.
    const leaving = new ApiClient(t.url);
    await leaving.login('second_member', 'password-1');
    const member = await socketOf(leaving);
    await studyOk(member, 'study:join', { sessionId });
    await leaving.post('/api/auth/logout');
    await new Promise((r) => setTimeout(r, 200));
    member.disconnect();
    await nextStudy(host, 'study:roster', (r) => r.people.some((p) => p.name === '一支部党员乙' && p.status === 'left'), 4000);
    await studyOk(host, 'study:end', { sessionId });
    expect((await two.memberClient.get(`/api/study-sessions/${sessionId}`)).status).toBe(200);
    expect((await two.memberClient.get(`/api/study-sessions/${sessionId}/record`)).status).toBe(404);
    const rec = (await admin.get(`/api/study-sessions/${sessionId}/record`)).body.record;
    expect(rec.attendees.find((a: { name: string }) => a.name === '一支部党员乙').minutes).toBeGreaterThanOrEqual(0);
    expect(rec.attendees.find((a: { name: string }) => a.name === '一支部党员乙').status).not.toBe('absent');
  });
});

describe('/study after a process crash', () => {
  it('sockets of a process that stopped beating leave at its last heartbeat and stop counting', async () => {
    const sessionId = await planSession();
    const host = await socketOf(one.secretaryClient);
    await studyOk(host, 'study:join', { sessionId });
    await studyOk(host, 'study:start', { sessionId });
    // A member's socket held by another process, which then died without a word (no disconnect ran).
    const scope = studyPresenceScope(sessionId);
    const [seconds] = await t.redis.time();
    const lastBeat = Number(seconds) * 1000 - 120_000;
    await createStaysStore(t.redis).arrive(sessionId, { socketId: 'ghost-socket', userId: one.member.id, processId: 'dead-process', from: lastBeat - 60_000 });
    await createPresenceStore(t.redis).join(scope, one.member.id, 'dead-process');
    await t.redis.zAdd(scope.processes, { score: lastBeat, value: 'dead-process' });
    expect((await t.app.services.study.attendance.counts(sessionId)).present).toBe(2);

    const roster = nextStudy(host, 'study:roster', (r) => r.people.some((p) => p.userId === one.member.id && p.status === 'left'), 4000);
    const changed: string[] = [];
    await t.app.services.study.sweep({ presenceChanged: (id) => changed.push(id) });
    expect(changed).toEqual([sessionId]);
    expect((await t.app.services.study.attendance.counts(sessionId)).present).toBe(1);
    const stays = (await t.app.services.study.attendance.staysByUser(sessionId)).get(one.member.id);
    expect(stays).toEqual([{ from: lastBeat - 60_000, to: lastBeat }]);
    // The next sweep of the app itself (every few seconds) tells the host; a visibility change forces a feed now.
    await studyOk(host, 'study:visibility', { sessionId, visible: true });
    await roster;
  });
});

describe('/study on two processes', () => {
  it('a follower on another process follows the presenter and appears on the host’s roster', async () => {
    const other = await startTestApp({ redis: t.redis });
    try {
      const sessionId = await planSession();
      const host = await socketOf(one.secretaryClient);
      await studyOk(host, 'study:join', { sessionId });
      await studyOk(host, 'study:start', { sessionId });
      const follower = await studySocket(other.url, one.memberClient.cookie);
      open.push(follower);
      const seen = nextStudy(host, 'study:roster', (r) => r.people.some((p) => p.userId === one.member.id && p.status === 'online'), 4000);
      await studyOk(follower, 'study:join', { sessionId });
      await seen;
      const moved = nextStudy(follower, 'study:state', (s) => s.page === 2);
      await studyOk(host, 'study:goto', { sessionId, page: 2 });
      expect((await moved).page).toBe(2);
    } finally {
      await other.close();
    }
  });
});

describe('/study attendance rule', () => {
  it('ATTENDANCE_PRESENT_PERCENT decides 出席: half the session is 迟到 at the default 80 %, 出席 at 40 %', async () => {
    const outcomes: string[] = [];
    for (const percent of [80, 40]) {
      const clock = { t: Date.UTC(2026, 11, 1, 1, 0), now() { return this.t; } };
      const app = await startTestApp({ redis: t.redis, clock, config: { attendancePresentPercent: percent } });
      try {
        const sessionId = (await one.secretaryClient.post('/api/study-sessions', { title: `出勤规则 ${percent}`, kind: 'party_lecture', branchId: one.branch.id, plannedAt: clock.t })).body.session.id;
        const host = await studySocket(app.url, one.secretaryClient.cookie);
        open.push(host);
        await studyOk(host, 'study:join', { sessionId });
        await studyOk(host, 'study:start', { sessionId });
        clock.t += 30 * 60_000;
        const member = await studySocket(app.url, one.memberClient.cookie);
        open.push(member);
        await studyOk(member, 'study:join', { sessionId });
        clock.t += 30 * 60_000;
        await studyOk(host, 'study:end', { sessionId });
        // The record was drafted by the app with the fake clock; any process reads it from Redis.
        const rec = (await one.secretaryClient.get(`/api/study-sessions/${sessionId}/record`)).body.record;
        const attendee = rec.attendees.find((a: { userId: string }) => a.userId === one.member.id);
        expect(attendee.minutes).toBe(30);
        outcomes.push(attendee.status);
      } finally {
        await app.close();
      }
    }
    expect(outcomes).toEqual(['late', 'present']);
  });
});
