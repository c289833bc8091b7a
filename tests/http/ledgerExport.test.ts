import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationReport } from '../../shared/schemas/ledgerReports';
import type { Activity } from '../../server/services/ledger/activity';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';

/**
 * Issue 12, ledger export: the 学习台账 workbook (columns, totals, neutralised cells, Chinese file name, scopes) and the
 * year-end evaluation, over a record seeded through the real study-record service for users made through the API.
 */

const HEADERS = ['序号', '姓名', '所在支部', '日期', '学习形式', '学习内容', '学时', '成绩/结果', '备注'];
const EVIL_NAME = '=HYPERLINK("http://x.cn","点我")';
const EVIL_TITLE = '=cmd|" /C calc"!A0';
/** Midnight in Beijing (the default org time zone) on a 2025 day. */
const bj = (day: string, hour = 0) => Date.parse(`${day}T00:00:00Z`) - 8 * 3_600_000 + hour * 3_600_000;

let t: TestApp;
let now = bj('2025-01-01');
let admin: ApiClient;
let A: Awaited<ReturnType<typeof seedBranch>>;
let B: Awaited<ReturnType<typeof seedBranch>>;
let evil: { id: string };
let mover: { id: string };

async function addMember(branchId: string, displayName: string) {
  const username = `m_${Math.random().toString(36).slice(2, 8)}`;
  const res = await admin.post('/api/users', { username, displayName, password: 'password-1', role: 'member', branchId });
  expect(res.status).toBe(201);
  return res.body.user as { id: string };
}

const record = (activities: Activity[]) => t.app.services.ledger.record.record(activities);

beforeAll(async () => {
  t = await startTestApp({ clock: { now: () => now } });
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  A = await seedBranch(t.url, admin, '一支部');
  // Branches are listed in the order they were made (一支部 first), as the organisation numbered them.
  now += 1000;
  B = await seedBranch(t.url, admin, '二支部');
  now -= 1000;
  evil = await addMember(A.branch.id, EVIL_NAME);
  mover = await addMember(A.branch.id, '王调动');

  await record([
    { memberId: A.member.id, kind: 'live_game', refId: 'g1', at: bj('2025-03-10', 10), title: '党史竞答', result: { score: 1200, rank: 2, correct: 3, total: 4 } },
    // 01:00 on 1 April in Beijing is still 31 March in UTC: the ledger shows the org's day.
    { memberId: A.member.id, kind: 'study_session', refId: 's1', at: bj('2025-04-01', 1), title: '专题党课', sessionKind: 'party_lecture', result: { status: 'present', minutes: 90 } },
    { memberId: A.secretary.id, kind: 'study_session', refId: 's1', at: bj('2025-04-01', 1), title: '专题党课', sessionKind: 'party_lecture', result: { status: 'leave', minutes: 0 }, note: '出差' },
    { memberId: evil.id, kind: 'exam', refId: 'e1', at: bj('2025-05-05', 9), title: EVIL_TITLE, examId: 'x1', result: { score: 85, correct: 17, total: 20 } },
    { memberId: mover.id, kind: 'daily_set', refId: '2025-02-01', at: bj('2025-02-01', 9), title: '每日一练', result: { correct: 4, total: 5 } },
  ]);
  await t.app.services.ledger.record.addMeeting(A.branch.id, 'party_lecture', 's1', bj('2025-04-01', 1));
  // On 1 July the mover goes to 二支部: their earlier entry stays in 一支部's ledger.
  now = bj('2025-07-01');
  expect((await admin.patch(`/api/users/${mover.id}`, { branchId: B.branch.id })).status).toBe(200);
  await record([
    { memberId: mover.id, kind: 'daily_set', refId: '2025-08-01', at: bj('2025-08-01', 9), title: '每日一练', result: { correct: 5, total: 5 } },
    // Markup and a control character in a title: escaped and dropped, never a broken sheet.
    { memberId: B.member.id, kind: 'reflection', refId: 's9', at: bj('2025-06-01', 9), title: 'R&D <学习心得>\u0007', result: {} },
  ]);
  now = bj('2026-01-15');
});
afterAll(() => t.close());

async function download(client: ApiClient, path: string) {
  const res = await fetch(t.url + path, { headers: { cookie: client.cookie } });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body };
}

async function workbook(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

/** A sheet's rows as header -> value maps, under the header row whose first cell is `first`. */
function table(ws: ExcelJS.Worksheet, first: string): Record<string, ExcelJS.CellValue>[] {
  const rows: ExcelJS.Row[] = [];
  ws.eachRow((r) => rows.push(r));
  const at = rows.findIndex((r) => r.getCell(1).value === first);
  expect(at).toBeGreaterThanOrEqual(0);
  const names: string[] = [];
  rows[at]!.eachCell((c, col) => (names[col] = String(c.value)));
  return rows.slice(at + 1).map((r) => Object.fromEntries(names.map((n, col) => [n, r.getCell(col).value] as const).filter(([n]) => n !== undefined)));
}

const YEAR = 'from=2025-01-01&to=2025-12-31';

describe('issue 12: ledger export', () => {
  it('issue 12: ledger export columns, totals per member, neutralised cells, org-zone dates and the Chinese file name (branch scope holds only that branch)', async () => {
    const res = await download(A.secretaryClient, `/api/ledger/export.xlsx?scope=branch&id=${A.branch.id}&${YEAR}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const name = '学习台账_一支部_2025-01-01_2025-12-31.xlsx';
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="ledger_branch_2025-01-01_2025-12-31.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`);
    const wb = await workbook(res.body);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['一支部', '汇总']);
    const ws = wb.getWorksheet('一支部')!;
    const header: unknown[] = [];
    ws.getRow(1).eachCell((c, col) => (header[col - 1] = c.value));
    expect(header).toEqual(HEADERS);

    const rows = table(ws, '序号');
    // Only 一支部's entries: the mover's August set was written under 二支部.
    const entries = rows.filter((r) => r['学习形式'] !== '合计');
    expect(entries).toHaveLength(5);
    expect(entries.map((r) => r['序号'])).toEqual([1, 2, 3, 4, 5]);
    expect(rows.some((r) => r['学习形式'] === '心得体会')).toBe(false);

    // Members stay together, each followed by their totals line.
    const totals = rows.filter((r) => r['学习形式'] === '合计');
    expect(totals).toHaveLength(4);
    let current: unknown = null;
    for (const r of rows) {
      if (r['学习形式'] === '合计') {
        expect(r['姓名']).toBe(current);
        current = null;
      } else {
        if (current !== null) expect(r['姓名']).toBe(current);
        current = r['姓名'];
      }
    }

    const memberName = A.member.displayName as string;
    const game = entries.find((r) => r['学习形式'] === '知识竞赛')!;
    expect(game).toMatchObject({ 姓名: memberName, 所在支部: '一支部', 学习内容: '党史竞答', 学时: 0.5, '成绩/结果': '得分 1200，第 2 名，答对 3/4' });
    const lecture = entries.find((r) => r['学习形式'] === '党课' && r['姓名'] === memberName)!;
    expect(lecture['成绩/结果']).toBe('出席，90 分钟');
    expect(lecture['学时']).toBe(1.5);
    expect((lecture['日期'] as Date).toISOString().slice(0, 10)).toBe('2025-04-01');
    const leave = entries.find((r) => r['姓名'] === A.secretary.displayName)!;
    expect(leave).toMatchObject({ 学习形式: '党课', 学时: 0, '成绩/结果': '请假', 备注: '出差' });
    expect(entries.find((r) => r['学习形式'] === '自学')).toMatchObject({ 姓名: '王调动', '成绩/结果': '答对 4/5', 学时: 0 });

    // A name or title that looks like a formula is text, never a formula.
    const exam = entries.find((r) => r['学习形式'] === '考试')!;
    expect(exam['姓名']).toBe(`'${EVIL_NAME}`);
    expect(exam['学习内容']).toBe(`'${EVIL_TITLE}`);
    expect(exam['成绩/结果']).toBe('85 分，答对 17/20');
    ws.eachRow((row) => row.eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula)));

    const total = (n: string) => totals.find((r) => r['姓名'] === n)!;
    expect(total(memberName)['学时']).toBe(2);
    expect(total(memberName)['学习内容']).toBe('共 2 项');
    expect(total(`'${EVIL_NAME}`)['学时']).toBe(1);

    const summary = table(wb.getWorksheet('汇总')!, '支部');
    expect(summary).toEqual([
      { 支部: '一支部', 有记录的党员: 4, 记录条数: 5, 学时合计: 3, 人均学时: 0.75 },
      { 支部: '全部', 有记录的党员: 4, 记录条数: 5, 学时合计: 3, 人均学时: 0.75 },
    ]);
  });

  it('issue 12: ledger export scope permissions (a member cannot export another member: 403), unknown ids 404, bad spans 400', async () => {
    const cases: [ApiClient, string, number][] = [
      [A.memberClient, `scope=member&id=${A.member.id}`, 200],
      [A.memberClient, 'scope=member', 200],
      [A.memberClient, `scope=member&id=${evil.id}`, 403],
      [A.memberClient, `scope=branch&id=${A.branch.id}`, 403],
      [A.memberClient, 'scope=org', 403],
      [A.secretaryClient, `scope=member&id=${evil.id}`, 200],
      [A.secretaryClient, `scope=member&id=${B.member.id}`, 403],
      [A.secretaryClient, `scope=branch&id=${B.branch.id}`, 403],
      [A.secretaryClient, 'scope=org', 403],
      [admin, `scope=member&id=nobody123`, 404],
      [admin, `scope=branch&id=nobranch1`, 404],
      [admin, 'scope=org', 200],
    ];
    for (const [client, query, status] of cases) {
      const res = await client.get(`/api/ledger/export.xlsx?${query}&${YEAR}`);
      expect({ query, status: res.status }).toEqual({ query, status });
      if (status !== 200) expect(res.body.error.code).toBe(status === 403 ? 'FORBIDDEN' : 'NOT_FOUND');
    }
    for (const query of ['scope=org&from=2025-12-31&to=2025-01-01', 'scope=org&from=2020-01-01&to=2023-01-01', 'scope=org&from=2025-02-30&to=2025-03-01', 'scope=everyone&' + YEAR, 'scope=org&from=2025-1-1&to=2025-12-31']) {
      const res = await admin.get(`/api/ledger/export.xlsx?${query}`);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({ query, status: 400, code: 'INVALID_INPUT' });
    }
    // Exactly three years is allowed.
    expect((await admin.get('/api/ledger/export.xlsx?scope=org&from=2023-01-01&to=2025-12-31')).status).toBe(200);
  });

  it('issue 12: a member who moved shows in each branch their entries were written under (member and org scope)', async () => {
    const own = await download(admin, `/api/ledger/export.xlsx?scope=member&id=${mover.id}&${YEAR}`);
    expect(decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec(own.headers.get('content-disposition')!)![1]!)).toBe('学习台账_王调动_2025-01-01_2025-12-31.xlsx');
    const wb = await workbook(own.body);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['一支部', '二支部', '汇总']);
    expect(table(wb.getWorksheet('二支部')!, '序号').map((r) => [r['姓名'], r['所在支部'], r['成绩/结果']])).toEqual([
      ['王调动', '二支部', '答对 5/5'],
      ['王调动', '二支部', null],
    ]);

    const org = await workbook((await download(admin, `/api/ledger/export.xlsx?scope=org&${YEAR}`)).body);
    expect(org.worksheets.map((w) => w.name)).toEqual(['一支部', '二支部', '汇总']);
    const second = table(org.getWorksheet('二支部')!, '序号').filter((r) => r['学习形式'] !== '合计');
    expect(second.map((r) => r['姓名']).sort()).toEqual([B.member.displayName, '王调动'].sort());
    expect(second.find((r) => r['学习形式'] === '心得体会')).toMatchObject({ 学习内容: 'R&D <学习心得>', '成绩/结果': '已提交', 学时: 0 });
    expect(table(org.getWorksheet('汇总')!, '支部').at(-1)).toEqual({ 支部: '全部', 有记录的党员: 6, 记录条数: 7, 学时合计: 3, 人均学时: 0.5 });
    // The span is days in the org's zone: from 1 April leaves out March and keeps the 01:00 lecture.
    const april = table((await workbook((await download(admin, `/api/ledger/export.xlsx?scope=branch&id=${A.branch.id}&from=2025-04-01&to=2025-04-30`)).body)).getWorksheet('一支部')!, '序号');
    expect(april.filter((r) => r['学习形式'] !== '合计').map((r) => r['学习内容'])).toEqual(['专题党课', '专题党课']);
  });
});

describe('issue 12: year-end evaluation', () => {
  it('issue 12: the evaluation figures for a seeded year (participation, meetings held vs due, 学时 per member, accuracy, members by name without ranks)', async () => {
    const res = await A.secretaryClient.get(`/api/ledger/evaluation?year=2025&branchId=${A.branch.id}`);
    expect(res.status).toBe(200);
    const report = res.body as EvaluationReport;
    expect(report.period).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(report.branches).toHaveLength(1);
    const a = report.branches[0]!;
    // Secretary, member and the evil-named member all year; the mover from 1 January to 1 July (181 of 365 days).
    const moverShare = 181 / 365;
    expect(a.onRoll).toBeCloseTo(3 + moverShare, 3);
    // The secretary was on leave (not taking part); the member, the exam taker and the mover (daily set) took part.
    expect(a.tookPart).toBeCloseTo(2 + moverShare, 3);
    expect(a.rate).toBeCloseTo((2 + moverShare) / (3 + moverShare), 3);
    // One 党课 held; due: 党员大会 and 党课 4 each, 支委会, 党小组会 and 主题党日 12 each.
    expect(a.meetings).toEqual({ held: 1, due: 44 });
    expect(a.hoursPerMember).toBeCloseTo(3 / (3 + moverShare), 2);
    expect(a.targetPerMember).toBe(32);
    // Live game 3/4 and exam 17/20 (self review does not count towards accuracy).
    expect(a.accuracy).toBeCloseTo(20 / 24, 3);

    const members = report.members!;
    expect(members.map((m) => m.name)).toEqual([...members.map((m) => m.name)].sort((x, y) => x.localeCompare(y, 'zh-CN')));
    expect(members).toHaveLength(4);
    for (const m of members) expect(Object.keys(m)).not.toContain('rank');
    const line = (id: string) => members.find((m) => m.memberId === id)!;
    expect(line(A.member.id)).toMatchObject({ hours: 2, activities: 2, accuracy: 0.75, missedMeetings: 0, share: 1 });
    expect(line(A.secretary.id)).toMatchObject({ hours: 0, activities: 0, missedMeetings: 1 });
    expect(line(evil.id)).toMatchObject({ name: EVIL_NAME, hours: 1, accuracy: 0.85 });
    expect(line(mover.id).share).toBeCloseTo(moverShare, 3);

    const all = (await admin.get('/api/ledger/evaluation?year=2025')).body as EvaluationReport;
    expect(all.branches.map((b) => b.name).sort()).toEqual(['一支部', '二支部']);
    expect(all.members).toBeUndefined();
  });

  it('issue 12: evaluation permissions and input (member 403, other branch 403, bad year 400) and the workbook', async () => {
    expect((await A.memberClient.get('/api/ledger/evaluation?year=2025')).status).toBe(403);
    expect((await A.secretaryClient.get(`/api/ledger/evaluation?year=2025&branchId=${B.branch.id}`)).status).toBe(403);
    expect((await admin.get('/api/ledger/evaluation?year=2025&branchId=nobranch1')).status).toBe(404);
    for (const year of ['25', '20x5', '1999', '']) {
      const res = await admin.get(`/api/ledger/evaluation?year=${year}`);
      expect({ year, status: res.status, code: res.body.error?.code }).toEqual({ year, status: 400, code: 'INVALID_INPUT' });
    }
    expect((await A.memberClient.get('/api/ledger/evaluation.xlsx?year=2025')).status).toBe(403);

    const res = await download(admin, '/api/ledger/evaluation.xlsx?year=2025');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('年度考评_全部_2025.xlsx')}`);
    const wb = await workbook(res.body);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['年度汇总', '一支部', '二支部']);
    const summary = table(wb.getWorksheet('年度汇总')!, '支部');
    const a = summary.find((r) => r['支部'] === '一支部')!;
    expect(a['已开会议']).toBe(1);
    expect(a['应开会议']).toBe(44);
    expect(a['正确率'] as number).toBeCloseTo(20 / 24, 3);
    const lines = table(wb.getWorksheet('一支部')!, '姓名');
    expect(lines.map((r) => r['姓名'])).toContain(`'${EVIL_NAME}`);
    expect(Object.keys(lines[0]!)).toEqual(['姓名', '在册比例', '学时', '学习活动', '正确率', '缺会次数']);
    expect(lines.find((r) => r['姓名'] === A.member.displayName)).toMatchObject({ 学时: 2, 学习活动: 2, 正确率: 0.75, 缺会次数: 0 });
  });
});
