import type { Task, TaskBranchRow, TaskMemberRow, TaskSummary } from '../../../shared/schemas/tasks';
import type { User } from '../../../shared/schemas/users';
import { forbidden } from '../../domain/errors';

/** Who a task reaches right now: a branch task, everyone on the branches' rolls (joiners included); else by name. */
export interface Assignee {
  id: string;
  displayName: string;
  branchId: string | null;
}

/** Staff only; a secretary sees the tasks that touch their branch. */
export function assertStaff(actor: User): void {
  if (actor.role === 'member') throw forbidden();
}

export const touches = (task: Task, branchId: string | null): boolean => branchId !== null && task.scopeBranchIds.includes(branchId);

/** Can this actor see the task at all (admin: every task; secretary: those touching their branch). */
export function canSee(actor: User, task: Task): boolean {
  return actor.role === 'admin' || (actor.role === 'secretary' && touches(task, actor.branchId));
}

/** The rows an actor may see: a secretary only their branch's members. */
export const visibleAssignees = (actor: User, list: Assignee[]): Assignee[] => (actor.role === 'admin' ? list : list.filter((a) => a.branchId === actor.branchId));

export function memberRows(task: Task, list: Assignee[], done: Map<string, number>, now: number): TaskMemberRow[] {
  return list
    .map((a) => {
      const doneAt = done.get(a.id) ?? null;
      return { memberId: a.id, name: a.displayName, branchId: a.branchId, doneAt, overdue: doneAt === null && now > task.due };
    })
    .sort((x, y) => Number(x.doneAt !== null) - Number(y.doneAt !== null) || x.name.localeCompare(y.name, 'zh-CN'));
}

export function branchRows(task: Task, rows: TaskMemberRow[], branchName: (id: string) => string, now: number): TaskBranchRow[] {
  const byBranch = new Map<string, TaskBranchRow>();
  const ids = task.branchIds ?? [...new Set(rows.map((r) => r.branchId).filter((b): b is string => b !== null))];
  for (const id of ids) byBranch.set(id, { branchId: id, name: branchName(id), done: 0, total: 0, overdue: false });
  for (const r of rows) {
    const row = r.branchId ? byBranch.get(r.branchId) : undefined;
    if (!row) continue;
    row.total += 1;
    if (r.doneAt !== null) row.done += 1;
  }
  for (const row of byBranch.values()) row.overdue = now > task.due && row.done < row.total;
  return [...byBranch.values()];
}

export function summaryOf(task: Task, rows: TaskMemberRow[], now: number): TaskSummary {
  const done = rows.filter((r) => r.doneAt !== null).length;
  const base = { id: task.id, title: task.title, kind: task.kind, due: task.due, assignedBy: task.assignedBy, assignedByName: task.assignedByName, done, total: rows.length, overdue: now > task.due && done < rows.length };
  return task.branchIds ? { ...base, branchIds: task.branchIds } : { ...base, memberIds: task.memberIds };
}
