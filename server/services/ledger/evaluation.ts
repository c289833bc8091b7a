import type { Writable } from 'node:stream';
import type { EvaluationReport, MemberParticipation } from '../../../shared/schemas/ledgerReports';
import type { User } from '../../../shared/schemas/users';
import { forbidden, notFound } from '../../domain/errors';
import { round } from '../../domain/ledger/participation';
import type { Period } from '../../domain/ledger/period';
import type { BranchesStore } from '../../store/branchesStore';
import { emptyAggregate } from '../../store/ledger/recordStore';
import type { UsersStore } from '../../store/usersStore';
import { safeFileName } from '../exports/download';
import { NUM_FMT, sheet, streamWorkbook, type Sheet } from '../exports/xlsx';
import { byName, sheetNamer } from './ledgerRows';
import type { BranchDetail, ParticipationService } from './participation';

export interface EvaluationDeps {
  participation: ParticipationService;
  users: Pick<UsersStore, 'getMany'>;
  branches: Pick<BranchesStore, 'get' | 'list'>;
}

const yearPeriod = (year: number): Period => ({ from: `${year}-01-01`, to: `${year}-12-31` });

/** A branch's members for the year: everyone on its roll at some point, and anyone with entries under it. */
async function memberLines(detail: BranchDetail, users: EvaluationDeps['users']): Promise<MemberParticipation[]> {
  const ids = [...new Set([...detail.shares.keys(), ...detail.members.keys()])];
  const names = new Map((await users.getMany(ids)).map((u) => [u.id, u.displayName]));
  return ids
    .map((memberId) => {
      const a = detail.members.get(memberId) ?? emptyAggregate();
      return {
        memberId,
        name: names.get(memberId) ?? memberId,
        branchId: detail.branchId,
        share: round(detail.shares.get(memberId) ?? 0, 4),
        activities: a.activities,
        kinds: a.kinds,
        hours: round(a.hours, 2),
        accuracy: a.total > 0 ? round(a.correct / a.total, 4) : null,
        missedMeetings: a.missed,
      };
    })
    // By name, never by figures: the evaluation reads lines, it does not rank people (DOMAIN.md).
    .sort((x, y) => byName.compare(x.name, y.name) || x.memberId.localeCompare(y.memberId));
}

/**
 * The year-end evaluation (先进党支部 / 优秀党员): per branch the year's participation, meetings held vs due, 学时 per
 * member and accuracy; per member of a branch their 学时, activities, accuracy and missed meetings. Admins see every
 * branch, a secretary their own.
 */
export function createEvaluationService(d: EvaluationDeps) {
  async function branchesFor(actor: User, branchId?: string): Promise<{ id: string; name: string }[]> {
    if (actor.role === 'member') throw forbidden('只有支部书记和管理员可以查看年度考评');
    if (branchId !== undefined) {
      const branch = await d.branches.get(branchId);
      if (!branch) throw notFound('支部');
      if (actor.role !== 'admin' && actor.branchId !== branch.id) throw forbidden('只能查看本支部的年度考评');
      return [branch];
    }
    if (actor.role === 'admin') return d.branches.list();
    if (!actor.branchId) throw forbidden('你还没有所在支部');
    const own = await d.branches.get(actor.branchId);
    if (!own) throw notFound('支部');
    return [own];
  }

  return {
    async report(actor: User, year: number, branchId?: string): Promise<EvaluationReport> {
      const branches = await branchesFor(actor, branchId);
      const period = yearPeriod(year);
      const ids = branches.map((b) => b.id);
      const report = await d.participation.report(ids, period);
      const out: EvaluationReport = { year, period, branches: report.branches, org: report.org };
      if (branchId !== undefined) {
        const [detail] = await d.participation.details(ids, period);
        out.members = await memberLines(detail!, d.users);
      }
      return out;
    },

    /** The same as a workbook: a summary sheet of branches, then one sheet of members per branch. */
    async workbook(actor: User, year: number): Promise<{ filename: string; asciiName: string; write(out: Writable): Promise<void> }> {
      const branches = await branchesFor(actor);
      const period = yearPeriod(year);
      const ids = branches.map((b) => b.id);
      const [report, details] = await Promise.all([d.participation.report(ids, period), d.participation.details(ids, period)]);
      const nameSheet = sheetNamer(['年度汇总', 'History']);
      const sheets: Sheet[] = [
        sheet({
          name: '年度汇总',
          head: [{ label: '年度', value: year, numFmt: NUM_FMT.integer }],
          columns: [
            { header: '支部', width: 20, value: (b) => b.name },
            { header: '在册人数', width: 10, numFmt: '0.0', value: (b) => b.onRoll },
            { header: '参与人数', width: 10, numFmt: '0.0', value: (b) => b.tookPart },
            { header: '参与率', width: 10, numFmt: NUM_FMT.percent, value: (b) => b.rate },
            { header: '已开会议', width: 10, numFmt: NUM_FMT.integer, value: (b) => b.meetings.held },
            { header: '应开会议', width: 10, numFmt: NUM_FMT.integer, value: (b) => b.meetings.due },
            { header: '人均学时', width: 10, numFmt: '0.00', value: (b) => b.hoursPerMember },
            { header: '目标学时', width: 10, numFmt: '0.0', value: (b) => b.targetPerMember },
            { header: '正确率', width: 10, numFmt: NUM_FMT.percent, value: (b) => b.accuracy },
          ],
          rows: report.branches,
        }),
      ];
      for (const detail of details) {
        const lines = await memberLines(detail, d.users);
        sheets.push(
          sheet({
            name: nameSheet(detail.name || detail.branchId),
            head: [
              { label: '支部', value: detail.name },
              { label: '年度', value: year, numFmt: NUM_FMT.integer },
            ],
            columns: [
              { header: '姓名', width: 12, value: (m) => m.name },
              { header: '在册比例', width: 10, numFmt: NUM_FMT.percent, value: (m) => m.share },
              { header: '学时', width: 8, numFmt: '0.0', value: (m) => m.hours },
              { header: '学习活动', width: 10, numFmt: NUM_FMT.integer, value: (m) => m.activities },
              { header: '正确率', width: 10, numFmt: NUM_FMT.percent, value: (m) => m.accuracy },
              { header: '缺会次数', width: 10, numFmt: NUM_FMT.integer, value: (m) => m.missedMeetings },
            ],
            rows: lines,
          }),
        );
      }
      const label = branches.length === 1 && actor.role !== 'admin' ? branches[0]!.name : '全部';
      return {
        filename: safeFileName(`年度考评_${label}_${year}`, 'xlsx'),
        asciiName: `evaluation_${year}`,
        write: (out) => streamWorkbook(sheets, out),
      };
    },
  };
}

export type EvaluationService = ReturnType<typeof createEvaluationService>;
