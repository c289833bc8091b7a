import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';

let t: TestApp;
let admin: ApiClient;
let one: Awaited<ReturnType<typeof seedBranch>>;
let two: Awaited<ReturnType<typeof seedBranch>>;
let materialId: string;

const plan = (branchId: string, extra: Record<string, unknown> = {}) => ({
  title: '十二月集体学习',
  kind: 'collective_study',
  branchId,
  plannedAt: '2026-12-10T09:00:00+08:00',
  place: '三楼会议室',
  ...extra,
});

beforeAll(async () => {
  t = await startTestApp();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  one = await seedBranch(t.url, admin, '一支部');
  two = await seedBranch(t.url, admin, '二支部');
  materialId = (await admin.post('/api/materials', { title: '党章', kind: 'markdown', body: '甲\n---\n乙' })).body.material.id;
});
afterAll(() => t.close());

describe('study sessions REST', () => {
  it('a secretary plans a session for their branch: 201 { session }, planned, times as epoch ms', async () => {
    const res = await one.secretaryClient.post('/api/study-sessions', plan(one.branch.id, { materialId, presenterId: one.secretary.id, recorderId: one.member.id }));
    expect(res.status).toBe(201);
    expect(res.body.session).toMatchObject({
      title: '十二月集体学习',
      kind: 'collective_study',
      branchId: one.branch.id,
      materialId,
      plannedAt: Date.parse('2026-12-10T01:00:00Z'),
      place: '三楼会议室',
      presenterId: one.secretary.id,
      recorderId: one.member.id,
      allowObservers: false,
      status: 'planned',
      startedAt: null,
      endedAt: null,
      createdBy: one.secretary.id,
    });
  });

  it('refuses another branch, a member, a bad kind, an unknown person or material; nothing is written', async () => {
    const before = await t.redis.dbSize();
    const cases: [ApiClient, unknown, number][] = [
      [one.secretaryClient, plan(two.branch.id), 403],
      [one.memberClient, plan(one.branch.id), 403],
      [admin, plan(one.branch.id, { kind: 'party_day' }), 400],
      [admin, plan(one.branch.id, { plannedAt: 'next tuesday' }), 400],
      [admin, plan(one.branch.id, { presenterId: 'nobody' }), 400],
      [admin, plan(one.branch.id, { materialId: 'missing' }), 400],
      [admin, plan('no-such-branch'), 404],
    ];
    for (const [client, body, status] of cases) {
      const res = await client.post('/api/study-sessions', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.code).toBeTypeOf('string');
    }
    expect(await t.redis.dbSize()).toBe(before);
  });

  it('lists by branch, status and period; members see their own branch only', async () => {
    await admin.post('/api/study-sessions', plan(two.branch.id, { title: '二支部党课', kind: 'party_lecture', plannedAt: Date.parse('2027-01-05T01:00:00Z') }));
    const all = (await admin.get('/api/study-sessions')).body.items.map((s: { title: string }) => s.title);
    expect(all).toEqual(expect.arrayContaining(['十二月集体学习', '二支部党课']));
    const jan = (await admin.get(`/api/study-sessions?from=${Date.parse('2027-01-01T00:00:00Z')}`)).body.items.map((s: { title: string }) => s.title);
    expect(jan).toEqual(['二支部党课']);
    const mine = (await two.memberClient.get('/api/study-sessions')).body.items.map((s: { title: string }) => s.title);
    expect(mine).toEqual(['二支部党课']);
    expect((await two.memberClient.get(`/api/study-sessions?branchId=${one.branch.id}`)).status).toBe(403);
    expect((await admin.get('/api/study-sessions?status=live')).body.items).toEqual([]);
    expect((await admin.get('/api/study-sessions?status=over')).status).toBe(400);
  });

  it('another branch sees a session only when observers (列席) are allowed', async () => {
    const s = (await one.secretaryClient.post('/api/study-sessions', plan(one.branch.id, { title: '可列席' }))).body.session;
    expect((await two.memberClient.get(`/api/study-sessions/${s.id}`)).status).toBe(404);
    const patched = await one.secretaryClient.patch(`/api/study-sessions/${s.id}`, { allowObservers: true });
    expect(patched.status).toBe(200);
    expect((await two.memberClient.get(`/api/study-sessions/${s.id}`)).body.session.title).toBe('可列席');
  });

  it('PATCH changes fields for hosts only; DELETE only while planned (WRONG_PHASE after the start)', async () => {
    const s = (await one.secretaryClient.post('/api/study-sessions', plan(one.branch.id, { title: '待删除' }))).body.session;
    expect((await two.secretaryClient.patch(`/api/study-sessions/${s.id}`, { title: '别人改' })).status).toBe(404);
    expect((await one.memberClient.patch(`/api/study-sessions/${s.id}`, { title: '党员改' })).status).toBe(403);
    expect((await one.secretaryClient.patch(`/api/study-sessions/${s.id}`, {})).status).toBe(400);
    const ok = await one.secretaryClient.patch(`/api/study-sessions/${s.id}`, { title: '已改名', place: '', materialId: null });
    expect(ok.body.session).toMatchObject({ title: '已改名', place: '', materialId: null });

    const secretary = (await t.app.services.auth.resolve(one.secretaryClient.cookie.slice(4)))!.user;
    await t.app.services.study.sessions.start(secretary, s.id);
    const live = await one.secretaryClient.patch(`/api/study-sessions/${s.id}`, { kind: 'party_lecture' });
    expect(live.status).toBe(409);
    expect(live.body.error.code).toBe('WRONG_PHASE');
    const del = await one.secretaryClient.delete(`/api/study-sessions/${s.id}`);
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('WRONG_PHASE');
    expect((await admin.get(`/api/study-sessions/${s.id}`)).body.session.status).toBe('live');

    const planned = (await one.secretaryClient.post('/api/study-sessions', plan(one.branch.id, { title: '删掉' }))).body.session;
    expect((await one.secretaryClient.delete(`/api/study-sessions/${planned.id}`)).status).toBe(204);
    expect((await admin.get(`/api/study-sessions/${planned.id}`)).status).toBe(404);
  });

  it('a material used by a session that has not ended cannot be deleted (409 naming it)', async () => {
    const m = (await admin.post('/api/materials', { title: '在用资料', kind: 'markdown', body: '甲' })).body.material;
    const s = (await admin.post('/api/study-sessions', plan(one.branch.id, { title: '用资料', materialId: m.id }))).body.session;
    const res = await admin.delete(`/api/materials/${m.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual([{ id: s.id, title: '用资料' }]);
    expect((await admin.delete(`/api/study-sessions/${s.id}`)).status).toBe(204);
    expect((await admin.delete(`/api/materials/${m.id}`)).status).toBe(204);
  });

  it('start and end happen once each: a second start is WRONG_PHASE', async () => {
    const s = (await admin.post('/api/study-sessions', plan(one.branch.id, { title: '一次' }))).body.session;
    const adminUser = (await t.app.services.auth.resolve(admin.cookie.slice(4)))!.user;
    const results = await Promise.allSettled([t.app.services.study.sessions.start(adminUser, s.id), t.app.services.study.sessions.start(adminUser, s.id)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'WRONG_PHASE' } });
    const ended = await t.app.services.study.sessions.end(adminUser, s.id);
    expect(ended.status).toBe('ended');
    await expect(t.app.services.study.sessions.end(adminUser, s.id)).rejects.toMatchObject({ code: 'WRONG_PHASE' });
  });
});
