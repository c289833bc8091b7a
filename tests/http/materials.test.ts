import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, fileForm, seedBranch } from '../helpers/api';
import { makePdf } from '../helpers/pdf';

let t: TestApp;
let admin: ApiClient;
let one: Awaited<ReturnType<typeof seedBranch>>;
let two: Awaited<ReturnType<typeof seedBranch>>;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tongpin-materials-'));

const markdown = '# 总纲\n中国共产党是中国工人阶级的先锋队。\n---\n# 第一章 党员\n第一条\n---\n第二条';
const put = (c: ApiClient, p: string, body: unknown) => c.request('PUT', p, body);

beforeAll(async () => {
  t = await startTestApp({ config: { dataDir } });
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  one = await seedBranch(t.url, admin, '一支部');
  two = await seedBranch(t.url, admin, '二支部');
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('study materials', () => {
  it('an admin creates an organisation-wide Markdown material; its pages are the --- split', async () => {
    const res = await admin.post('/api/materials', { title: '党章学习', kind: 'markdown', body: markdown, tags: ['党章'], source: '《中国共产党章程》' });
    expect(res.status).toBe(201);
    expect(res.body.material).toMatchObject({ title: '党章学习', kind: 'markdown', pages: 3, branchId: null, version: 1, tags: ['党章'], body: markdown });
  });

  it('a secretary creates for their own branch only; a member cannot create', async () => {
    const own = await one.secretaryClient.post('/api/materials', { title: '支部资料', kind: 'markdown', body: '甲' });
    expect(own.status).toBe(201);
    expect(own.body.material.branchId).toBe(one.branch.id);
    const before = await t.redis.dbSize();
    expect((await one.secretaryClient.post('/api/materials', { title: 'x', kind: 'markdown', body: '甲', branchId: null })).status).toBe(403);
    expect((await one.secretaryClient.post('/api/materials', { title: 'x', kind: 'markdown', body: '甲', branchId: two.branch.id })).status).toBe(403);
    expect((await one.memberClient.post('/api/materials', { title: 'x', kind: 'markdown', body: '甲' })).status).toBe(403);
    const bad = await admin.post('/api/materials', { title: 'x', kind: 'markdown', body: '   ' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_INPUT');
    expect(await t.redis.dbSize()).toBe(before);
  });

  it('members read organisation-wide material and their own branch’s, never another branch’s', async () => {
    const mine = (await one.secretaryClient.post('/api/materials', { title: '一支部专属', kind: 'markdown', body: '甲' })).body.material;
    const listed = (await two.memberClient.get('/api/materials')).body.items.map((m: { title: string }) => m.title);
    expect(listed).toContain('党章学习');
    expect(listed).not.toContain('一支部专属');
    expect((await two.memberClient.get(`/api/materials/${mine.id}`)).status).toBe(404);
    const read = await one.memberClient.get(`/api/materials/${mine.id}`);
    expect(read.status).toBe(200);
    expect(read.body.material.body).toBe('甲');
    expect((await one.memberClient.get('/api/materials?q=专属')).body.items.map((m: { id: string }) => m.id)).toEqual([mine.id]);
  });

  it('PUT carries the version: a stale one is 409 and changes nothing; organisation-wide material is read-only to secretaries', async () => {
    const m = (await admin.post('/api/materials', { title: '条例', kind: 'markdown', body: '# 一\n甲\n# 二\n乙' })).body.material;
    expect(m.pages).toBe(2);
    const ok = await put(admin, `/api/materials/${m.id}`, { version: 1, title: '条例（修订）', body: '只有一页', tags: [] });
    expect(ok.status).toBe(200);
    expect(ok.body.material).toMatchObject({ version: 2, pages: 1, title: '条例（修订）', body: '只有一页' });
    const stale = await put(admin, `/api/materials/${m.id}`, { version: 1, title: '覆盖', tags: [] });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('CONFLICT');
    expect((await admin.get(`/api/materials/${m.id}`)).body.material).toMatchObject({ title: '条例（修订）', version: 2, body: '只有一页' });
    const forbidden = await put(one.secretaryClient, `/api/materials/${m.id}`, { version: 2, title: '改', tags: [] });
    expect(forbidden.status).toBe(403);
    expect((await one.secretaryClient.delete(`/api/materials/${m.id}`)).status).toBe(403);
  });
});

describe('PDF materials', () => {
  it('a real PDF is stored under DATA_DIR/files/<sha256>.pdf, not in Redis; its pages are counted; ranges work', async () => {
    const m = (await one.secretaryClient.post('/api/materials', { title: '学习文件', kind: 'pdf' })).body.material;
    expect(m).toMatchObject({ kind: 'pdf', pages: 0, version: 1 });
    const pdf = makePdf(3);
    const up = await one.secretaryClient.post(`/api/materials/${m.id}/file`, fileForm(pdf, '学习文件.pdf'));
    expect(up.status).toBe(200);
    expect(up.body.material).toMatchObject({ pages: 3, version: 2, file: { size: pdf.length, name: '学习文件.pdf' } });
    const sha = up.body.material.file.sha256 as string;
    expect(readdirSync(path.join(dataDir, 'files'))).toContain(`${sha}.pdf`);
    // Redis keeps metadata only: no value holds the PDF's bytes.
    for (const key of await t.redis.keys('*')) {
      if ((await t.redis.type(key)) === 'string') expect(await t.redis.get(key)).not.toContain('%PDF-');
    }

    const whole = await fetch(`${t.url}/api/materials/${m.id}/file`, { headers: { cookie: one.memberClient.cookie } });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await whole.arrayBuffer()).equals(pdf)).toBe(true);
    const part = await fetch(`${t.url}/api/materials/${m.id}/file`, { headers: { cookie: one.memberClient.cookie, range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-99/${pdf.length}`);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
    // Another branch's member may not see the material, so not its file either.
    expect((await fetch(`${t.url}/api/materials/${m.id}/file`, { headers: { cookie: two.memberClient.cookie } })).status).toBe(404);
    expect((await fetch(`${t.url}/api/materials/${m.id}/file`)).status).toBe(401);
  });

  it('a renamed non-PDF is refused with 400 and the material is unchanged', async () => {
    const m = (await admin.post('/api/materials', { title: '假文件', kind: 'pdf' })).body.material;
    const fake = await admin.post(`/api/materials/${m.id}/file`, fileForm(Buffer.from('PK\u0003\u0004 this is a docx, renamed'), '通知.pdf'));
    expect(fake.status).toBe(400);
    expect(fake.body.error.code).toBe('INVALID_INPUT');
    const truncated = await admin.post(`/api/materials/${m.id}/file`, fileForm(Buffer.from('%PDF-1.4\n1 0 obj\n<<'), '半截.pdf'));
    expect(truncated.status).toBe(400);
    expect((await admin.get(`/api/materials/${m.id}`)).body.material).toMatchObject({ version: 1, pages: 0, file: null });
  });

  it('a file over 30 MB is 413 with the envelope', async () => {
    const m = (await admin.post('/api/materials', { title: '大文件', kind: 'pdf' })).body.material;
    const res = await admin.post(`/api/materials/${m.id}/file`, fileForm(makePdf(1, 30 * 1024 * 1024), '大.pdf'));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await admin.get(`/api/materials/${m.id}`)).body.material.version).toBe(1);
  });

  it('a Markdown material takes no file', async () => {
    const m = (await admin.post('/api/materials', { title: '文本', kind: 'markdown', body: '甲' })).body.material;
    expect((await admin.post(`/api/materials/${m.id}/file`, fileForm(makePdf(1), 'a.pdf'))).status).toBe(400);
  });
});
