import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuestionOpenPayload } from '../../shared/events';
import { keys } from '../../server/store/keys';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';
import { ok, openSocket, seedQuiz } from '../helpers/live';
import { waitFor, type LiveClient } from '../helpers/sockets';

let t: TestApp;
let admin: ApiClient;
beforeAll(async () => {
  t = await startTestApp();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
});
afterAll(() => t.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TITLE = '导出竞答';
const EVIL = '=HYPERLINK("x.cn")';
/** The right answers of seedQuiz's four questions, by option text so shuffled options do not matter. */
const RIGHT_TEXT = ['全国代表大会和它所产生的中央委员会', ['政治纪律', '组织纪律', '廉洁纪律'], '正确'] as const;

async function addMember(branchId: string, name: string) {
  const username = `m_${Math.random().toString(36).slice(2, 8)}`;
  const res = await admin.post('/api/users', { username, displayName: name, password: 'password-1', role: 'member', branchId });
  expect(res.status).toBe(201);
  const client = new ApiClient(t.url);
  return { user: res.body.user as { id: string; displayName: string; username: string }, client, username };
}

/** What a player gives for question `q` (right or wrong), read off the options as the game shows them. */
function answerFor(open: QuestionOpenPayload, right: boolean): number | number[] | string {
  const { options, type } = open.question;
  const at = (text: string) => options.indexOf(text);
  if (type === 'blank') return right ? '人民' : '群众';
  if (type === 'multiple') {
    const want = (RIGHT_TEXT[1] as readonly string[]).map(at);
    return right ? want : want.slice(0, 2);
  }
  const want = at(RIGHT_TEXT[open.index as 0 | 2] as string);
  return right ? want : (want + 1) % options.length;
}

const letters = (given: number | number[]) => (Array.isArray(given) ? [...given].sort() : [given]).map((i) => 'ABCDEFGH'[i]).join('');

function rowsOf(ws: ExcelJS.Worksheet): ExcelJS.Row[] {
  const rows: ExcelJS.Row[] = [];
  ws.eachRow((row) => rows.push(row));
  return rows;
}

/** The table under the header row whose first cell is `first`: header name -> cell, per row. */
function table(ws: ExcelJS.Worksheet, first: string): Map<string, ExcelJS.Cell>[] {
  const rows = rowsOf(ws);
  const at = rows.findIndex((r) => r.getCell(1).value === first);
  expect(at).toBeGreaterThanOrEqual(0);
  const header = rows[at]!;
  const names: string[] = [];
  header.eachCell((c, col) => (names[col] = String(c.value)));
  return rows.slice(at + 1).map((r) => new Map(names.map((n, col) => [n, r.getCell(col)] as const).filter(([n]) => n !== undefined)));
}

describe('issue 9 item 8: the game report export', () => {
  it('issue 9 item 8: numbers as numbers, a header block, guests marked, every answer, absent branch members, cells neutralised, an RFC 5987 file name', async () => {
    const { quizId } = await seedQuiz(admin, TITLE, 30);
    const { branch, secretary, secretaryClient, member, memberClient } = await seedBranch(t.url, admin, '导出支部');
    const second = await addMember(branch.id, '第二党员');
    await second.client.login(second.username, 'password-1');
    const absent = await addMember(branch.id, '未到党员');
    const disabled = await addMember(branch.id, '停用党员');
    expect((await admin.patch(`/api/users/${disabled.user.id}`, { disabled: true })).status).toBe(200);

    const host = await openSocket(t.url, secretaryClient);
    const { gameId, pin } = await ok<{ gameId: string; pin: string }>(host, 'game:create', { quizId, allowGuests: true });
    const players: { name: string; socket: LiveClient; playerId: string; opens: QuestionOpenPayload[] }[] = [];
    for (const [name, client] of [
      [member.displayName as string, memberClient],
      ['第二党员', second.client],
      [EVIL, undefined],
    ] as const) {
      const socket = await openSocket(t.url, client);
      const entry = { name, socket, playerId: '', opens: [] as QuestionOpenPayload[] };
      socket.on('question:open', (p) => entry.opens.push(p));
      entry.playerId = (await ok<{ playerId: string }>(socket, 'game:join', client ? { pin } : { pin, nickname: EVIL })).playerId;
      players.push(entry);
    }

    // Who answers what: [member, second, guest] per question; null = no answer (the host then closes the question).
    const plan: (boolean | null)[][] = [
      [true, false, true],
      [true, null, false],
      [false, true, true],
      [true, true, null],
    ];
    const given = new Map<string, number | number[] | string>();
    for (let q = 0; q < plan.length; q++) {
      const opened = Promise.all(players.map((p) => waitFor(p.socket, 'question:open')));
      await ok(host, q === 0 ? 'game:start' : 'game:next', { gameId });
      const opens = await opened;
      const closed = waitFor(host, 'question:close', 8000);
      await sleep(300); // so every answer takes a measurable time
      await Promise.all(
        players.map(async (p, i) => {
          const right = plan[q]![i] ?? null;
          if (right === null) return;
          const answer = answerFor(opens[i]!, right);
          given.set(`${p.playerId}|${q}`, answer);
          await ok(p.socket, 'answer:submit', { gameId, index: q, answer });
        }),
      );
      if (plan[q]!.includes(null)) await ok(host, 'game:next', { gameId });
      await closed;
    }
    const finished = waitFor(host, 'game:finished');
    await ok(host, 'game:next', { gameId });
    await finished;

    const report = (await secretaryClient.get(`/api/games/${gameId}`)).body.game;
    expect(report).not.toHaveProperty('detail');
    // The export reads what finalise kept, not the live keys (points expire some days after a game).
    for (let q = 0; q < plan.length; q++) await t.redis.del([keys.gameAnswers(gameId, q), keys.gamePoints(gameId, q)]);
    const res = await secretaryClient.get(`/api/games/${gameId}/export.xlsx`);
    expect(res.status).toBe(200);

    // The file name: Chinese, per RFC 5987, with an ASCII fallback; the header itself is pure ASCII.
    const disposition = res.headers.get('content-disposition')!;
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(report.createdAt));
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+\.xlsx"; filename\*=UTF-8''/);
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(`${TITLE}-竞答成绩-${day}.xlsx`)}`);
    expect(disposition).toMatch(/^[\x20-\x7e]+$/);

    const body = Buffer.from(await (await fetch(`${t.url}/api/games/${gameId}/export.xlsx`, { headers: { cookie: secretaryClient.cookie } })).arrayBuffer());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['成绩', '答题明细', '题目统计', '未参加成员']);

    // Header block: title, date (a real date), host, branch.
    const results = wb.getWorksheet('成绩')!;
    const head = new Map(rowsOf(results).slice(0, 6).map((r) => [String(r.getCell(1).value), r.getCell(2)]));
    expect(head.get('试卷')!.value).toBe(TITLE);
    expect(head.get('日期')!.value).toBeInstanceOf(Date);
    expect(head.get('日期')!.numFmt).toMatch(/yyyy/);
    expect(head.get('主持人')!.value).toBe(secretary.displayName);
    expect(head.get('支部')!.value).toBe('导出支部');

    // Players: rank, score and accuracy are numbers; accuracy formatted as %; the guest marked and neutralised.
    const ranked = table(results, '排名');
    expect(ranked).toHaveLength(3);
    for (const p of report.players as { nickname: string; rank: number; score: number; correct: number; userId: string | null }[]) {
      const row = ranked.find((r) => String(r.get('昵称')!.value).endsWith(p.nickname))!;
      expect(row.get('排名')!.value).toBe(p.rank);
      expect(row.get('得分')!.value).toBe(p.score);
      expect(row.get('答对题数')!.value).toBe(p.correct);
      expect(row.get('正确率')!.value).toBeCloseTo(p.correct / 4, 10);
      expect(row.get('正确率')!.numFmt).toContain('%');
      expect(row.get('身份')!.value).toBe(p.userId === null ? '访客' : '成员');
    }
    const guestRow = ranked.find((r) => r.get('身份')!.value === '访客')!;
    expect(guestRow.get('昵称')!.value).toBe(`'${EVIL}`);
    expect(guestRow.get('昵称')!.type).toBe(ExcelJS.ValueType.String);

    // Answers: every player x question, with what was chosen, right/wrong, points and time.
    const answers = table(wb.getWorksheet('答题明细')!, '昵称');
    expect(answers).toHaveLength(3 * 4);
    const pointsOf = new Map<string, number>();
    for (const [i, p] of players.entries()) {
      for (let q = 0; q < 4; q++) {
        const row = answers.find((r) => String(r.get('昵称')!.value).endsWith(p.name) && r.get('题号')!.value === q + 1)!;
        expect(row).toBeDefined();
        const right = plan[q]![i];
        const answer = given.get(`${p.playerId}|${q}`);
        if (right === null) {
          expect(row.get('结果')!.value).toBe('未作答');
          expect(row.get('得分')!.value).toBe(0);
          continue;
        }
        const shown = String(row.get('作答')!.value);
        const options = p.opens[q]!.question.options;
        if (q === 3) expect(shown).toBe(answer);
        else if (q === 2) expect(shown).toBe(options[answer as number]);
        else expect(shown).toBe(`${letters(answer as number | number[])}. ${(Array.isArray(answer) ? [...answer].sort() : [answer as number]).map((k) => options[k]).join('；')}`);
        expect(row.get('结果')!.value).toBe(right ? '答对' : '答错');
        const points = row.get('得分')!.value;
        expect(typeof points).toBe('number');
        expect((points as number) > 0).toBe(right);
        pointsOf.set(p.playerId, (pointsOf.get(p.playerId) ?? 0) + (points as number));
      }
    }
    // The points add up to each player's score.
    for (const p of report.players as { playerId: string; score: number }[]) expect(pointsOf.get(p.playerId) ?? 0).toBe(p.score);

    // Per-question figures: the answered and right counts, the rate a number formatted as %.
    const questions = table(wb.getWorksheet('题目统计')!, '题号');
    expect(questions.map((r) => r.get('作答人数')!.value)).toEqual([3, 2, 3, 2]);
    expect(questions.map((r) => r.get('答对人数')!.value)).toEqual([2, 1, 2, 2]);
    expect(questions[0]!.get('正确率')!.value).toBeCloseTo(2 / 3, 10);
    expect(questions[0]!.get('正确率')!.numFmt).toContain('%');

    // The branch's members who took no part: the one who stayed away; not the players, the host or a disabled account.
    const absentSheet = wb.getWorksheet('未参加成员')!;
    const absentees = table(absentSheet, '姓名').map((r) => r.get('姓名')!.value);
    expect(absentees).toEqual([absent.user.displayName]);
    const rollHead = new Map(rowsOf(absentSheet).slice(0, 4).map((r) => [String(r.getCell(1).value), r.getCell(2).value]));
    expect(rollHead.get('在册人数')).toBe(4); // secretary, member, second, absent
    expect(rollHead.get('参加人数')).toBe(3);
    expect(rollHead.get('参学率')).toBeCloseTo(0.75, 10);

    // No cell anywhere starts like a formula, and none is a formula.
    for (const ws of wb.worksheets) {
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          if (typeof cell.value === 'string') expect(cell.value).not.toMatch(/^[=+\-@\t\r]/);
        }),
      );
    }

    host.close();
    for (const p of players) p.socket.close();
  }, 60_000);

  it('issue 9 item 8: each answer carries the time it took, in seconds', async () => {
    const { quizId } = await seedQuiz(admin, '用时竞答', 30);
    const host = await openSocket(t.url, admin);
    const { gameId, pin } = await ok<{ gameId: string; pin: string }>(host, 'game:create', { quizId, allowGuests: true });
    const socket = await openSocket(t.url);
    await ok(socket, 'game:join', { pin, nickname: '计时' });
    const opened = waitFor(socket, 'question:open');
    await ok(host, 'game:start', { gameId });
    const open = await opened;
    await sleep(600);
    const closed = waitFor(host, 'question:close');
    await ok(socket, 'answer:submit', { gameId, index: 0, answer: answerFor(open, true) });
    await closed;
    await ok(host, 'game:end', { gameId });

    const body = Buffer.from(await (await fetch(`${t.url}/api/games/${gameId}/export.xlsx`, { headers: { cookie: admin.cookie } })).arrayBuffer());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
    const [row] = table(wb.getWorksheet('答题明细')!, '昵称');
    const seconds = row!.get('用时（秒）')!;
    expect(typeof seconds.value).toBe('number');
    expect(seconds.value as number).toBeGreaterThanOrEqual(0.55);
    expect(seconds.value as number).toBeLessThan(5);
    expect(seconds.numFmt).toBe('0.0');
    // An organisation-wide game has no branch roll.
    expect(wb.worksheets.map((w) => w.name)).not.toContain('未参加成员');

    host.close();
    socket.close();
  }, 30_000);
});
