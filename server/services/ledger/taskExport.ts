import type { TaskDetail, TaskMemberRow, TaskBranchRow } from '../../../shared/schemas/tasks';
import { NUM_FMT, sheet, wallClock, writeWorkbook } from '../exports/xlsx';

const STATUS = (r: TaskMemberRow) => (r.doneAt !== null ? '已完成' : r.overdue ? '逾期未完成' : '未完成');

/** A task's completion as a workbook (the shared exports module: cells neutralised, numbers as numbers). */
export function taskWorkbook(view: TaskDetail, branchName: (id: string | null) => string, timeZone: string): Promise<Buffer> {
  const head = [
    { label: '学习任务', value: view.task.title },
    { label: '截止时间', value: wallClock(view.task.due, timeZone), numFmt: NUM_FMT.dateTime },
    { label: '布置人', value: view.task.assignedByName },
  ];
  const members = sheet<TaskMemberRow & { n: number }>({
    name: '党员完成情况',
    head,
    columns: [
      { header: '序号', width: 6, numFmt: NUM_FMT.integer, value: (r) => r.n },
      { header: '姓名', width: 14, value: (r) => r.name },
      { header: '所在支部', width: 18, value: (r) => branchName(r.branchId) },
      { header: '状态', width: 12, value: STATUS },
      { header: '完成时间', width: 18, numFmt: NUM_FMT.dateTime, value: (r) => (r.doneAt === null ? null : wallClock(r.doneAt, timeZone)) },
    ],
    rows: view.members.map((r, i) => ({ ...r, n: i + 1 })),
  });
  const branches = sheet<TaskBranchRow>({
    name: '支部完成情况',
    head,
    columns: [
      { header: '支部', width: 18, value: (r) => r.name },
      { header: '已完成', width: 10, numFmt: NUM_FMT.integer, value: (r) => r.done },
      { header: '应完成', width: 10, numFmt: NUM_FMT.integer, value: (r) => r.total },
      { header: '完成率', width: 10, numFmt: NUM_FMT.percent, value: (r) => (r.total === 0 ? null : r.done / r.total) },
      { header: '逾期', width: 8, value: (r) => (r.overdue ? '是' : '否') },
    ],
    rows: view.byBranch,
  });
  return writeWorkbook([branches, members]);
}
