import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, logger, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';
import { createQuestionsStore } from '../../server/store/questionsStore';
import { keys } from '../../server/store/keys';
import { loadStarterBank, readStarterBank, seedBankOnFirstStart } from '../../server/services/starterBank';

let t: TestApp;
let admin: ApiClient;
let one: Awaited<ReturnType<typeof seedBranch>>;

const single = {
  type: 'single',
  text: '党的最高领导机关是（ ）。',
  options: ['党的全国代表大会和它所产生的中央委员会', '中央政治局', '中央书记处'],
  answer: 0,
  explanation: '党章第十条：党的最高领导机关，是党的全国代表大会和它所产生的中央委员会。',
  source: '《中国共产党章程》第十条',
  tags: ['党章', '组织制度'],
  difficulty: 1,
};

beforeAll(async () => {
  t = await startTestApp();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  one = await seedBranch(t.url, admin, '题库支部');
});
afterAll(() => t.close());

describe('question validation', () => {
  const bad: [string, Record<string, unknown>, string][] = [
    ['an answer index out of range', { answer: 3 }, 'answer'],
    ['empty text', { text: '   ' }, 'text'],
    ['duplicate options', { options: ['甲', '乙', '甲'] }, 'options'],
    ['a multiple with one correct option', { type: 'multiple', answer: [1] }, 'answer'],
    ['a multiple with repeated indices', { type: 'multiple', answer: [1, 1] }, 'answer'],
    ['a judge with non-standard options', { type: 'judge', options: ['对', '错'], answer: 0 }, 'options'],
    ['a judge with answer 2', { type: 'judge', options: ['正确', '错误'], answer: 2 }, 'answer'],
    ['a blank with options', { type: 'blank', answer: ['民主集中制'] }, 'options'],
    ['a single with one option', { options: ['唯一'], answer: 0 }, 'options'],
    ['difficulty 4', { difficulty: 4 }, 'difficulty'],
    ['an unknown type', { type: 'essay' }, 'type'],
  ];
  it.each(bad)('refuses %s with 400 naming the field', async (_name, change, field) => {
    const res = await admin.post('/api/questions', { ...single, ...change });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_INPUT');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    expect((await admin.get('/api/questions')).body.total).toBe(0);
  });

  it('accepts all four types', async () => {
    const cases = [
      single,
      { ...single, type: 'multiple', text: '多选题样例：下列属于党的纪律处分种类的有（ ）。', options: ['警告', '严重警告', '罚款', '开除党籍'], answer: [0, 1, 3] },
      { ...single, type: 'judge', text: '判断题样例：预备党员的预备期为一年。', options: ['正确', '错误'], answer: 0 },
      { ...single, type: 'blank', text: '填空题样例：党的根本组织原则是____。', options: [], answer: ['民主集中制'] },
    ];
    for (const body of cases) expect((await admin.post('/api/questions', body)).status).toBe(201);
  });
});

describe('question bank REST', () => {
  it('members get 403 everywhere: the bank holds the answer keys', async () => {
    expect((await one.memberClient.get('/api/questions')).status).toBe(403);
    expect((await one.memberClient.get('/api/questions/tags')).status).toBe(403);
    expect((await one.memberClient.post('/api/questions', single)).status).toBe(403);
  });

  it('searches Chinese substrings across text, options and explanation; filters by tag, type and difficulty', async () => {
    const byText = await one.secretaryClient.get(`/api/questions?q=${encodeURIComponent('题样例')}`);
    expect(byText.body.total).toBe(3);
    const byOption = await admin.get(`/api/questions?q=${encodeURIComponent('严重警告')}`);
    expect(byOption.body.items[0].type).toBe('multiple');
    const byExplanation = await admin.get(`/api/questions?q=${encodeURIComponent('第十条')}`);
    expect(byExplanation.body.total).toBe(4);
    expect((await admin.get('/api/questions?type=blank')).body.total).toBe(1);
    expect((await admin.get(`/api/questions?tag=${encodeURIComponent('组织制度')}&difficulty=1`)).body.total).toBe(4);
    expect((await admin.get('/api/questions?pageSize=2&page=2')).body.items).toHaveLength(2);
    expect((await admin.get('/api/questions?type=essay')).status).toBe(400);
  });

  it('refuses a second question with the same normalised text (409)', async () => {
    const res = await admin.post('/api/questions', { ...single, text: ' 党的最高领导机关是（ ）。 ' });
    expect(res.status).toBe(409);
  });

  it('edits bump the version; a stale version gets 409 and changes nothing', async () => {
    const created = (await admin.post('/api/questions', { ...single, text: '版本测试题：党的最高领导机关是？' })).body.question;
    expect(created.version).toBe(1);
    const first = await admin.request('PUT', `/api/questions/${created.id}`, { ...single, text: created.text, difficulty: 2, version: 1 });
    expect(first.body.question.version).toBe(2);
    const stale = await admin.request('PUT', `/api/questions/${created.id}`, { ...single, text: created.text, difficulty: 3, version: 1 });
    expect(stale.status).toBe(409);
    const now = (await admin.get(`/api/questions/${created.id}`)).body.question;
    expect(now).toMatchObject({ difficulty: 2, version: 2, createdBy: expect.any(String) });
  });

  it('counts tags, and deleting a question updates the counts', async () => {
    const before = (await admin.get('/api/questions/tags')).body.items.find((x: { tag: string }) => x.tag === '党章').count;
    const q = (await admin.post('/api/questions', { ...single, text: '删除测试题？', tags: ['党章', '临时标签'] })).body.question;
    expect((await admin.get('/api/questions/tags')).body.items).toContainEqual({ tag: '临时标签', count: 1 });
    expect((await admin.delete(`/api/questions/${q.id}`)).status).toBe(204);
    const after = (await admin.get('/api/questions/tags')).body.items;
    expect(after.find((x: { tag: string }) => x.tag === '党章').count).toBe(before);
    expect(after.find((x: { tag: string }) => x.tag === '临时标签')).toBeUndefined();
    expect((await admin.get(`/api/questions/${q.id}`)).status).toBe(404);
  });

  it('renames a tag on every question (merging into an existing one), removes a tag, and refuses bad requests without change', async () => {
    const tagged = async (tag: string) => (await admin.get(`/api/questions?tag=${encodeURIComponent(tag)}&pageSize=100`)).body.items as { id: string; tags: string[]; version: number }[];
    const a = (await admin.post('/api/questions', { ...single, text: '标签题一？', tags: ['旧标签', '党章'] })).body.question;
    const b = (await admin.post('/api/questions', { ...single, text: '标签题二？', tags: ['旧标签', '新标签'] })).body.question;
    const put = (tag: string, body: unknown) => admin.request('PUT', `/api/questions/tags/${encodeURIComponent(tag)}`, body);

    expect((await one.memberClient.request('PUT', `/api/questions/tags/${encodeURIComponent('旧标签')}`, { name: 'x' })).status).toBe(403);
    const blank = await put('旧标签', { name: '  ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.code).toBe('INVALID_INPUT');
    expect((await put('没有这个标签', { name: '新' })).status).toBe(404);
    expect((await tagged('旧标签')).map((q) => q.id).sort()).toEqual([a.id, b.id].sort());

    const renamed = await put('旧标签', { name: '新标签' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({ updated: 2 });
    expect(await tagged('旧标签')).toEqual([]);
    const after = await tagged('新标签');
    expect(after.map((q) => q.id).sort()).toEqual([a.id, b.id].sort());
    expect(after.find((q) => q.id === b.id)!.tags).toEqual(['新标签']); // merged, not doubled
    expect(after.find((q) => q.id === a.id)!.version).toBe(a.version + 1); // an ordinary versioned edit
    const counts = (await admin.get('/api/questions/tags')).body.items;
    expect(counts).toContainEqual({ tag: '新标签', count: 2 });
    expect(counts.find((x: { tag: string }) => x.tag === '旧标签')).toBeUndefined();

    const removed = await admin.delete(`/api/questions/tags/${encodeURIComponent('新标签')}`);
    expect(removed.body).toEqual({ updated: 2 });
    expect((await admin.get(`/api/questions/${a.id}`)).body.question.tags).toEqual(['党章']);
    expect((await admin.get(`/api/questions/${b.id}`)).body.question.tags).toEqual([]);
  });
});

describe('issue 9 item 15: the bank has owners', () => {
  let two: Awaited<ReturnType<typeof seedBranch>>;
  const q = (text: string, tags = ['归属']) => ({ ...single, text, tags });
  const stored = (id: string) => t.redis.hGetAll(keys.question(id));
  const put = (client: ApiClient, question: { id: string; version: number; text: string; tags: string[] }, change: Record<string, unknown> = {}) =>
    client.request('PUT', `/api/questions/${question.id}`, { ...q(question.text, question.tags), difficulty: 3, version: question.version, ...change });

  beforeAll(async () => {
    two = await seedBranch(t.url, admin, '另一支部');
  });

  it('issue 9 item 15: a secretary creates questions for their own branch; admins choose the scope', async () => {
    const mine = await one.secretaryClient.post('/api/questions', q('归属测试：书记新建的题'));
    expect(mine.status).toBe(201);
    expect(mine.body.question.branchId).toBe(one.branch.id);
    expect((await stored(mine.body.question.id)).json).toContain(one.branch.id);

    const before = (await admin.get('/api/questions')).body.total;
    const elsewhere = await one.secretaryClient.post('/api/questions', { ...q('归属测试：为别的支部建题'), branchId: two.branch.id });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.code).toBe('FORBIDDEN');
    expect((await admin.post('/api/questions', { ...q('归属测试：不存在的支部'), branchId: 'no-such-branch' })).status).toBe(404);
    expect((await admin.get('/api/questions')).body.total).toBe(before);

    expect((await admin.post('/api/questions', q('归属测试：管理员的全组织题'))).body.question.branchId).toBeNull();
    expect((await admin.post('/api/questions', { ...q('归属测试：管理员为支部建题'), branchId: two.branch.id })).body.question.branchId).toBe(two.branch.id);
  });

  it("issue 9 item 15: a secretary cannot edit or delete an organisation-wide question or another branch's (403, unchanged in Redis)", async () => {
    const org = (await admin.post('/api/questions', q('只读测试：全组织题', ['只读标签']))).body.question;
    const theirs = (await two.secretaryClient.post('/api/questions', q('只读测试：二支部的题', ['只读标签']))).body.question;
    expect(theirs.branchId).toBe(two.branch.id);
    for (const target of [org, theirs]) {
      const before = await stored(target.id);
      const edit = await put(one.secretaryClient, target);
      expect(edit.status).toBe(403);
      expect(edit.body.error.code).toBe('FORBIDDEN');
      const flip = await put(one.secretaryClient, target, { answer: 2 });
      expect(flip.status).toBe(403);
      const del = await one.secretaryClient.delete(`/api/questions/${target.id}`);
      expect(del.status).toBe(403);
      expect(del.body.error.code).toBe('FORBIDDEN');
      expect(await stored(target.id)).toEqual(before);
    }
    // The tag is only on questions one's secretary may not edit: renaming or removing it is refused, nothing changes.
    const orgBefore = await stored(org.id);
    const theirsBefore = await stored(theirs.id);
    const rename = await one.secretaryClient.request('PUT', `/api/questions/tags/${encodeURIComponent('只读标签')}`, { name: '改名' });
    expect(rename.status).toBe(403);
    expect((await one.secretaryClient.delete(`/api/questions/tags/${encodeURIComponent('只读标签')}`)).status).toBe(403);
    expect(await stored(org.id)).toEqual(orgBefore);
    expect(await stored(theirs.id)).toEqual(theirsBefore);

    // Their own question: editable, but it cannot be handed to another branch.
    const own = (await one.secretaryClient.post('/api/questions', q('只读测试：一支部自己的题'))).body.question;
    const edited = await put(one.secretaryClient, own);
    expect(edited.status).toBe(200);
    expect(edited.body.question).toMatchObject({ difficulty: 3, branchId: one.branch.id, version: 2 });
    expect((await put(one.secretaryClient, edited.body.question, { branchId: two.branch.id })).status).toBe(403);
    expect((await put(one.secretaryClient, edited.body.question, { branchId: null })).body.question.branchId).toBe(one.branch.id);
  });

  it('issue 9 item 15: a secretary renames a tag on their own questions only', async () => {
    const org = (await admin.post('/api/questions', q('标签归属：全组织题', ['共用标签']))).body.question;
    const own = (await one.secretaryClient.post('/api/questions', q('标签归属：一支部的题', ['共用标签']))).body.question;
    const res = await one.secretaryClient.request('PUT', `/api/questions/tags/${encodeURIComponent('共用标签')}`, { name: '支部标签' });
    expect(res.body).toEqual({ updated: 1 });
    expect((await admin.get(`/api/questions/${own.id}`)).body.question.tags).toEqual(['支部标签']);
    expect((await admin.get(`/api/questions/${org.id}`)).body.question).toMatchObject({ tags: ['共用标签'], version: 1 });
  });

  it('issue 9 item 15: admins edit, move and delete questions of every scope', async () => {
    const theirs = (await two.secretaryClient.post('/api/questions', q('管理员测试：二支部的题'))).body.question;
    const edited = await put(admin, theirs, { answer: 1 });
    expect(edited.status).toBe(200);
    expect(edited.body.question).toMatchObject({ answer: 1, branchId: two.branch.id });
    const moved = await put(admin, edited.body.question, { branchId: null });
    expect(moved.body.question.branchId).toBeNull();
    expect((await two.secretaryClient.delete(`/api/questions/${theirs.id}`)).status).toBe(403); // organisation-wide now
    expect((await admin.delete(`/api/questions/${theirs.id}`)).status).toBe(204);
    expect(await stored(theirs.id)).toEqual({});
  });

  it("issue 9 item 15: a secretary does not see another branch's questions in search, by id, in tag counts or the export", async () => {
    const theirs = (await two.secretaryClient.post('/api/questions', q('可见性测试：二支部的秘密题', ['二支部专用']))).body.question;
    const org = (await admin.post('/api/questions', q('可见性测试：全组织的题'))).body.question;
    const found = (await one.secretaryClient.get(`/api/questions?q=${encodeURIComponent('可见性测试')}`)).body;
    expect(found.items.map((x: { id: string }) => x.id)).toEqual([org.id]);
    expect(found.total).toBe(1);
    expect((await two.secretaryClient.get(`/api/questions?q=${encodeURIComponent('可见性测试')}`)).body.total).toBe(2);
    expect((await admin.get(`/api/questions?q=${encodeURIComponent('可见性测试')}`)).body.total).toBe(2);
    expect((await one.secretaryClient.get(`/api/questions/${theirs.id}`)).status).toBe(403);
    const tags = (await one.secretaryClient.get('/api/questions/tags')).body.items.map((x: { tag: string }) => x.tag);
    expect(tags).not.toContain('二支部专用');
    expect((await two.secretaryClient.get('/api/questions/tags')).body.items).toContainEqual({ tag: '二支部专用', count: 1 });
    const exported = await one.secretaryClient.get('/api/questions/export?format=csv');
    expect(exported.body).toContain('可见性测试：全组织的题');
    expect(exported.body).not.toContain('二支部的秘密题');
  });

  it('issue 9 item 15: deleting a question a quiz lists is 409 CONFLICT naming the quiz; nothing is deleted', async () => {
    const used = (await one.secretaryClient.post('/api/questions', q('删除冲突：试卷用到的题'))).body.question;
    const spare = (await one.secretaryClient.post('/api/questions', q('删除冲突：另一道题'))).body.question;
    const quiz = (await one.secretaryClient.post('/api/quizzes', { title: '七一党课测验', questionIds: [used.id] })).body.quiz;
    const before = await stored(used.id);
    for (const client of [one.secretaryClient, admin]) {
      const res = await client.delete(`/api/questions/${used.id}`);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('CONFLICT');
      expect(res.body.error.message).toContain('七一党课测验');
      expect(res.body.error.details).toEqual({ quizzes: [{ id: quiz.id, title: '七一党课测验' }] });
    }
    expect(await stored(used.id)).toEqual(before);
    expect((await admin.get(`/api/quizzes/${quiz.id}`)).body.quiz.questionIds).toEqual([used.id]);
    // Taken out of the quiz, it can go.
    await one.secretaryClient.request('PUT', `/api/quizzes/${quiz.id}`, { title: '七一党课测验', questionIds: [spare.id] });
    expect((await one.secretaryClient.delete(`/api/questions/${used.id}`)).status).toBe(204);
  });

  it("issue 9 item 15: an admin cannot move a question into a branch while another scope's quiz lists it", async () => {
    const org = (await admin.post('/api/questions', q('移动测试：全组织题'))).body.question;
    const quiz = (await two.secretaryClient.post('/api/quizzes', { title: '二支部测验', questionIds: [org.id] })).body.quiz;
    const before = await stored(org.id);
    const res = await put(admin, org, { branchId: one.branch.id });
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual({ quizzes: [{ id: quiz.id, title: '二支部测验' }] });
    expect(await stored(org.id)).toEqual(before);
    expect((await put(admin, org, { branchId: two.branch.id })).body.question.branchId).toBe(two.branch.id);
  });

  it('issue 9 item 15: questions stored before owner scopes read as organisation-wide', async () => {
    const created = (await admin.post('/api/questions', q('旧数据：没有归属字段的题'))).body.question;
    const hash = await stored(created.id);
    const { branchId: _b, ...old } = JSON.parse(hash.json!);
    await t.redis.hSet(keys.question(created.id), 'json', JSON.stringify(old));
    expect((await admin.get(`/api/questions/${created.id}`)).body.question.branchId).toBeNull();
    expect((await one.secretaryClient.get(`/api/questions/${created.id}`)).body.question.branchId).toBeNull();
    expect((await put(one.secretaryClient, created)).status).toBe(403);
  });
});

describe('issue 9 item 10: a blank question over REST', () => {
  it('issue 9 item 10: a blank question may be created without options (treated as [])', async () => {
    const res = await admin.post('/api/questions', { type: 'blank', text: '没有选项字段的填空题：党的根本组织原则是____。', answer: ['民主集中制'] });
    expect(res.status).toBe(201);
    expect(res.body.question.options).toEqual([]);
    expect((await admin.get(`/api/questions/${res.body.question.id}`)).body.question.options).toEqual([]);
    // A choice question without options is still refused.
    expect((await admin.post('/api/questions', { type: 'single', text: '没有选项的单选题？', answer: 0 })).status).toBe(400);
  });
});

describe('starter bank loading', () => {
  it('loads into an empty, never-used bank once; a reload adds nothing twice', async () => {
    const redis = t.redis;
    await redis.flushDb();
    const store = createQuestionsStore(redis);
    const clock = { now: () => Date.now() };
    await seedBankOnFirstStart(store, clock, logger);
    const total = readStarterBank().length;
    expect(await store.count()).toBe(total);
    const someone = (await store.all())[0]!;
    await store.remove(someone);
    await seedBankOnFirstStart(store, clock, logger);
    expect(await store.count()).toBe(total - 1);
    expect(await loadStarterBank(store, clock)).toBe(1);
    expect(await loadStarterBank(store, clock)).toBe(0);
  });
});
