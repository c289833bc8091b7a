import type { GameReport } from '../../shared/schemas/live';
import type { QuestionType } from '../../shared/schemas/questions';
import { ratio, answerLabel, type AnswerDetail, type ReportDetail } from '../domain/gameReportDetail';
import { NUM_FMT, safeFileName, sheet, wallClock, writeWorkbook, type Sheet } from './spreadsheet';

/** The organisation's time zone for dates in files (ARCHITECTURE: default Asia/Shanghai). */
export const REPORT_TIME_ZONE = 'Asia/Shanghai';

const TYPE_NAME: Record<QuestionType, string> = { single: '单选', multiple: '多选', judge: '判断', blank: '填空' };
const GUEST = '访客';
const MEMBER = '成员';

type Player = GameReport['players'][number];
type Question = GameReport['questions'][number];

export interface ExportInput {
  report: GameReport;
  detail: ReportDetail;
  branchNames: ReadonlyMap<string, string>;
  timeZone?: string;
}

/** The game report as a workbook: results, every answer, per-question figures, and a branch game's absentees. */
export async function gameReportWorkbook(input: ExportInput): Promise<{ filename: string; asciiName: string; body: Buffer }> {
  const { report, detail } = input;
  const tz = input.timeZone ?? REPORT_TIME_ZONE;
  const held = wallClock(report.createdAt, tz);
  const branchName = (id: string | null) => (id ? (input.branchNames.get(id) ?? '') : '');
  const asked = report.questions.length;
  const head = [
    { label: '试卷', value: report.title },
    { label: '日期', value: held, numFmt: NUM_FMT.dateTime },
    { label: '主持人', value: report.hostName },
    { label: '支部', value: report.branchId ? branchName(report.branchId) : '全部' },
    { label: '参加人数', value: report.players.length, numFmt: NUM_FMT.integer },
    { label: '题目数', value: asked, numFmt: NUM_FMT.integer },
  ];
  // No account is what makes a guest; records kept before the flag existed say the same.
  const isGuest = (p: Player) => p.userId === null;
  const sheets: Sheet[] = [
    sheet<Player>({
      name: '成绩',
      head,
      rows: report.players,
      columns: [
        { header: '排名', width: 8, numFmt: NUM_FMT.integer, value: (p) => p.rank },
        { header: '昵称', width: 20, value: (p) => p.nickname },
        { header: '身份', width: 8, value: (p) => (isGuest(p) ? GUEST : MEMBER) },
        { header: '支部', width: 16, value: (p) => branchName(p.branchId) },
        { header: '得分', width: 10, numFmt: NUM_FMT.integer, value: (p) => p.score },
        { header: '答对题数', width: 10, numFmt: NUM_FMT.integer, value: (p) => p.correct },
        { header: '正确率', width: 10, numFmt: NUM_FMT.percent, value: (p) => ratio(p.correct, asked) },
      ],
    }),
    answersSheet(report, detail.answers, isGuest),
    questionsSheet(report.questions),
  ];
  if (detail.roll) sheets.push(absentSheet(detail.roll, branchName(detail.roll.branchId)));
  const day = held.toISOString().slice(0, 10);
  return {
    filename: safeFileName(`${report.title.slice(0, 60)}-竞答成绩-${day}`, 'xlsx'),
    asciiName: `game-report-${day}`,
    body: await writeWorkbook(sheets),
  };
}

interface AnswerRow {
  player: Player;
  question: Question;
  given: AnswerDetail | undefined;
}

/** One row per player and asked question, unanswered ones included, so the sheet can be filtered either way. */
function answersSheet(report: GameReport, answers: readonly AnswerDetail[], isGuest: (p: Player) => boolean): Sheet {
  const byKey = new Map(answers.map((a) => [`${a.playerId}|${a.index}`, a]));
  const rows: AnswerRow[] = report.players.flatMap((player) =>
    report.questions.map((question) => ({ player, question, given: byKey.get(`${player.playerId}|${question.index}`) })),
  );
  return sheet<AnswerRow>({
    name: '答题明细',
    rows,
    columns: [
      { header: '昵称', width: 20, value: (r) => r.player.nickname },
      { header: '身份', width: 8, value: (r) => (isGuest(r.player) ? GUEST : MEMBER) },
      { header: '题号', width: 6, numFmt: NUM_FMT.integer, value: (r) => r.question.index + 1 },
      { header: '题型', width: 6, value: (r) => TYPE_NAME[r.question.type] },
      { header: '题干', width: 40, value: (r) => r.question.text },
      { header: '作答', width: 30, value: (r) => (r.given ? answerLabel(r.question, r.given.answer) : '') },
      { header: '结果', width: 8, value: (r) => (!r.given ? '未作答' : r.given.correct ? '答对' : '答错') },
      { header: '得分', width: 8, numFmt: NUM_FMT.integer, value: (r) => (r.given ? r.given.points : 0) },
      { header: '用时（秒）', width: 10, numFmt: NUM_FMT.seconds, value: (r) => (r.given?.timeMs == null ? null : r.given.timeMs / 1000) },
    ],
  });
}

function questionsSheet(questions: readonly Question[]): Sheet {
  return sheet<Question>({
    name: '题目统计',
    rows: questions,
    columns: [
      { header: '题号', width: 6, numFmt: NUM_FMT.integer, value: (q) => q.index + 1 },
      { header: '题型', width: 6, value: (q) => TYPE_NAME[q.type] },
      { header: '题干', width: 40, value: (q) => q.text },
      { header: '正确答案', width: 30, value: (q) => answerLabel(q, q.correctAnswer) },
      { header: '作答人数', width: 10, numFmt: NUM_FMT.integer, value: (q) => q.answered },
      { header: '答对人数', width: 10, numFmt: NUM_FMT.integer, value: (q) => q.correct },
      { header: '正确率', width: 10, numFmt: NUM_FMT.percent, value: (q) => ratio(q.correct, q.answered) },
    ],
  });
}

/** Worded as a list of who may still need to catch up (补学), not as a shame list. */
function absentSheet(roll: NonNullable<ReportDetail['roll']>, branchName: string): Sheet {
  const took = roll.members - roll.absent.length;
  return sheet<(typeof roll.absent)[number]>({
    name: '未参加成员',
    head: [
      { label: '支部', value: branchName },
      { label: '在册人数', value: roll.members, numFmt: NUM_FMT.integer },
      { label: '参加人数', value: took, numFmt: NUM_FMT.integer },
      { label: '参学率', value: ratio(took, roll.members), numFmt: NUM_FMT.percent },
      { label: '说明', value: '在册且未被停用的支部成员中，未参加本场竞答的人员（主持人计为参加），可安排补学。' },
    ],
    rows: roll.absent,
    columns: [
      { header: '姓名', width: 16, value: (m) => m.displayName },
      { header: '用户名', width: 16, value: (m) => m.username },
    ],
  });
}
