import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_QUESTION_IMPORT_ROWS } from '../../server/domain/questionSheet';
import { MAX_USER_IMPORT_ROWS } from '../../server/domain/userImport';
import { checkZipBudget, MAX_XLSX_UNPACKED_BYTES } from '../../server/domain/zipBudget';
import { writeXlsx } from '../../server/services/spreadsheet';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, fileForm } from '../helpers/api';

/** A minimal zip writer: each entry deflated (or stored), with an optional lie about its unpacked size. */
function zip(entries: { name: string; data: Buffer; store?: boolean; declaredSize?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const body = e.store ? e.data : deflateRawSync(e.data, { level: 9 });
    const size = e.declaredSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.store ? 0 : 8, 8);
    local.writeUInt32LE(crc32(e.data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.store ? 0 : 8, 10);
    central.writeUInt32LE(crc32(e.data), 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A sheet part that unpacks to just over the budget: a few hundred KB that inflate to 64+ MB of spaces. */
const bombPart = () => Buffer.alloc(MAX_XLSX_UNPACKED_BYTES + 1024, 0x20);

describe('issue 9 item 19: the .xlsx unpacked-size budget', () => {
  it('passes a real workbook and reports what it unpacks to', async () => {
    const xlsx = await writeXlsx('题库', [['题型', '题干'], ['单选', '一道题']]);
    const verdict = checkZipBudget(xlsx);
    expect(verdict.ok && verdict.unpackedBytes).toBeGreaterThan(xlsx.length);
  });

  it('refuses declared sizes beyond the budget, understated sizes caught by inflating, and broken directories', () => {
    const data = Buffer.alloc(5000, 0x41);
    expect(checkZipBudget(zip([{ name: 'a', data }]), 4999)).toEqual({ ok: false, reason: 'too-large' });
    expect(checkZipBudget(zip([{ name: 'a', data, declaredSize: 10 }]), 4999)).toEqual({ ok: false, reason: 'too-large' });
    expect(checkZipBudget(zip([{ name: 'a', data }]), 5000)).toEqual({ ok: true, unpackedBytes: 5000 });
    expect(checkZipBudget(zip([{ name: 'a', data, store: true }, { name: 'b', data }]), 9999)).toEqual({ ok: false, reason: 'too-large' });
    const whole = zip([{ name: 'a', data }]);
    expect(checkZipBudget(whole.subarray(0, whole.length - 30))).toEqual({ ok: false, reason: 'unreadable' });
    expect(checkZipBudget(zip(Array.from({ length: 3 }, (_, i) => ({ name: `e${i}`, data: Buffer.from('x') }))), 100, 2)).toEqual({ ok: false, reason: 'too-large' });
  });
});

describe('issue 9 item 19: import bounds over HTTP', () => {
  let t: TestApp;
  let admin: ApiClient;
  const counts = async () => ({
    users: (await admin.get('/api/users?pageSize=1')).body.total as number,
    questions: (await admin.get('/api/questions?pageSize=1')).body.total as number,
    keys: await t.redis.dbSize(),
  });

  beforeAll(async () => {
    t = await startTestApp();
    admin = new ApiClient(t.url);
    await admin.login('admin', ADMIN_PASSWORD);
    await admin.post('/api/branches', { name: '上限支部' });
  });
  afterAll(() => t.close());

  it(`a member CSV over ${MAX_USER_IMPORT_ROWS} rows -> 400 naming the cap, nobody created`, async () => {
    // Three good rows first (today they would be created), then cheap bad ones up to the cap + 1.
    const good = ['cap01,甲,上限支部,党员,', 'cap02,乙,上限支部,党员,', 'cap03,丙,上限支部,党员,'];
    const bad = Array.from({ length: MAX_USER_IMPORT_ROWS - 2 }, (_, i) => `ghost${i},某人,没有这个支部,党员,`);
    const csv = ['用户名,姓名,支部,角色,初始密码', ...good, ...bad].join('\n');
    const before = await counts();
    const res = await admin.post('/api/users/import', fileForm(csv, 'members.csv'));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_INPUT');
    expect(res.body.error.message).toContain(String(MAX_USER_IMPORT_ROWS));
    expect(await counts()).toEqual(before);
  });

  it(`a question CSV over ${MAX_QUESTION_IMPORT_ROWS} rows -> 400 naming the cap, nothing written`, async () => {
    const good = ['判断,上限测试题一,,,,,,,,,正确,,,,1', '判断,上限测试题二,,,,,,,,,错误,,,,1'];
    const bad = Array.from({ length: MAX_QUESTION_IMPORT_ROWS - 1 }, (_, i) => `未知题型,题${i}`);
    const csv = ['题型,题干,选项A,选项B,选项C,选项D,选项E,选项F,选项G,选项H,答案,解析,出处,标签,难度', ...good, ...bad].join('\n');
    const before = await counts();
    const res = await admin.post('/api/questions/import', fileForm(csv, 'bank.csv'));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(String(MAX_QUESTION_IMPORT_ROWS));
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['members', '/api/users/import'],
    ['questions', '/api/questions/import'],
  ])('a zip-bomb .xlsx of %s -> 400 naming the unpacked-size cap, nothing written', async (_what, path) => {
    // A workbook whose sheet part understates its size in both headers; deflated it is well under the upload limit.
    const bomb = zip([
      { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types/>') },
      { name: 'xl/worksheets/sheet1.xml', data: bombPart(), declaredSize: 1000 },
    ]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const before = await counts();
    const res = await admin.post(path, fileForm(bomb, 'bomb.xlsx'));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_INPUT');
    expect(res.body.error.message).toContain(`${MAX_XLSX_UNPACKED_BYTES / 1024 / 1024} MB`);
    expect(await counts()).toEqual(before);
  });
});
