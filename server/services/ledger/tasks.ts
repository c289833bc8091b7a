import type { LedgerEntry } from '../../../shared/schemas/ledger';
import type { ChecklistItem, MyTask, Task, TaskCreateInput, TaskDetail, TaskSummary } from '../../../shared/schemas/tasks';
import type { User } from '../../../shared/schemas/users';
import { forbidden, invalidInput, notFound } from '../../domain/errors';
import { dayStartAt } from '../../domain/ledger/period';
import { entryConcerns, isComplete, taskMonth, taskProgress } from '../../domain/ledger/taskMatch';
import { dayKey } from '../../domain/review/day';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import type { BranchesStore } from '../../store/branchesStore';
import { newId } from '../../store/ids';
import type { TasksStore } from '../../store/ledger/tasksStore';
import type { UsersStore } from '../../store/usersStore';
import type { LedgerRecord } from './record';
import { taskWorkbook } from './taskExport';
import { assertStaff, branchRows, canSee, memberRows, summaryOf, visibleAssignees, type Assignee } from './taskRows';
import { checkTaskInput, type TaskRefs } from './taskInput';

export interface TasksDeps {
  store: TasksStore;
  record: LedgerRecord;
  users: UsersStore;
  branches: BranchesStore;
  refs: TaskRefs;
  clock: Clock;
  timeZone: string;
  logger: Logger;
}

/** How long a missed task stays on the member's home page after its due date. */
const OPEN_AFTER_DUE_MS = 30 * 24 * 3600_000;
/** Members checked at once when a task is created (each is one read of their record). */
const CHECK_BATCH = 20;

/**
 * Study tasks (学习任务 / 党建责任清单). Completion is detected from the study record: each new entry is checked
 * against the member's open tasks (found through the branch and member indexes), and a member is marked done once.
 */
export function createTasksService(d: TasksDeps) {
  const tz = d.timeZone;

  /** Everyone the task reaches now; rolls read once per call through `rolls`. */
  async function assigneesOf(task: Task, rolls = new Map<string, Promise<Assignee[]>>()): Promise<Assignee[]> {
    const active = (list: { id: string; displayName: string; branchId: string | null; disabled?: boolean }[]) =>
      list.filter((u) => !u.disabled).map((u) => ({ id: u.id, displayName: u.displayName, branchId: u.branchId }));
    if (!task.branchIds) return active(await d.users.getMany(task.memberIds));
    const lists = task.branchIds.map((b) => {
      let roll = rolls.get(b);
      if (!roll) rolls.set(b, (roll = d.users.list(b).then(active)));
      return roll;
    });
    return (await Promise.all(lists)).flat();
  }

  /** The member's progress from their record: daily_days reads the whole month, others since the task began. */
  async function progressOf(task: Task, memberId: string) {
    const start = task.kind === 'daily_days' ? Math.min(task.from, dayStartAt(`${taskMonth(task, tz)}-01`, tz)) : task.from;
    return taskProgress(task, await d.record.ofMember(memberId, start), tz);
  }

  /** Marks done once; the one call that marked it writes the `task` entry (the record keeps it once as well). */
  async function complete(task: Task, memberId: string, at: number): Promise<void> {
    if (!(await d.store.markDone(task.id, memberId, at))) return;
    await d.record.record([{ kind: 'task', refId: task.id, memberId, at, title: task.title, result: {} }]);
  }

  async function checkMember(task: Task, memberId: string, at: number): Promise<boolean> {
    if (!isComplete(await progressOf(task, memberId))) return false;
    await complete(task, memberId, at);
    return true;
  }

  /** The record's listener: each new entry may complete some of its member's open tasks (one lookup per batch). */
  async function onRecorded(entries: LedgerEntry[]): Promise<void> {
    const relevant = entries.filter((e) => e.kind !== 'task');
    const pairKey = (e: Pick<LedgerEntry, 'memberId' | 'branchId'>) => `${e.memberId}|${e.branchId ?? ''}`;
    const pairs = [...new Map(relevant.map((e) => [pairKey(e), { memberId: e.memberId, branchId: e.branchId }])).values()];
    const found = await d.store.ofMembers(pairs);
    const tasksOf = new Map(pairs.map((p, i) => [pairKey(p), found[i] ?? []]));
    for (const entry of relevant) {
      const candidates = (tasksOf.get(pairKey(entry)) ?? []).filter((t) => entryConcerns(t, entry, tz));
      if (candidates.length === 0) continue;
      const done = await d.store.doneByMember(
        candidates.map((t) => t.id),
        entry.memberId,
      );
      for (const task of candidates) {
        if (done.has(task.id)) continue;
        if (task.kind === 'daily_days') await checkMember(task, entry.memberId, entry.at);
        else await complete(task, entry.memberId, entry.at);
      }
    }
  }
  d.record.onRecorded(onRecorded);

  async function visible(actor: User, start: number, end: number): Promise<Task[]> {
    assertStaff(actor);
    return (await d.store.dueBetween(start, end)).filter((t) => canSee(actor, t));
  }

  async function summaries(actor: User, tasks: Task[]): Promise<TaskSummary[]> {
    const now = d.clock.now();
    const rolls = new Map<string, Promise<Assignee[]>>();
    const done = await d.store.doneOfMany(tasks.map((t) => t.id));
    return Promise.all(tasks.map(async (t) => summaryOf(t, memberRows(t, visibleAssignees(actor, await assigneesOf(t, rolls)), done.get(t.id) ?? new Map(), now), now)));
  }

  function yearSpan(year: number | undefined) {
    const y = year ?? Number(dayKey(d.clock.now(), tz).slice(0, 4));
    return { start: dayStartAt(`${y}-01-01`, tz), end: dayStartAt(`${y + 1}-01-01`, tz) };
  }

  async function loadVisible(actor: User, id: string): Promise<Task> {
    assertStaff(actor);
    const task = await d.store.get(id);
    if (!task) throw notFound('学习任务');
    if (!canSee(actor, task)) throw forbidden();
    return task;
  }

  async function detail(actor: User, id: string): Promise<TaskDetail> {
    const task = await loadVisible(actor, id);
    const now = d.clock.now();
    const rows = memberRows(task, visibleAssignees(actor, await assigneesOf(task)), await d.store.doneOf(task.id), now);
    const names = new Map((await d.branches.list()).map((b) => [b.id, b.name]));
    const byBranch = branchRows(task, rows, (b) => names.get(b) ?? '', now).filter((r) => actor.role === 'admin' || r.branchId === actor.branchId);
    return { task, byBranch, members: rows };
  }

  return {
    onRecorded,
    dueBetween: async (actor: User, start: number, end: number): Promise<TaskSummary[]> => summaries(actor, await visible(actor, start, end)),

    async create(actor: User, input: TaskCreateInput): Promise<Task> {
      assertStaff(actor);
      const now = d.clock.now();
      if (input.due <= now) throw invalidInput('截止时间须在现在之后', [{ path: 'due', message: '截止时间须在现在之后' }]);
      const scopeBranchIds = await checkTaskInput(actor, input, { users: d.users, branches: d.branches, refs: d.refs });
      const assignees = input.branchIds ? { branchIds: input.branchIds } : { memberIds: input.memberIds! };
      const task = { id: newId(), title: input.title, kind: input.kind, target: input.target, from: now, due: input.due, assignedBy: actor.id, assignedByName: actor.displayName, scopeBranchIds, ...assignees } as Task;
      await d.store.create(task);
      // Already done before the task was given (daily sets earlier in the month): done at once.
      const list = await assigneesOf(task);
      for (let i = 0; i < list.length; i += CHECK_BATCH) await Promise.all(list.slice(i, i + CHECK_BATCH).map((a) => checkMember(task, a.id, now)));
      return task;
    },

    async list(actor: User, year?: number): Promise<TaskSummary[]> {
      const { start, end } = yearSpan(year);
      return summaries(actor, await visible(actor, start, end));
    },

    detail,

    async exportXlsx(actor: User, id: string): Promise<{ filename: string; body: Buffer }> {
      const view = await detail(actor, id);
      const names = new Map(view.byBranch.map((b) => [b.branchId, b.name]));
      return { filename: `${view.task.title}-完成情况`, body: await taskWorkbook(view, (b) => (b ? (names.get(b) ?? '') : ''), tz) };
    },

    async remove(actor: User, id: string): Promise<void> {
      assertStaff(actor);
      const task = await d.store.get(id);
      if (!task) throw notFound('学习任务');
      if (actor.role !== 'admin' && task.assignedBy !== actor.id) throw forbidden('只有布置人或管理员可以删除任务');
      await d.store.remove(task);
    },

    /** The member's open tasks: not done, not long past due; progress read from the record (which also catches up). */
    async mine(actor: User): Promise<MyTask[]> {
      const now = d.clock.now();
      const tasks = (await d.store.ofMember(actor.id, actor.branchId)).filter((t) => t.due > now - OPEN_AFTER_DUE_MS);
      const done = await d.store.doneByMember(
        tasks.map((t) => t.id),
        actor.id,
      );
      const open: MyTask[] = [];
      for (const task of tasks.filter((t) => !done.has(t.id))) {
        const progress = await progressOf(task, actor.id);
        // Done already (e.g. before joining the branch the task was given to): mark it now rather than list it.
        if (isComplete(progress)) await complete(task, actor.id, now);
        else open.push({ id: task.id, title: task.title, kind: task.kind, target: task.target, due: task.due, overdue: now > task.due, progress });
      }
      return open.sort((a, b) => a.due - b.due);
    },

    /** The 责任清单 of a year: each task with its branches' completion (a secretary: their branch's row). */
    async checklist(actor: User, year?: number): Promise<ChecklistItem[]> {
      const { start, end } = yearSpan(year);
      const tasks = await visible(actor, start, end);
      const now = d.clock.now();
      const names = new Map((await d.branches.list()).map((b) => [b.id, b.name]));
      const done = await d.store.doneOfMany(tasks.map((t) => t.id));
      const rolls = new Map<string, Promise<Assignee[]>>();
      return Promise.all(
        tasks.map(async (t) => {
          const rows = memberRows(t, visibleAssignees(actor, await assigneesOf(t, rolls)), done.get(t.id) ?? new Map(), now);
          const branches = branchRows(t, rows, (b) => names.get(b) ?? '', now).filter((r) => actor.role === 'admin' || r.branchId === actor.branchId);
          return { id: t.id, title: t.title, kind: t.kind, due: t.due, assignedByName: t.assignedByName, branches };
        }),
      );
    },
  };
}

export type TasksService = ReturnType<typeof createTasksService>;
