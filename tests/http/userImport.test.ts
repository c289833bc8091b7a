import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, fileForm, seedBranch } from '../helpers/api';

let t: TestApp;
let admin: ApiClient;
let one: Awaited<ReturnType<typeof seedBranch>>;

beforeAll(async () => {
  t = await startTestApp();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  one = await seedBranch(t.url, admin, '第一支部');
  await seedBranch(t.url, admin, '第二支部');
});
afterAll(() => t.close());

const upload = fileForm;

const MIXED_CSV = [
  '用户名,姓名,支部,角色,初始密码',
  'wang01,王一,第一支部,党员,',
  'li02,李二,第二支部,支部书记,secret-pass-2',
  ',没有用户名,第一支部,,',
  'zhao03,赵三,不存在支部,,',
  'qian04,钱四,第一支部,群众,',
  'wang01,王一重复,第一支部,,',
  'sun05,孙五,第一支部,,short',
  '',
  'zhou06,周六,第一支部,member,',
].join('\r\n');

describe('member import', () => {
  it('dry run reports good and bad rows by spreadsheet row number and writes nothing', async () => {
    const before = (await admin.get('/api/users')).body.total;
    const res = await admin.post('/api/users/import?dryRun=1', upload(MIXED_CSV, 'members.csv'));
    expect(res.status).toBe(200);
    expect(res.body.created.map((c: { row: number }) => c.row)).toEqual([2, 3, 10]);
    expect(res.body.errors.map((e: { row: number }) => e.row)).toEqual([4, 5, 6, 7, 8]);
    expect((await admin.get('/api/users')).body.total).toBe(before);
  });

  it('imports the good rows, reports generated passwords once, and the members can log in', async () => {
    const res = await admin.post('/api/users/import', upload('\ufeff' + MIXED_CSV, 'members.csv'));
    expect(res.body.created).toHaveLength(3);
    expect(res.body.errors).toHaveLength(5);
    const wang = res.body.created.find((c: { username: string }) => c.username === 'wang01');
    const li = res.body.created.find((c: { username: string }) => c.username === 'li02');
    expect(wang.password).toMatch(/^.{10}$/);
    expect(li).not.toHaveProperty('password');
    const user = await new ApiClient(t.url).login('wang01', wang.password);
    expect(user).toMatchObject({ displayName: '王一', role: 'member', branchId: one.branch.id, mustChangePassword: true });
    expect((await new ApiClient(t.url).login('li02', 'secret-pass-2')).role).toBe('secretary');
    const again = await admin.post('/api/users/import', upload(MIXED_CSV, 'members.csv'));
    expect(again.body.created).toHaveLength(0);
  });

  it('reads GB18030 CSV (Excel on Chinese Windows) and English headers', async () => {
    const text = 'username,displayName,branch\r\ngb01,欧阳修,第一支部\r\n';
    // Node cannot encode GB18030 itself; build the bytes for the Chinese characters by hand.
    const encoded = Buffer.concat([
      Buffer.from('username,displayName,branch\r\ngb01,'),
      Buffer.from([0xc5, 0xb7, 0xd1, 0xf4, 0xd0, 0xde]), // 欧阳修
      Buffer.from(','),
      Buffer.from([0xb5, 0xda, 0xd2, 0xbb, 0xd6, 0xa7, 0xb2, 0xbf]), // 第一支部
      Buffer.from('\r\n'),
    ]);
    expect(new TextDecoder('gb18030').decode(encoded)).toBe(text);
    const res = await admin.post('/api/users/import', upload(encoded, '党员.csv'));
    expect(res.body.errors).toEqual([]);
    const found = (await admin.get('/api/users?q=gb01')).body.items[0];
    expect(found.displayName).toBe('欧阳修');
  });

  it('reads .xlsx files', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Sheet1');
    sheet.addRow(['用户名', '姓名', '支部', '角色', '初始密码']);
    sheet.addRow(['xl01', '诸葛亮', '第一支部', '党员', 'xlsx-pass-1']);
    sheet.addRow([12345, '数字账号', '第一支部', '', '']);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await admin.post('/api/users/import', upload(buffer, 'members.xlsx'));
    expect(res.body.errors).toEqual([]);
    expect(res.body.created.map((c: { username: string }) => c.username)).toEqual(['xl01', '12345']);
  });

  it('a secretary may import only members of their own branch (other rows are row errors)', async () => {
    const csv = '用户名,姓名,支部,角色\r\nsec01,本支部,第一支部,党员\r\nsec02,空支部,,\r\nsec03,外支部,第二支部,党员\r\nsec04,想当书记,第一支部,支部书记\r\n';
    const res = await one.secretaryClient.post('/api/users/import', upload(csv, 'x.csv'));
    expect(res.body.created.map((c: { row: number }) => c.row)).toEqual([2, 3]);
    expect(res.body.errors.map((e: { row: number }) => e.row)).toEqual([4, 5]);
  });

  it('members get 403; a missing file or header gets 400', async () => {
    expect((await one.memberClient.post('/api/users/import', upload(MIXED_CSV, 'a.csv'))).status).toBe(403);
    expect((await admin.post('/api/users/import', new FormData())).status).toBe(400);
    const res = await admin.post('/api/users/import', upload('a,b\r\n1,2\r\n', 'a.csv'));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_INPUT');
  });

  it('serves a template that imports as-is', async () => {
    const res = await fetch(`${t.url}/api/users/import/template`, { headers: { cookie: admin.cookie } });
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const buffer = Buffer.from(await res.arrayBuffer());
    const dry = await admin.post('/api/users/import?dryRun=1', upload(buffer, 'template.xlsx'));
    expect(dry.body.created).toHaveLength(1);
  });
});
