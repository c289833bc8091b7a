import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';

let t: TestApp;
let admin: ApiClient;
let one: Awaited<ReturnType<typeof seedBranch>>;
let two: Awaited<ReturnType<typeof seedBranch>>;
const keyOf = new Map<string, number>();

beforeAll(async () => {
  t = await startTestApp();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  one = await seedBranch(t.url, admin, '概况一支部');
  two = await seedBranch(t.url, admin, '概况二支部');
  for (let i = 0; i < 6; i++) {
    const q = (await admin.post('/api/questions', { type: 'single', text: `概况题${i}：下列哪项正确？`, options: ['甲', '乙', '丙', '丁'], answer: i % 4, tags: ['党章'] })).body.question;
    keyOf.set(q.id, q.answer);
  }
});
afterAll(() => t.close());

describe('issue 11: a secretary sees the branch’s self review in aggregate, never anyone’s answers', () => {
  it('counts the members who reviewed this week and pools accuracy by tag', async () => {
    const daily = (await one.memberClient.get('/api/review/daily')).body;
    expect(daily.items.length).toBeGreaterThanOrEqual(2);
    const [first, second] = daily.items as { questionId: string }[];
    await one.memberClient.post('/api/review/answers', { attemptId: randomUUID(), mode: 'daily', questionId: first!.questionId, answer: keyOf.get(first!.questionId) });
    await one.memberClient.post('/api/review/answers', { attemptId: randomUUID(), mode: 'daily', questionId: second!.questionId, answer: (keyOf.get(second!.questionId)! + 1) % 4 });

    const res = await one.secretaryClient.get('/api/review/branch-summary');
    expect(res.status).toBe(200);
    const s = res.body;
    expect(s).toMatchObject({ branchId: one.branch.id, members: 2, reviewedThisWeek: 1 });
    expect(s.days).toHaveLength(7);
    expect(s.perDay.at(-1)).toEqual({ date: s.days.at(-1), members: 1 });
    expect(s.accuracyByTag).toEqual([{ tag: '党章', answers: 2, accuracy: 0.5 }]);
    // Aggregates only: no member id, no question, no answer in the payload.
    const text = JSON.stringify(s);
    expect(text).not.toContain(one.member.id);
    expect(text).not.toContain(first!.questionId);
  });

  it('members are refused; a secretary sees only their own branch; admins pick one', async () => {
    expect((await one.memberClient.get('/api/review/branch-summary')).status).toBe(403);
    expect((await two.secretaryClient.get(`/api/review/branch-summary?branchId=${one.branch.id}`)).status).toBe(403);
    expect((await two.secretaryClient.get('/api/review/branch-summary')).body).toMatchObject({ branchId: two.branch.id, reviewedThisWeek: 0 });
    expect((await admin.get(`/api/review/branch-summary?branchId=${one.branch.id}`)).body.reviewedThisWeek).toBe(1);
    expect((await admin.get('/api/review/branch-summary?branchId=no-such-branch')).status).toBe(404);
    expect((await admin.get('/api/review/branch-summary?branchId=bad:id')).status).toBe(400);
  });
});
