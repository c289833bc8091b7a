import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../server/store/keys';
import { ApiClient, seedBranch } from '../helpers/api';
import { ok, openSocket, seedQuiz } from '../helpers/live';
import { waitFor, type LiveClient } from '../helpers/sockets';
import { studyOk, studySocket, type StudyClient } from '../helpers/study';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';

/**
 * Issue 12, study tasks (学习任务): completion is detected from the study record as members really take part —
 * a live game over real sockets, a study session ended over real sockets, daily sets answered over HTTP.
 */
const DAY = 86_400_000;
// 10:00 in Shanghai on 1 December: the daily-set test moves the clock one day on, still inside December.
const BASE = Date.parse('2026-12-01T02:00:00Z');
let offset = BASE - Date.now();
const clock = { now: () => Date.now() + offset };
/** The last instant of December in Shanghai. */
const END_OF_DECEMBER = Date.parse('2026-12-31T15:59:59Z');

let t: TestApp;
let admin: ApiClient;
let one: Awaited<ReturnType<typeof seedBranch>>;
let two: Awaited<ReturnType<typeof seedBranch>>;
let materialId: string;
const sockets: (LiveClient | StudyClient)[] = [];

async function waitUntil<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 4000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function newMember(name: string, branchId: string) {
  const username = `tk_${Math.random().toString(36).slice(2, 8)}`;
  const user = (await admin.post('/api/users', { username, displayName: name, password: 'password-1', role: 'member', branchId })).body.user;
  const client = new ApiClient(t.url);
  await client.login(username, 'password-1');
  return { user, client };
}

const createTask = (c: ApiClient, body: Record<string, unknown>) => c.post('/api/tasks', { title: '学习任务', due: END_OF_DECEMBER, ...body });
const myTaskIds = async (c: ApiClient) => (await c.get('/api/me/tasks')).body.items.map((i: { id: string }) => i.id) as string[];
const taskEntries = async (memberId: string, taskId: string) => (await t.app.services.ledger.record.ofMember(memberId)).filter((e) => e.kind === 'task' && e.refId === taskId);

/** Hosts a game of the quiz with these members logged in, each answering every question, to the podium. */
async function playGame(quizId: string, questionCount: number, players: ApiClient[]): Promise<string> {
  const host = await openSocket(t.url, admin);
  sockets.push(host);
  const { gameId, pin } = await ok<{ gameId: string; pin: string }>(host, 'game:create', { quizId, allowGuests: false });
  const joined: LiveClient[] = [];
  for (const p of players) {
    const s = await openSocket(t.url, p);
    sockets.push(s);
    await ok(s, 'game:join', { pin });
    joined.push(s);
  }
  const answers = [0, [0, 1, 2], 0, '人民'];
  for (let q = 0; q < questionCount; q++) {
    const opened = Promise.all(joined.map((s) => waitFor(s, 'question:open')));
    await ok(host, q === 0 ? 'game:start' : 'game:next', { gameId });
    await opened;
    const closed = waitFor(host, 'question:close', 8000);
    await Promise.all(joined.map((s) => ok(s, 'answer:submit', { gameId, index: q, answer: answers[q] })));
    await closed;
  }
  const finished = waitFor(host, 'game:finished');
  await ok(host, 'game:next', { gameId });
  await finished;
  return gameId;
}

/** Answers every item of today's daily set (right or wrong does not matter: a set answered through is done). */
async function doDailySet(c: ApiClient): Promise<string> {
  const set = (await c.get('/api/review/daily')).body;
  expect(set.items.length).toBeGreaterThan(0);
  for (const item of set.items as { questionId: string; question: { type: string } }[]) {
    const answer = item.question.type === 'blank' ? '人民' : item.question.type === 'multiple' ? [0] : 0;
    const res = await c.post('/api/review/answers', { attemptId: randomUUID(), mode: 'daily', questionId: item.questionId, answer });
    expect(res.status).toBe(200);
  }
  return set.date as string;
}

beforeAll(async () => {
  t = await startTestApp({ clock });
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  one = await seedBranch(t.url, admin, '任务一支部');
  two = await seedBranch(t.url, admin, '任务二支部');
  materialId = (await admin.post('/api/materials', { title: '党章学习材料', kind: 'markdown', body: '第一页\n---\n第二页' })).body.material.id;
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});
afterAll(() => t.close());

describe('issue 12: giving study tasks', () => {
  it('issue 12: bad task input is 400 INVALID_INPUT, outside one\'s branch 403, an unknown exam or material 404; none writes anything', async () => {
    const before = await t.redis.zCard(keys.tasksByDue());
    const bad: [ApiClient, Record<string, unknown>, number, string][] = [
      [admin, { kind: 'nap', target: {}, branchIds: [one.branch.id] }, 400, 'INVALID_INPUT'],
      [admin, { kind: 'exam', target: {}, branchIds: [one.branch.id] }, 400, 'INVALID_INPUT'],
      [admin, { kind: 'daily_days', target: { days: 40 }, branchIds: [one.branch.id] }, 400, 'INVALID_INPUT'],
      [admin, { kind: 'reflection', branchIds: [one.branch.id], memberIds: [one.member.id] }, 400, 'INVALID_INPUT'],
      [admin, { kind: 'reflection' }, 400, 'INVALID_INPUT'],
      [admin, { kind: 'reflection', branchIds: [one.branch.id], due: clock.now() - DAY }, 400, 'INVALID_INPUT'],
      [admin, { kind: 'reflection', branchIds: [one.branch.id], title: '' }, 400, 'INVALID_INPUT'],
      [admin, { kind: 'reflection', branchIds: [one.branch.id, one.branch.id] }, 400, 'INVALID_INPUT'],
      [one.secretaryClient, { kind: 'reflection', memberIds: [two.member.id] }, 403, 'FORBIDDEN'],
      [one.secretaryClient, { kind: 'reflection', branchIds: [two.branch.id] }, 403, 'FORBIDDEN'],
      [one.memberClient, { kind: 'reflection', memberIds: [one.member.id] }, 403, 'FORBIDDEN'],
      [admin, { kind: 'exam', target: { examId: 'noSuchExam' }, branchIds: [one.branch.id] }, 404, 'NOT_FOUND'],
      [admin, { kind: 'material', target: { materialId: 'noSuchMaterial' }, branchIds: [one.branch.id] }, 404, 'NOT_FOUND'],
      [admin, { kind: 'live_game', target: { quizId: 'noSuchQuiz' }, branchIds: [one.branch.id] }, 404, 'NOT_FOUND'],
      [admin, { kind: 'reflection', branchIds: ['noSuchBranch'] }, 404, 'NOT_FOUND'],
    ];
    for (const [client, body, status, code] of bad) {
      const res = await createTask(client, body);
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({ body, status, code });
    }
    expect(await t.redis.zCard(keys.tasksByDue())).toBe(before);
  });

  it('issue 12: task completion detected from a live game (only the quiz named), once, with one task entry in the record', async () => {
    const { user, client } = await newMember('竞赛党员', one.branch.id);
    const { quizId } = await seedQuiz(admin, '任务竞答', 20);
    const other = await seedQuiz(admin, '别的竞答', 20);
    const named = (await createTask(admin, { title: '参加任务竞答', kind: 'live_game', target: { quizId }, branchIds: [one.branch.id] })).body.task;
    const otherTask = (await createTask(admin, { title: '参加别的竞答', kind: 'live_game', target: { quizId: other.quizId }, branchIds: [one.branch.id] })).body.task;
    expect(await myTaskIds(client)).toEqual(expect.arrayContaining([named.id, otherTask.id]));

    await playGame(quizId, 4, [client]);
    const detail = await waitUntil(
      async () => (await admin.get(`/api/tasks/${named.id}`)).body,
      (b) => b.members.find((m: { memberId: string }) => m.memberId === user.id)?.doneAt !== null,
    );
    const row = detail.members.find((m: { memberId: string }) => m.memberId === user.id);
    expect(row).toMatchObject({ name: '竞赛党员', branchId: one.branch.id, overdue: false });
    expect(row.doneAt).toBeGreaterThanOrEqual(named.from);
    expect(await myTaskIds(client)).not.toContain(named.id);
    expect(await myTaskIds(client)).toContain(otherTask.id);
    // The others on the branch's roll (secretary, member) have not played.
    expect(detail.byBranch).toEqual([{ branchId: one.branch.id, name: '任务一支部', done: 1, total: 3, overdue: false }]);
    const entries = await taskEntries(user.id, named.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: 'task', title: '参加任务竞答', branchId: one.branch.id });
    // A replay of the game's record (a retry) neither marks again nor writes a second entry.
    const gameEntry = (await t.app.services.ledger.record.ofMember(user.id)).find((e) => e.kind === 'live_game')!;
    await t.app.services.ledger.tasks.onRecorded([gameEntry]);
    expect(await taskEntries(user.id, named.id)).toHaveLength(1);
    expect(Number(await t.redis.hGet(keys.taskDone(named.id), user.id))).toBe(row.doneAt);
  });

  it('issue 12: task completion detected from a study session (attended only) and its material; the secretary gives it to members', async () => {
    const a = await newMember('出席党员', one.branch.id);
    const b = await newMember('缺席党员', one.branch.id);
    const lecture = await createTask(one.secretaryClient, { title: '参加党课', kind: 'session', target: { sessionKind: 'party_lecture' }, memberIds: [a.user.id, b.user.id] });
    expect(lecture.status).toBe(201);
    const material = (await createTask(admin, { title: '学习党章材料', kind: 'material', target: { materialId }, memberIds: [a.user.id] })).body.task;
    const sessionId = (await one.secretaryClient.post('/api/study-sessions', { title: '十二月党课', kind: 'party_lecture', branchId: one.branch.id, materialId, plannedAt: clock.now() })).body.session.id;
    const host = await studySocket(t.url, one.secretaryClient.cookie);
    const member = await studySocket(t.url, a.client.cookie);
    sockets.push(host, member);
    await studyOk(host, 'study:join', { sessionId });
    await studyOk(member, 'study:join', { sessionId });
    await studyOk(host, 'study:start', { sessionId });
    await studyOk(host, 'study:end', { sessionId });

    const detail = await waitUntil(
      async () => (await one.secretaryClient.get(`/api/tasks/${lecture.body.task.id}`)).body,
      (v) => v.members.some((m: { doneAt: number | null }) => m.doneAt !== null),
    );
    const doneOf = (list: { memberId: string; doneAt: number | null }[]) => Object.fromEntries(list.map((m) => [m.memberId, m.doneAt !== null]));
    expect(doneOf(detail.members)).toEqual({ [a.user.id]: true, [b.user.id]: false });
    expect(await myTaskIds(b.client)).toContain(lecture.body.task.id);
    expect((await admin.get(`/api/tasks/${material.id}`)).body.members[0].doneAt).not.toBeNull();
    expect(await taskEntries(b.user.id, lecture.body.task.id)).toEqual([]);
  });

  it('issue 12: task completion detected from daily sets: N days of the month, earlier days of the month count', async () => {
    const { user, client } = await newMember('每日党员', two.branch.id);
    // Questions for the daily set to draw from.
    await seedQuiz(admin, '每日题目', 20);
    const firstDay = await doDailySet(client);
    expect(firstDay).toBe('2026-12-01');
    const task = (await createTask(admin, { title: '本月每日一练两天', kind: 'daily_days', target: { days: 2 }, branchIds: [two.branch.id] })).body.task;
    const mine = (await client.get('/api/me/tasks')).body.items.find((i: { id: string }) => i.id === task.id);
    expect(mine).toMatchObject({ kind: 'daily_days', progress: { done: 1, of: 2 }, overdue: false, due: END_OF_DECEMBER });

    offset += DAY;
    expect(await doDailySet(client)).toBe('2026-12-02');
    expect(await myTaskIds(client)).not.toContain(task.id);
    const row = (await admin.get(`/api/tasks/${task.id}`)).body.members.find((m: { memberId: string }) => m.memberId === user.id);
    expect(row.doneAt).toBe((await t.app.services.ledger.record.ofMember(user.id)).find((e) => e.kind === 'daily_set' && e.refId === '2026-12-02')!.at);
    expect(await taskEntries(user.id, task.id)).toHaveLength(1);
  });
});

describe('issue 12: following tasks up', () => {
  it('issue 12: the list, detail and 责任清单: admin sees all, a secretary only their branch; overdue marked', async () => {
    const task = (await createTask(admin, { title: '提交心得体会', kind: 'reflection', branchIds: [one.branch.id, two.branch.id], due: clock.now() + 2 * DAY })).body.task;
    const summary = (list: { id: string }[]) => list.find((i) => i.id === task.id) as { done: number; total: number; overdue: boolean } | undefined;
    const adminList = (await admin.get('/api/tasks?year=2026')).body.items;
    expect(summary(adminList)).toMatchObject({ title: '提交心得体会', kind: 'reflection', branchIds: [one.branch.id, two.branch.id], done: 0, overdue: false });
    const secretaryDetail = (await two.secretaryClient.get(`/api/tasks/${task.id}`)).body;
    expect(secretaryDetail.byBranch.map((b: { branchId: string }) => b.branchId)).toEqual([two.branch.id]);
    expect(secretaryDetail.members.every((m: { branchId: string }) => m.branchId === two.branch.id)).toBe(true);
    expect((await one.memberClient.get(`/api/tasks/${task.id}`)).status).toBe(403);
    expect((await one.memberClient.get('/api/tasks')).status).toBe(403);
    expect((await admin.get('/api/tasks?year=1999')).status).toBe(400);
    expect(summary((await admin.get('/api/tasks?year=2025')).body.items)).toBeUndefined();

    // A secretary's task to their members does not show on the other branch's list.
    const own = (await createTask(one.secretaryClient, { title: '一支部内部任务', kind: 'reflection', memberIds: [one.member.id] })).body.task;
    expect((await two.secretaryClient.get('/api/tasks')).body.items.map((i: { id: string }) => i.id)).not.toContain(own.id);
    expect((await two.secretaryClient.get(`/api/tasks/${own.id}`)).status).toBe(403);

    offset += 3 * DAY;
    try {
      expect(summary((await admin.get('/api/tasks')).body.items)).toMatchObject({ overdue: true });
      const checklist = (await admin.get('/api/tasks/checklist?year=2026')).body.items.find((i: { id: string }) => i.id === task.id);
      expect(checklist.branches.map((b: { name: string; overdue: boolean }) => [b.name, b.overdue])).toEqual([
        ['任务一支部', true],
        ['任务二支部', true],
      ]);
      const mine = (await one.memberClient.get('/api/me/tasks')).body.items.find((i: { id: string }) => i.id === task.id);
      expect(mine).toMatchObject({ overdue: true, progress: { done: 0, of: 1 } });
      const secretaryChecklist = (await two.secretaryClient.get('/api/tasks/checklist')).body.items.find((i: { id: string }) => i.id === task.id);
      expect(secretaryChecklist.branches.map((b: { branchId: string }) => b.branchId)).toEqual([two.branch.id]);
      const week = await t.app.services.ledger.tasks.dueBetween(one.secretary, clock.now() - 7 * DAY, clock.now());
      expect(week.map((s) => s.id)).toEqual(expect.arrayContaining([task.id]));
    } finally {
      offset -= 3 * DAY;
    }
  });

  it('issue 12: the export is an .xlsx with a Chinese file name and neutralised cells', async () => {
    const task = (await createTask(admin, { title: '=HYPERLINK("x")学习', kind: 'reflection', branchIds: [one.branch.id] })).body.task;
    const res = await fetch(`${t.url}/api/tasks/${task.id}/export.xlsx`, { headers: { cookie: admin.cookie } });
    expect(res.status).toBe(200);
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('=HYPERLINK(').replace(/\(/g, '%28')}`);
    expect(decodeURIComponent(disposition.split("''")[1]!)).toBe('=HYPERLINK(_x_)学习-完成情况.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['支部完成情况', '党员完成情况']);
    const members = wb.getWorksheet('党员完成情况')!;
    expect(members.getRow(1).getCell(2).value).toBe("'=HYPERLINK(\"x\")学习");
    expect(members.getRow(5).values).toEqual([undefined, '序号', '姓名', '所在支部', '状态', '完成时间']);
    expect(members.getRow(6).getCell(1).value).toBe(1);
    expect((await one.memberClient.get(`/api/tasks/${task.id}/export.xlsx`)).status).toBe(403);
  });

  it('issue 12: a task is deleted by its creator or an admin only', async () => {
    const task = (await createTask(one.secretaryClient, { title: '待删除任务', kind: 'reflection', memberIds: [one.member.id] })).body.task;
    expect((await one.memberClient.delete(`/api/tasks/${task.id}`)).status).toBe(403);
    expect((await admin.delete(`/api/tasks/${task.id}`)).status).toBe(204);
    expect((await admin.get(`/api/tasks/${task.id}`)).status).toBe(404);
    expect(await myTaskIds(one.memberClient)).not.toContain(task.id);
    expect(await t.redis.exists([keys.task(task.id), keys.taskDone(task.id)])).toBe(0);
  });
});

describe('issue 12: task routes under arbitrary input', () => {
  it('issue 12: arbitrary bodies, ids and years never give a 500, and every error is the one envelope', async () => {
    const kinds = fc.constantFrom('exam', 'session', 'material', 'daily_days', 'reflection', 'live_game', 'nap');
    const body = fc.record(
      {
        title: fc.oneof(fc.string({ maxLength: 120 }), fc.integer()),
        kind: kinds,
        target: fc.oneof(fc.object({ maxDepth: 1 }), fc.record({ examId: fc.string(), sessionKind: fc.string(), materialId: fc.string(), days: fc.integer(), quizId: fc.string() }, { requiredKeys: [] })),
        due: fc.oneof(fc.integer(), fc.double(), fc.string()),
        branchIds: fc.array(fc.oneof(fc.constant(one.branch.id), fc.string({ maxLength: 70 })), { maxLength: 3 }),
        memberIds: fc.array(fc.oneof(fc.constant(one.member.id), fc.string({ maxLength: 70 })), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(body, fc.string({ maxLength: 30 }), fc.string({ maxLength: 8 }), async (b, id, year) => {
        for (const res of [
          await one.secretaryClient.post('/api/tasks', b),
          await admin.get(`/api/tasks/${encodeURIComponent(id)}`),
          await admin.get(`/api/tasks?year=${encodeURIComponent(year)}`),
          await admin.get(`/api/tasks/checklist?year=${encodeURIComponent(year)}`),
        ]) {
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) expect(Object.keys(res.body.error).sort()).toEqual(expect.arrayContaining(['code', 'message']));
        }
      }),
      { numRuns: 60 },
    );
  });
});
