import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, fileForm, seedBranch } from '../helpers/api';
import { parseCsv } from '../../server/domain/csv';

let t: TestApp;
let admin: ApiClient;
let one: Awaited<ReturnType<typeof seedBranch>>;

beforeAll(async () => {
  t = await startTestApp();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  one = await seedBranch(t.url, admin, '导题支部');
});
afterAll(() => t.close());

const upload = fileForm;

const HEADER = '题型,题干,选项A,选项B,选项C,选项D,选项E,选项F,选项G,选项H,答案,解析,出处,标签,难度';
const SHEET = [
  HEADER,
  '单选题,党的最高领导机关是？,全国代表大会和中央委员会,中央政治局,中央书记处,,,,,,A,党章第十条,《中国共产党章程》第十条,"党章,组织制度",1',
  '多选,纪律处分的种类包括？,警告,罚款,严重警告,开除党籍,,,,,"A、C、D",五种处分,《中国共产党纪律处分条例》,纪律处分条例,2',
  '判断题,预备党员的预备期为一年。,,,,,,,,,√,党章第七条,《中国共产党章程》第七条,党章,1',
  '填空,党的根本组织原则是____。,,,,,,,,,民主集中制|民主集中制原则,党章第十条,《中国共产党章程》第十条,党章,',
  '问答,这不是支持的题型,,,,,,,,,A,,,,',
  '单选,答案越界的题,甲,乙,,,,,,,C,,,,',
  '多选,只有一个正确选项的多选题,甲,乙,丙,,,,,,B,,,,',
  '判断,判断题答案写错,,,,,,,,,也许,,,,',
  '单选,党的最高领导机关是？,全国代表大会和中央委员会,中央政治局,中央书记处,,,,,,A,党章第十条,《中国共产党章程》第十条,"党章,组织制度",1',
].join('\r\n');

describe('question import', () => {
  it('dry run counts what would happen and writes nothing', async () => {
    const res = await admin.post('/api/questions/import?dryRun=1', upload(SHEET, 'bank.csv'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 4, updated: 0, skipped: 1 });
    expect(res.body.errors.map((e: { row: number }) => e.row)).toEqual([6, 7, 8, 9]);
    expect((await admin.get('/api/questions')).body.total).toBe(0);
  });

  it('imports the good rows with the right answers; a re-import creates no duplicates', async () => {
    const res = await admin.post('/api/questions/import', upload(SHEET, 'bank.csv'));
    expect(res.body).toMatchObject({ created: 4, updated: 0, skipped: 1 });
    const items = (await admin.get('/api/questions?pageSize=50')).body.items as { type: string; answer: unknown; tags: string[]; options: string[] }[];
    const byType = Object.fromEntries(items.map((q) => [q.type, q]));
    expect(byType.single).toMatchObject({ answer: 0, tags: ['党章', '组织制度'] });
    expect(byType.multiple).toMatchObject({ answer: [0, 2, 3] });
    expect(byType.judge).toMatchObject({ answer: 0, options: ['正确', '错误'] });
    expect(byType.blank).toMatchObject({ answer: ['民主集中制', '民主集中制原则'], options: [] });
    const again = await admin.post('/api/questions/import', upload(SHEET, 'bank.csv'));
    expect(again.body).toMatchObject({ created: 0, updated: 0, skipped: 5 });
    expect((await admin.get('/api/questions')).body.total).toBe(4);
  });

  it('a changed row updates the matching question (by normalised text) and bumps its version', async () => {
    const changed = [HEADER, '判断, 预备党员的预备期为一年。 ,,,,,,,,,对,改过的解析,《中国共产党章程》第七条,党章,2'].join('\n');
    const res = await admin.post('/api/questions/import', upload(changed, 'bank.csv'));
    expect(res.body).toMatchObject({ created: 0, updated: 1, skipped: 0 });
    const q = (await admin.get(`/api/questions?q=${encodeURIComponent('预备期')}`)).body.items[0];
    expect(q).toMatchObject({ explanation: '改过的解析', difficulty: 2, version: 2 });
  });

  it('export then import round-trips Chinese text and formula-like cells, in xlsx and csv', async () => {
    await admin.post('/api/questions', {
      type: 'single', text: '=HYPERLINK("http://x") 公式样式的题干', options: ['+1 选项', '-2 选项', '@3 选项'], answer: 1,
      explanation: '=1+1', source: '测试', tags: ['党史'], difficulty: 3,
    });
    const before = (await admin.get('/api/questions?pageSize=50')).body.items;
    for (const format of ['csv', 'xlsx']) {
      const res = await fetch(`${t.url}/api/questions/export?format=${format}`, { headers: { cookie: admin.cookie } });
      const buffer = Buffer.from(await res.arrayBuffer());
      if (format === 'csv') {
        const rows = parseCsv(buffer.toString('utf8').replace(/^\ufeff/, ''));
        expect(rows.some((r) => r[1] === `'=HYPERLINK("http://x") 公式样式的题干`)).toBe(true);
      } else {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
        const cells: string[] = [];
        wb.worksheets[0]!.eachRow((row) => (row.values as unknown[]).forEach((v) => typeof v === 'string' && cells.push(v)));
        expect(cells.filter((c) => /^[=+\-@]/.test(c))).toEqual([]);
      }
      await t.redis.flushDb();
      // Starting again from an empty bank: the exported file alone must rebuild it.
      await startFresh();
      const imported = await admin.post('/api/questions/import', upload(buffer, `export.${format}`));
      expect(imported.body.errors).toEqual([]);
      const after = (await admin.get('/api/questions?pageSize=50')).body.items;
      const strip = (qs: Record<string, unknown>[]) => qs.map(({ id: _i, createdBy: _c, updatedAt: _u, version: _v, ...rest }) => rest).sort((a, b) => String(a.text).localeCompare(String(b.text)));
      expect(strip(after)).toEqual(strip(before));
    }
  });

  it("issue 9 item 15: a secretary's import creates their branch's questions and cannot overwrite organisation-wide ones", async () => {
    const org = [HEADER, '判断,组织题：党员有权参加党的有关会议。,,,,,,,,,对,党章第四条,《中国共产党章程》第四条,党章,1'].join('\n');
    expect((await admin.post('/api/questions/import', upload(org, 'org.csv'))).body.created).toBe(1);
    const orgQuestion = (await admin.get(`/api/questions?q=${encodeURIComponent('组织题')}`)).body.items[0];
    expect(orgQuestion.branchId).toBeNull();

    // The same row again changes nothing, so it is simply skipped.
    expect((await one.secretaryClient.post('/api/questions/import', upload(org, 'same.csv'))).body).toMatchObject({ created: 0, skipped: 1, errors: [] });
    const sheet = [
      HEADER,
      '判断,组织题：党员有权参加党的有关会议。,,,,,,,,,错,被改掉的答案,,,1', // would flip the key: refused
      '判断,支部题：支部委员会每月召开一次。,,,,,,,,,对,,,支部,1', // new: the secretary's branch
    ].join('\n');
    const res = await one.secretaryClient.post('/api/questions/import', upload(sheet, 'branch.csv'));
    expect(res.body).toMatchObject({ created: 1, updated: 0, skipped: 0 });
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].row).toBe(2);
    expect(res.body.errors[0].message).toContain('管理员');
    expect((await admin.get(`/api/questions/${orgQuestion.id}`)).body.question).toMatchObject({ answer: 0, version: 1, branchId: null });
    const branchQuestion = (await admin.get(`/api/questions?q=${encodeURIComponent('支部题')}`)).body.items[0];
    expect(branchQuestion).toMatchObject({ branchId: one.branch.id, answer: 0 });
  });

  it('members get 403 for import, export and template', async () => {
    expect((await one.memberClient.post('/api/questions/import', upload(SHEET, 'a.csv'))).status).toBe(403);
    expect((await one.memberClient.get('/api/questions/export')).status).toBe(403);
    expect((await one.memberClient.get('/api/questions/import/template')).status).toBe(403);
  });
});

async function startFresh() {
  const { ensureAdmin } = await import('../../server/services/bootstrap');
  const { createUsersStore } = await import('../../server/store/usersStore');
  const { logger } = await import('../helpers/testApp');
  await ensureAdmin(createUsersStore(t.redis), { now: () => Date.now() }, logger, ADMIN_PASSWORD);
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  one = await seedBranch(t.url, admin, '导题支部');
}
