import type { ExamMemberResult, ExamResults } from '../../../shared/schemas/exams';
import type { User } from '../../../shared/schemas/users';
import { branchResult } from '../../domain/review/exam';
import { forbidden } from '../../domain/errors';
import { isStaff } from '../../domain/permissions';
import type { BranchesStore } from '../../store/branchesStore';
import type { ExamsStore } from '../../store/review/examsStore';
import type { UsersStore } from '../../store/usersStore';
import { safeFileName } from '../exports/download';
import { NUM_FMT, sheet, wallClock, writeWorkbook } from '../exports/xlsx';
import type { ExamsService } from './exams';

/** The organisation's time zone for dates in files (ARCHITECTURE: default Asia/Shanghai). */
const TIME_ZONE = 'Asia/Shanghai';
const BANDS = Array.from({ length: 10 }, (_, i) => (i === 9 ? '90-100' : `${i * 10}-${i * 10 + 9}`));

/**
 * An exam's results for its publisher (issue 11): per branch, participation (members with a graded attempt / the
 * branch's active accounts), the average of each participant's best score, the 10-point distribution; and each
 * participant's line. An admin sees every branch of the exam, a secretary only their own.
 */
export function createExamResults(exams: ExamsService, store: ExamsStore, users: UsersStore, branches: BranchesStore) {
  async function results(actor: User, examId: string): Promise<ExamResults> {
    if (!isStaff(actor)) throw forbidden('考试结果仅对管理员和支部书记开放');
    const exam = await exams.loadExam(actor, examId);
    if (!exams.canManage(actor, exam)) throw forbidden('只能查看本支部的考试结果');
    const branchIds = actor.role === 'admin' ? exam.branchIds : exam.branchIds.filter((id) => id === actor.branchId);
    const graded = (await store.attemptsOfExam(examId)).filter((a) => a.status === 'graded');
    const best = new Map<string, number>();
    const perMember = new Map<string, { attempts: number; lastEndedAt: number }>();
    for (const a of graded) {
      best.set(a.memberId, Math.max(best.get(a.memberId) ?? 0, a.score ?? 0));
      const m = perMember.get(a.memberId) ?? { attempts: 0, lastEndedAt: 0 };
      perMember.set(a.memberId, { attempts: m.attempts + 1, lastEndedAt: Math.max(m.lastEndedAt, a.endedAt ?? 0) });
    }
    const out: ExamResults = { exam: exams.summary(exam), branches: [], members: [] };
    for (const branchId of branchIds) {
      const branch = (await branches.get(branchId)) ?? { id: branchId, name: '' };
      const roll = (await users.list(branchId)).filter((u) => !u.disabled);
      out.branches.push(branchResult(branch, roll.map((u) => u.id), best));
      for (const u of roll) {
        const m = perMember.get(u.id);
        if (m) out.members.push({ memberId: u.id, name: u.displayName, branchId, attempts: m.attempts, bestScore: best.get(u.id)!, lastEndedAt: m.lastEndedAt });
      }
    }
    return out;
  }

  /** The results as a workbook: one sheet per view, numbers as numbers, every text cell neutralised. */
  async function workbook(actor: User, examId: string): Promise<{ filename: string; body: Buffer }> {
    const r = await results(actor, examId);
    const names = new Map(r.branches.map((b) => [b.branchId, b.branchName]));
    const head = [
      { label: '考试', value: r.exam.title },
      { label: '开放时间', value: wallClock(r.exam.opensAt, TIME_ZONE), numFmt: NUM_FMT.dateTime },
      { label: '截止时间', value: wallClock(r.exam.closesAt, TIME_ZONE), numFmt: NUM_FMT.dateTime },
      { label: '题量', value: r.exam.questionCount },
    ];
    const summary = sheet({
      name: '支部统计',
      head,
      rows: r.branches,
      columns: [
        { header: '支部', width: 20, value: (b) => b.branchName },
        { header: '应考人数', width: 10, numFmt: NUM_FMT.integer, value: (b) => b.members },
        { header: '参考人数', width: 10, numFmt: NUM_FMT.integer, value: (b) => b.participants },
        { header: '参考率', width: 10, numFmt: NUM_FMT.percent, value: (b) => b.participation },
        { header: '平均分', width: 10, numFmt: '0.0', value: (b) => b.average },
        ...BANDS.map((label, i) => ({ header: `${label}分`, width: 9, numFmt: NUM_FMT.integer, value: (b: (typeof r.branches)[number]) => b.distribution[i] ?? 0 })),
      ],
    });
    const people = sheet<ExamMemberResult>({
      name: '个人成绩',
      rows: r.members,
      columns: [
        { header: '姓名', width: 14, value: (m) => m.name },
        { header: '支部', width: 20, value: (m) => names.get(m.branchId) ?? '' },
        { header: '最高分', width: 10, numFmt: NUM_FMT.integer, value: (m) => m.bestScore },
        { header: '作答次数', width: 10, numFmt: NUM_FMT.integer, value: (m) => m.attempts },
        { header: '最后交卷', width: 18, numFmt: NUM_FMT.dateTime, value: (m) => wallClock(m.lastEndedAt, TIME_ZONE) },
      ],
    });
    return { filename: safeFileName(`${r.exam.title}-考试结果`, 'xlsx'), body: await writeWorkbook([summary, people]) };
  }

  return { results, workbook };
}

export type ExamResultsService = ReturnType<typeof createExamResults>;
