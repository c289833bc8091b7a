import type { TaskCreateInput } from '../../../shared/schemas/tasks';
import type { User } from '../../../shared/schemas/users';
import { forbidden, notFound } from '../../domain/errors';
import type { BranchesStore } from '../../store/branchesStore';
import type { UsersStore } from '../../store/usersStore';

/** Titles of what a task may point at (null: no such thing); the ledger reads them without knowing other areas' stores. */
export interface TaskRefs {
  examTitle(id: string): Promise<string | null>;
  materialTitle(id: string): Promise<string | null>;
  quizTitle(id: string): Promise<string | null>;
}

interface Lookups {
  users: UsersStore;
  branches: BranchesStore;
  refs: TaskRefs;
}

/**
 * Checks who may give this task to whom and that what it points at exists, before anything is written; returns the
 * branches it touches. A secretary gives tasks within their own branch only (403 otherwise).
 */
export async function checkTaskInput(actor: User, input: TaskCreateInput, l: Lookups): Promise<string[]> {
  const secretaryBranch = actor.role === 'secretary' ? actor.branchId : undefined;
  let scope: string[];
  if (input.branchIds) {
    if (secretaryBranch !== undefined && input.branchIds.some((b) => b !== secretaryBranch)) throw forbidden('支部书记只能给本支部布置任务');
    const found = await Promise.all(input.branchIds.map((b) => l.branches.get(b)));
    if (found.some((b) => b === null)) throw notFound('支部');
    scope = input.branchIds;
  } else {
    const members = await l.users.getMany(input.memberIds ?? []);
    if (members.length !== (input.memberIds ?? []).length) throw notFound('党员');
    if (secretaryBranch !== undefined && members.some((m) => m.branchId === null || m.branchId !== secretaryBranch)) throw forbidden('支部书记只能给本支部党员布置任务');
    scope = [...new Set(members.map((m) => m.branchId).filter((b): b is string => b !== null))];
  }
  await checkTarget(input, l.refs);
  return scope;
}

async function checkTarget(input: TaskCreateInput, refs: TaskRefs): Promise<void> {
  if (input.kind === 'exam' && (await refs.examTitle(input.target.examId)) === null) throw notFound('考试');
  if (input.kind === 'material' && (await refs.materialTitle(input.target.materialId)) === null) throw notFound('学习资料');
  if (input.kind === 'live_game' && input.target.quizId !== undefined && (await refs.quizTitle(input.target.quizId)) === null) throw notFound('竞赛题目');
}
