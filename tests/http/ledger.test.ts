import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activity } from '../../server/services/ledger/activity';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';

// The organisation's days are Shanghai days; the clock is moved to exact local midnights so roll shares are exact.
const local = (iso: string) => Date.parse(`${iso}+08:00`);
let now = local('2026-05-20T10:00:00');
const clock = { now: () => now };

let t: TestApp;
let admin: ApiClient;
let a: Awaited<ReturnType<typeof seedBranch>>;
let b: Awaited<ReturnType<typeof seedBranch>>;
let leaver: { id: string };
let joiner: { id: string; username: string };
let joinerClient: ApiClient;

const put = (c: ApiClient, path: string, body: unknown) => c.request('PUT', path, body);
const JUNE = 'period=month&date=2026-06-15';
const game = (memberId: string, refId: string): Activity => ({ memberId, kind: 'live_game', refId, at: local('2026-06-20T15:00:00'), title: '党章知识竞答', result: { score: 800, rank: 1, correct: 4, total: 5 } });

beforeAll(async () => {
  t = await startTestApp({ clock });
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  a = await seedBranch(t.url, admin, '第一支部');
  b = await seedBranch(t.url, admin, '第二支部');
  leaver = (await admin.post('/api/users', { username: 'leaver', displayName: '调离的党员', password: 'password-1', role: 'member', branchId: a.branch.id })).body.user;
  // 11 June 00:00: the leaver's account is disabled (a third of June on the roll).
  now = local('2026-06-11T00:00:00');
  expect((await admin.patch(`/api/users/${leaver.id}`, { disabled: true })).status).toBe(200);
  // 16 June 00:00: a new member joins (half of June on the roll).
  now = local('2026-06-16T00:00:00');
  joiner = (await admin.post('/api/users', { username: 'joiner', displayName: '新转入党员', password: 'password-1', role: 'member', branchId: a.branch.id })).body.user;
  joinerClient = new ApiClient(t.url);
  await joinerClient.login('joiner', 'password-1');
  now = local('2026-06-25T10:00:00');
});

afterAll(async () => {
  await t?.close();
});

describe('issue 12: the study record', () => {
  it('keeps one entry per (kind, refId, member) under concurrent retries and replays, aggregates counted once', async () => {
    const record = t.app.services.ledger.record;
    const results = await Promise.all(Array.from({ length: 12 }, () => record.record([game(a.member.id, 'game-1')])));
    expect(results.flat()).toHaveLength(1);
    // A replay of the same finished game (as after a crash) writes nothing.
    expect(await record.record([game(a.member.id, 'game-1')])).toEqual([]);
    const mine = await a.memberClient.get('/api/ledger/me?year=2026');
    expect(mine.status).toBe(200);
    expect(mine.body.entries).toHaveLength(1);
    expect(mine.body.entries[0]).toMatchObject({ id: `live_game:game-1:${a.member.id}`, branchId: a.branch.id, hours: 0.5, title: '党章知识竞答' });
    expect(mine.body.hours).toBe(0.5);
    expect(mine.body.target).toBe(32);
    const members = await a.secretaryClient.get(`/api/ledger/branches/${a.branch.id}/members?${JUNE}`);
    expect(members.body.items.find((m: { memberId: string }) => m.memberId === a.member.id)).toMatchObject({ activities: 1, hours: 0.5, accuracy: 0.8 });
  });

  it('refuses a malformed period with the envelope', async () => {
    expect((await admin.get('/api/ledger/participation?period=custom&from=2026-06-01')).body.error.code).toBe('INVALID_INPUT');
    expect((await admin.get('/api/ledger/participation?period=custom&from=2026-06-10&to=2026-06-01')).status).toBe(400);
    expect((await admin.get('/api/ledger/participation?period=decade')).status).toBe(400);
    expect((await admin.get('/api/ledger/members/not%20an%20id/entries?from=2026-01-01&to=2026-12-31')).status).toBe(404);
  });
});

describe('issue 12: participation with members joining and leaving mid-period', () => {
  it('counts each member for the share of June on the roll, on both sides of the rate', async () => {
    await t.app.services.ledger.record.record([{ memberId: joiner.id, kind: 'daily_set', refId: '2026-06-20', at: local('2026-06-20T08:00:00'), title: '每日一练', result: { correct: 5, total: 5 } }]);
    // The leaver's activity before leaving counts; after the account is disabled they are no longer on the roll.
    const res = await admin.get(`/api/ledger/participation?${JUNE}`);
    expect(res.status).toBe(200);
    expect(res.body.period).toEqual({ from: '2026-06-01', to: '2026-06-30' });
    const one = res.body.branches.find((x: { branchId: string }) => x.branchId === a.branch.id);
    // secretary 1 + member 1 + leaver 1/3 + joiner 1/2; took part: member 1 + joiner 1/2.
    expect(one.onRoll).toBeCloseTo(2 + 1 / 3 + 0.5, 3);
    expect(one.tookPart).toBeCloseTo(1.5, 3);
    expect(one.rate).toBeCloseTo(1.5 / (2 + 1 / 3 + 0.5), 3);
    expect(one.byKind.live_game).toBeCloseTo(1 / (2 + 1 / 3 + 0.5), 3);
    expect(one.byKind.daily_set).toBeCloseTo(0.5 / (2 + 1 / 3 + 0.5), 3);
    expect(one.accuracy).toBe(0.8);
    const two = res.body.branches.find((x: { branchId: string }) => x.branchId === b.branch.id);
    expect(two.rate).toBe(0);
    expect([one.rank, two.rank]).toEqual([1, 2]);
    // May: the joiner was not yet on the roll and nobody took part.
    const may = await admin.get('/api/ledger/participation?period=month&date=2026-05-25');
    const oneInMay = may.body.branches.find((x: { branchId: string }) => x.branchId === a.branch.id);
    expect(oneInMay.tookPart).toBe(0);
    // Three accounts created on 20 May at 10:00: 11 days and 14 hours of May's 31 days each.
    expect(oneInMay.onRoll).toBeCloseTo(((11 * 86_400_000 + 14 * 3600_000) / (31 * 86_400_000)) * 3, 3);
  });

  it('a secretary sees only their own branch; a member sees no participation report', async () => {
    const sec = await a.secretaryClient.get(`/api/ledger/participation?${JUNE}`);
    expect(sec.body.branches.map((x: { branchId: string }) => x.branchId)).toEqual([a.branch.id]);
    expect((await a.memberClient.get(`/api/ledger/participation?${JUNE}`)).status).toBe(403);
    const trend = await admin.get('/api/ledger/trend?period=month&date=2026-06-15&count=3');
    expect(trend.body.periods.map((p: { from: string }) => p.from)).toEqual(['2026-04-01', '2026-05-01', '2026-06-01']);
    expect(trend.body.org[2]).toBeGreaterThan(0);
    expect(trend.body.org[0]).toBeNull();
  });

  it('meetings held vs due: an ended 党课 fills June\'s quarter window', async () => {
    await t.app.services.ledger.record.addMeeting(a.branch.id, 'party_lecture', 'session-1', local('2026-06-05T15:00:00'));
    const res = await admin.get(`/api/ledger/participation?${JUNE}`);
    const one = res.body.branches.find((x: { branchId: string }) => x.branchId === a.branch.id);
    // Due in June: 支部党员大会 and 党课 (quarter ends), 支委会, 党小组会, 主题党日 (monthly) = 5; held: the 党课.
    expect(one.meetings).toEqual({ held: 1, due: 5 });
  });
});

describe('issue 12: individual ranks are private unless the organisation opts in', () => {
  it('a member cannot read the branch list or the organisation-wide list (403); the admin reads the latter only when enabled', async () => {
    expect((await a.memberClient.get(`/api/ledger/branches/${a.branch.id}/members?${JUNE}`)).status).toBe(403);
    expect((await a.secretaryClient.get(`/api/ledger/branches/${b.branch.id}/members?${JUNE}`)).status).toBe(403);
    expect((await a.memberClient.get(`/api/ledger/members/${a.secretary.id}/entries?from=2026-01-01&to=2026-12-31`)).status).toBe(403);
    expect((await a.secretaryClient.get(`/api/ledger/members/${a.member.id}/entries?from=2026-01-01&to=2026-12-31`)).status).toBe(200);
    const off = await admin.get(`/api/ledger/individuals?${JUNE}`);
    expect(off.status).toBe(403);
    expect(off.body.error.code).toBe('FORBIDDEN');
    expect((await a.memberClient.get('/api/ledger/me?year=2026')).body.rank).toBeUndefined();

    expect((await put(a.secretaryClient, '/api/ledger/settings', { orgWideIndividuals: true })).status).toBe(403);
    expect((await put(admin, '/api/ledger/settings', { orgWideIndividuals: true, showMemberRank: true })).status).toBe(200);
    const on = await admin.get(`/api/ledger/individuals?${JUNE}`);
    expect(on.status).toBe(200);
    expect(on.body.items.map((m: { memberId: string }) => m.memberId)).toContain(joiner.id);
    // Even opted in, the organisation-wide list is the admin's: a member still gets 403.
    expect((await a.memberClient.get(`/api/ledger/individuals?${JUNE}`)).status).toBe(403);
    const ranked = await a.memberClient.get('/api/ledger/me?year=2026');
    // Everyone on the branch's roll during the year, the leaver included.
    expect(ranked.body.rank).toEqual({ rank: 1, of: 4 });
    expect((await put(admin, '/api/ledger/settings', { orgWideIndividuals: false, showMemberRank: false })).status).toBe(200);
    expect((await admin.get(`/api/ledger/individuals?${JUNE}`)).status).toBe(403);
  });

  it('settings are validated and a rejected change leaves them as they were', async () => {
    const bad = await put(admin, '/api/ledger/settings', { yearlyTargetHours: -1 });
    expect(bad.status).toBe(400);
    expect((await put(admin, '/api/ledger/settings', { liveGameHours: 0.3 })).status).toBe(400);
    expect((await admin.get('/api/ledger/settings')).body.yearlyTargetHours).toBe(32);
  });
});

describe('issue 12: 需补学 (catch-up list) and reminders', () => {
  it('lists who has no activity, who is behind the 学时 pace and who missed a meeting, worded by reason codes', async () => {
    await t.app.services.ledger.record.record([{ memberId: a.member.id, kind: 'study_session', refId: 'session-1', at: local('2026-06-05T15:00:00'), title: '党课', sessionKind: 'party_lecture', result: { status: 'absent', minutes: 0 } }]);
    const res = await a.secretaryClient.get(`/api/ledger/catch-up?${JUNE}`);
    expect(res.status).toBe(200);
    const byId = new Map(res.body.items.map((i: { memberId: string }) => [i.memberId, i]));
    expect(byId.get(a.secretary.id)).toMatchObject({ reasons: ['no_activity', 'behind_pace'] });
    expect(byId.get(a.member.id)).toMatchObject({ reasons: ['behind_pace', 'missed_meeting'], missedMeetings: 1, hours: 0.5 });
    expect(byId.get(joiner.id)).toMatchObject({ reasons: ['behind_pace'] });
    // The disabled leaver is no longer someone to remind.
    expect(byId.has(leaver.id)).toBe(false);
    // The absence did not count as taking part.
    const one = (await admin.get(`/api/ledger/participation?${JUNE}`)).body.branches.find((x: { branchId: string }) => x.branchId === a.branch.id);
    expect(one.tookPart).toBeCloseTo(1.5, 3);
    expect((await a.memberClient.get(`/api/ledger/catch-up?${JUNE}`)).status).toBe(403);
  });

  it('a reminder reaches the member in the app, once a day, only from their own branch\'s secretary or an admin', async () => {
    expect((await b.secretaryClient.post('/api/ledger/reminders', { memberId: joiner.id })).status).toBe(403);
    const sent = await a.secretaryClient.post('/api/ledger/reminders', { memberId: joiner.id, message: '本月的党课资料已上传，有空看看' });
    expect(sent.status).toBe(201);
    expect((await a.secretaryClient.post('/api/ledger/reminders', { memberId: joiner.id })).status).toBe(409);
    const inbox = await joinerClient.get('/api/me/notifications');
    expect(inbox.body.unread).toBe(1);
    expect(inbox.body.items[0]).toMatchObject({ kind: 'reminder', fromName: '第一支部书记', message: '本月的党课资料已上传，有空看看', read: false });
    expect((await joinerClient.post('/api/me/notifications/read')).status).toBe(204);
    expect((await joinerClient.get('/api/me/notifications')).body.unread).toBe(0);
    const list = await a.secretaryClient.get(`/api/ledger/catch-up?${JUNE}`);
    expect(list.body.items.find((i: { memberId: string }) => i.memberId === joiner.id).lastReminderAt).toBe(now);
    expect((await a.secretaryClient.post('/api/ledger/reminders', { memberId: 'nobody' })).status).toBe(404);
  });

  it('once a day holds when the 提醒 button is pressed several times at once: one reminder, the rest 409', async () => {
    const replies = await Promise.all(Array.from({ length: 6 }, () => a.secretaryClient.post('/api/ledger/reminders', { memberId: a.member.id })));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect((await a.memberClient.get('/api/me/notifications')).body.items).toHaveLength(1);
  });
});

describe('issue 12: the leader dashboard', () => {
  it('gives staff this month, the 12-month trend and (for a secretary) the catch-up list; members 403', async () => {
    const res = await a.secretaryClient.get('/api/ledger/dashboard');
    expect(res.status).toBe(200);
    expect(res.body.participation.period).toEqual({ from: '2026-06-01', to: '2026-06-30' });
    expect(res.body.trend.periods).toHaveLength(12);
    expect(res.body.catchUp.length).toBeGreaterThan(0);
    expect(res.body.running).toEqual({ games: [], sessions: [] });
    const adminView = await admin.get('/api/ledger/dashboard');
    expect(adminView.body.participation.branches).toHaveLength(2);
    expect(adminView.body.catchUp).toBeUndefined();
    expect((await a.memberClient.get('/api/ledger/dashboard')).status).toBe(403);
  });
});
