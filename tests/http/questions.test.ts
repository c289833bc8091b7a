import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, logger, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';
import { createQuestionsStore } from '../../server/store/questionsStore';
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
    const stale = await one.secretaryClient.request('PUT', `/api/questions/${created.id}`, { ...single, text: created.text, difficulty: 3, version: 1 });
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
