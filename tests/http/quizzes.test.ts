import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';
import { seeded } from '../helpers/seeded';
import type { User } from '../../shared/schemas/users';

let t: TestApp;
let admin: ApiClient;
let one: Awaited<ReturnType<typeof seedBranch>>;
let two: Awaited<ReturnType<typeof seedBranch>>;
const ids: string[] = [];

const question = (i: number, tags = ['党章']) => ({
  type: 'single', text: `试卷测试题 ${i}`, options: [`甲${i}`, `乙${i}`, `丙${i}`, `丁${i}`], answer: i % 4,
  explanation: '解析', source: '测试', tags, difficulty: 1 + (i % 3),
});

beforeAll(async () => {
  t = await startTestApp();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  one = await seedBranch(t.url, admin, '一支部');
  two = await seedBranch(t.url, admin, '二支部');
  for (let i = 0; i < 8; i++) ids.push((await admin.post('/api/questions', question(i, i < 5 ? ['党章'] : ['党史']))).body.question.id);
});
afterAll(() => t.close());

describe('quizzes', () => {
  it('creates with a fixed list and defaults, 201 { quiz }', async () => {
    const res = await one.secretaryClient.post('/api/quizzes', { title: '七一知识竞赛', questionIds: ids.slice(0, 3) });
    expect(res.status).toBe(201);
    expect(res.body.quiz).toMatchObject({ title: '七一知识竞赛', questionIds: ids.slice(0, 3), timeLimitSec: 20, branchId: one.branch.id, draw: null, shuffleOptions: true });
  });

  it('refuses a missing question, an unsatisfiable draw, a bad timer and an empty quiz with 400', async () => {
    const bad = [
      { title: 'x', questionIds: ['nope'] },
      { title: 'x', draw: { count: 4, tags: ['党史'] } },
      { title: 'x', questionIds: ids.slice(5, 8), draw: { count: 1, tags: ['党史'] } },
      { title: 'x', questionIds: ids.slice(0, 1), timeLimitSec: 4 },
      { title: 'x', questionIds: ids.slice(0, 1), timeLimitSec: 301 },
      { title: 'x' },
      { title: 'x', questionIds: [ids[0], ids[0]] },
    ];
    const before = (await admin.get('/api/quizzes')).body.total;
    for (const body of bad) {
      const res = await admin.post('/api/quizzes', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('INVALID_INPUT');
    }
    expect((await admin.get('/api/quizzes')).body.total).toBe(before);
    expect((await admin.post('/api/quizzes', { title: '抽题', draw: { count: 3, tags: ['党史'] } })).status).toBe(201);
  });

  it("a secretary cannot see or edit another branch's quiz", async () => {
    const theirs = (await two.secretaryClient.post('/api/quizzes', { title: '二支部的试卷', questionIds: ids.slice(0, 2) })).body.quiz;
    expect((await one.secretaryClient.get(`/api/quizzes/${theirs.id}`)).status).toBe(403);
    expect((await one.secretaryClient.request('PUT', `/api/quizzes/${theirs.id}`, { title: '改掉', questionIds: ids.slice(0, 1) })).status).toBe(403);
    expect((await one.secretaryClient.delete(`/api/quizzes/${theirs.id}`)).status).toBe(403);
    expect((await one.secretaryClient.post('/api/quizzes', { title: 'x', questionIds: ids.slice(0, 1), branchId: two.branch.id })).status).toBe(403);
    expect((await one.secretaryClient.get('/api/quizzes')).body.items.map((q: { id: string }) => q.id)).not.toContain(theirs.id);
    expect((await two.secretaryClient.get(`/api/quizzes/${theirs.id}`)).body.quiz.title).toBe('二支部的试卷');
  });

  it('secretaries use organisation-wide quizzes but only admins edit them', async () => {
    const org = (await admin.post('/api/quizzes', { title: '全机关统一试卷', questionIds: ids.slice(0, 2) })).body.quiz;
    expect(org.branchId).toBeNull();
    expect((await one.secretaryClient.get(`/api/quizzes/${org.id}`)).status).toBe(200);
    expect((await one.secretaryClient.request('PUT', `/api/quizzes/${org.id}`, { title: '改', questionIds: ids.slice(0, 1) })).status).toBe(403);
    const edited = await admin.request('PUT', `/api/quizzes/${org.id}`, { title: '全机关统一试卷（修订）', questionIds: ids.slice(0, 3), timeLimitSec: 30 });
    expect(edited.body.quiz).toMatchObject({ title: '全机关统一试卷（修订）', timeLimitSec: 30, branchId: null });
  });

  it('members get 403', async () => {
    expect((await one.memberClient.get('/api/quizzes')).status).toBe(403);
    expect((await one.memberClient.post('/api/quizzes', { title: 'x', questionIds: ids.slice(0, 1) })).status).toBe(403);
  });
});

describe('game snapshots', () => {
  it('a snapshot is taken once and is unaffected by later edits of the bank or the quiz', async () => {
    const quiz = (await admin.post('/api/quizzes', { title: '快照', questionIds: ids.slice(0, 2), draw: { count: 2, tags: ['党史'] }, shuffleOptions: true })).body.quiz;
    const actor = (await admin.get('/api/me')).body.user as User;
    const snap = await t.app.services.quizzes.snapshotForGame(actor, quiz.id, 'game-1');
    expect(snap.questions).toHaveLength(4);
    expect(new Set(snap.questions.map((q) => q.id)).size).toBe(4);
    expect(snap.questions.slice(0, 2).map((q) => q.id)).toEqual(ids.slice(0, 2));
    // Shuffled options still point at the same correct text.
    for (const q of snap.questions) {
      const original = question(ids.indexOf(q.id), []);
      expect(q.options[q.answer as number]).toBe(original.options[original.answer]);
    }
    const first = (await admin.get(`/api/questions/${ids[0]}`)).body.question;
    await admin.request('PUT', `/api/questions/${ids[0]}`, { ...question(0), text: '改过的题干', version: first.version });
    await admin.request('PUT', `/api/quizzes/${quiz.id}`, { title: '改过的试卷', questionIds: ids.slice(2, 3) });
    const again = await t.app.services.quizzes.snapshotForGame(actor, quiz.id, 'game-2');
    expect(again.title).toBe('改过的试卷');
    const { createQuizzesStore } = await import('../../server/store/quizzesStore');
    const stored = await createQuizzesStore(t.redis).getSnapshot('game-1');
    expect(stored).toEqual(snap);
    expect(stored!.questions[0]!.text).toBe('试卷测试题 0');
    await expect(t.app.services.quizzes.snapshotForGame(actor, quiz.id, 'game-1')).rejects.toThrow();
    expect(await createQuizzesStore(t.redis).getSnapshot('game-1')).toEqual(snap);
  });
});

describe('issue 9 item 9: options are shuffled per game by default', () => {
  it('issue 9 item 9: a quiz saved without shuffleOptions shuffles; its snapshot moves the options and remaps the answer', async () => {
    const quiz = (await admin.post('/api/quizzes', { title: '默认打乱', questionIds: ids.slice(0, 4) })).body.quiz;
    expect(quiz.shuffleOptions).toBe(true);
    const actor = (await admin.get('/api/me')).body.user as User;
    const snap = await t.app.services.quizzes.snapshotForGame(actor, quiz.id, 'shuffle-game-1', seeded(7));
    const moved = snap.questions.filter((q) => q.options.join() !== question(ids.indexOf(q.id)).options.join());
    expect(moved.length).toBeGreaterThan(0);
    for (const q of snap.questions) {
      const original = question(ids.indexOf(q.id));
      expect([...q.options].sort()).toEqual([...original.options].sort());
      expect(q.options[q.answer as number]).toBe(original.options[original.answer]);
    }
    // The host's choice holds: off stays off, and an edit that leaves the field out keeps it.
    const off = (await admin.request('PUT', `/api/quizzes/${quiz.id}`, { title: '不打乱', questionIds: ids.slice(0, 4), shuffleOptions: false })).body.quiz;
    expect(off.shuffleOptions).toBe(false);
    expect((await admin.request('PUT', `/api/quizzes/${quiz.id}`, { title: '不打乱', questionIds: ids.slice(0, 4) })).body.quiz.shuffleOptions).toBe(false);
    const plain = await t.app.services.quizzes.snapshotForGame(actor, quiz.id, 'shuffle-game-2', seeded(7));
    for (const q of plain.questions) expect(q.options).toEqual(question(ids.indexOf(q.id)).options);
  });
});

describe('issue 9 item 15: quizzes use what their audience can see', () => {
  it("issue 9 item 15: a secretary's quiz lists and draws only organisation-wide and own-branch questions", async () => {
    const theirs: string[] = [];
    for (let i = 0; i < 3; i++) {
      theirs.push((await two.secretaryClient.post('/api/questions', { ...question(100 + i, ['二支部题']), text: `二支部出的题 ${i}` })).body.question.id);
    }
    const mine = (await one.secretaryClient.post('/api/questions', { ...question(200, ['二支部题']), text: '一支部出的题' })).body.question.id;
    const before = (await admin.get('/api/quizzes')).body.total;
    const listed = await one.secretaryClient.post('/api/quizzes', { title: '借题', questionIds: [theirs[0]] });
    expect(listed.status).toBe(400);
    expect(listed.body.error.code).toBe('INVALID_INPUT');
    // Only one question tagged 二支部题 is in one's scope: a draw of 2 cannot be met.
    expect((await one.secretaryClient.post('/api/quizzes', { title: '抽别人的题', draw: { count: 2, tags: ['二支部题'] } })).status).toBe(400);
    // An organisation-wide quiz cannot list a branch's question either (other branches would host it).
    expect((await admin.post('/api/quizzes', { title: '全组织借题', questionIds: [theirs[0]] })).status).toBe(400);
    expect((await admin.get('/api/quizzes')).body.total).toBe(before);

    const quiz = (await one.secretaryClient.post('/api/quizzes', { title: '抽本支部的题', draw: { count: 1, tags: ['二支部题'] } })).body.quiz;
    const secretary = (await one.secretaryClient.get('/api/me')).body.user as User;
    for (let g = 0; g < 5; g++) {
      const snap = await t.app.services.quizzes.snapshotForGame(secretary, quiz.id, `scope-game-${g}`, seeded(g + 1));
      expect(snap.questions.map((q) => q.id)).toEqual([mine]);
    }
    // A branch quiz an admin makes for two may use two's questions.
    expect((await admin.post('/api/quizzes', { title: '二支部的借题', questionIds: [theirs[0]], branchId: two.branch.id })).status).toBe(201);
  });
});
