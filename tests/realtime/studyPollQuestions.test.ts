import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';
import { studyCode, studyCommand, studyOk, studySocket, type StudyClient } from '../helpers/study';

let t: TestApp;
let admin: ApiClient;
let one: Awaited<ReturnType<typeof seedBranch>>;
let two: Awaited<ReturnType<typeof seedBranch>>;
let second: ApiClient;
const open: StudyClient[] = [];

beforeAll(async () => {
  t = await startTestApp();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  one = await seedBranch(t.url, admin, '提问一支部');
  two = await seedBranch(t.url, admin, '提问二支部');
  const username = `second_${Math.random().toString(36).slice(2, 8)}`;
  await admin.post('/api/users', { username, displayName: '另一位党员', password: 'password-1', role: 'member', branchId: one.branch.id });
  second = new ApiClient(t.url);
  await second.login(username, 'password-1');
});
afterAll(async () => {
  for (const s of open) s.disconnect();
  await t?.close();
});

const socketOf = async (c: ApiClient) => {
  const s = await studySocket(t.url, c.cookie);
  open.push(s);
  return s;
};

describe('issue 10: the presenter chooses a quick question', () => {
  it('a member handed the presenter role searches the questions the session may ask (no answer keys), asks one; others get 403', async () => {
    const orgWide = (await admin.post('/api/questions', { type: 'single', text: '主讲提问：党内监督没有什么？', options: ['禁区', '对象'], answer: 0, tags: ['党内监督'] })).body.question;
    const ownBranch = (await one.secretaryClient.post('/api/questions', { type: 'judge', text: '主讲提问：支部每月开展主题党日。', options: ['正确', '错误'], answer: 0 })).body.question;
    const otherBranch = (await two.secretaryClient.post('/api/questions', { type: 'judge', text: '主讲提问：二支部自己的题。', options: ['正确', '错误'], answer: 1 })).body.question;
    expect([orgWide, ownBranch, otherBranch].every((q) => typeof q?.id === 'string')).toBe(true);

    const sessionId = (await one.secretaryClient.post('/api/study-sessions', { title: '提问学习会', kind: 'collective_study', branchId: one.branch.id, plannedAt: Date.now() })).body.session.id as string;
    const host = await socketOf(one.secretaryClient);
    const member = await socketOf(one.memberClient);
    await socketOf(second).then((s) => studyOk(s, 'study:join', { sessionId }));
    await studyOk(host, 'study:join', { sessionId });
    await studyOk(member, 'study:join', { sessionId });
    const path = `/api/study-sessions/${sessionId}/poll-questions?q=${encodeURIComponent('主讲提问')}`;
    // Before the start nothing can be asked.
    expect((await one.secretaryClient.get(path)).body.error.code).toBe('WRONG_PHASE');
    await studyOk(host, 'study:start', { sessionId });

    // The bank's own search is for staff; before the hand-over the member may not search the session's either.
    expect((await one.memberClient.get('/api/questions')).status).toBe(403);
    expect((await one.memberClient.get(path)).status).toBe(403);
    await studyOk(host, 'study:presenter', { sessionId, userId: one.member.id });

    const found = await one.memberClient.get(path);
    expect(found.status).toBe(200);
    const ids = found.body.items.map((q: { id: string }) => q.id);
    expect(ids).toEqual(expect.arrayContaining([orgWide.id, ownBranch.id]));
    expect(ids).not.toContain(otherBranch.id);
    for (const q of found.body.items) expect(Object.keys(q).sort()).toEqual(['id', 'options', 'text', 'type']);
    // A tag finds it too; a member who is neither presenter nor host still gets 403.
    expect((await one.memberClient.get(`/api/study-sessions/${sessionId}/poll-questions?q=${encodeURIComponent('党内监督')}`)).body.items.map((q: { id: string }) => q.id)).toEqual([orgWide.id]);
    expect((await second.get(path)).status).toBe(403);

    // The member asks the room; another branch's own question cannot be asked here.
    expect(studyCode(await studyCommand(member, 'study:poll:open', { sessionId, questionId: otherBranch.id }))).toBe('NOT_FOUND');
    await studyOk(member, 'study:poll:open', { sessionId, questionId: ownBranch.id });
    expect((await one.memberClient.get(`/api/study-sessions/not%20an%20id/poll-questions`)).status).toBe(404);
  });
});
