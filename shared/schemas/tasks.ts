import { z } from 'zod';
import { cleanText, idSchema } from './common';
import { studySessionKindSchema } from './study';

// ---------------------------------------------------------------- study tasks (学习任务, the 党建责任清单)

/**
 * What a task asks for. Completion is detected from the study record, never ticked by hand:
 * - exam: an `exam` entry of that exam;
 * - session: a `study_session` entry of that session kind, attended (not 缺席 / 请假);
 * - material: a `study_session` entry that studied that material, attended;
 * - daily_days: `daily_set` entries on at least N days of the task's month (the month of its due date);
 * - reflection: a 心得体会 (`reflection` entry);
 * - live_game: taking part in a live game (of that quiz, when one is named).
 */
export const TASK_KINDS = ['exam', 'session', 'material', 'daily_days', 'reflection', 'live_game'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

const strict = <S extends z.ZodRawShape>(shape: S) => z.object(shape).strict();

export const taskTargetSchemas = {
  exam: strict({ examId: idSchema }),
  session: strict({ sessionKind: studySessionKindSchema }),
  material: strict({ materialId: idSchema }),
  daily_days: strict({ days: z.number().int().min(1, '至少 1 天').max(31, '至多 31 天') }),
  reflection: strict({}),
  live_game: strict({ quizId: idSchema.optional() }),
} as const;

export type TaskTarget =
  | { kind: 'exam'; target: { examId: string } }
  | { kind: 'session'; target: { sessionKind: z.infer<typeof studySessionKindSchema> } }
  | { kind: 'material'; target: { materialId: string } }
  | { kind: 'daily_days'; target: { days: number } }
  | { kind: 'reflection'; target: Record<string, never> }
  | { kind: 'live_game'; target: { quizId?: string } };

/** Ids without repeats, bounded (a task goes to at most every branch, or a branch's members). */
const idList = (max: number) =>
  z
    .array(idSchema)
    .min(1, '至少选择一项')
    .max(max)
    .refine((ids) => new Set(ids).size === ids.length, '有重复的编号');

const common = {
  title: cleanText(100),
  /** Epoch ms: the end of the day the task is due. */
  due: z.number().int().positive(),
  /** Admin: branches (everyone on their rolls, now and joining later). */
  branchIds: idList(200).optional(),
  /** Admin or the branch's secretary: members by name. */
  memberIds: idList(500).optional(),
};

export const taskCreateSchema = z
  .discriminatedUnion('kind', [
    strict({ ...common, kind: z.literal('exam'), target: taskTargetSchemas.exam }),
    strict({ ...common, kind: z.literal('session'), target: taskTargetSchemas.session }),
    strict({ ...common, kind: z.literal('material'), target: taskTargetSchemas.material }),
    strict({ ...common, kind: z.literal('daily_days'), target: taskTargetSchemas.daily_days }),
    strict({ ...common, kind: z.literal('reflection'), target: taskTargetSchemas.reflection.default({}) }),
    strict({ ...common, kind: z.literal('live_game'), target: taskTargetSchemas.live_game.default({}) }),
  ])
  .refine((t) => (t.branchIds === undefined) !== (t.memberIds === undefined), { message: '请选择支部或党员（二选一）', path: ['branchIds'] });
export type TaskCreateInput = z.infer<typeof taskCreateSchema>;

export const taskYearQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});

/** Who the task is for: branches, or members by name. */
export type TaskAssignees = { branchIds: string[]; memberIds?: undefined } | { memberIds: string[]; branchIds?: undefined };

export type Task = TaskTarget &
  TaskAssignees & {
    id: string;
    title: string;
    /** Creation time: entries before it do not count (daily_days: the whole month counts). */
    from: number;
    due: number;
    /** The creator's user id, and their name for lists. */
    assignedBy: string;
    assignedByName: string;
    /** The branches the task touches (a member-assigned task: the members' branches when assigned). */
    scopeBranchIds: string[];
  };

export type TaskSummary = TaskAssignees & {
  id: string;
  title: string;
  kind: TaskKind;
  due: number;
  assignedBy: string;
  assignedByName: string;
  done: number;
  total: number;
  /** Past the due date with someone still not done. */
  overdue: boolean;
};

export interface TaskBranchRow {
  branchId: string;
  name: string;
  done: number;
  total: number;
  overdue: boolean;
}

export interface TaskMemberRow {
  memberId: string;
  name: string;
  branchId: string | null;
  doneAt: number | null;
  overdue: boolean;
}

export interface TaskDetail {
  task: Task;
  byBranch: TaskBranchRow[];
  members: TaskMemberRow[];
}

/** A member's open task on the home page, with progress (daily_days: days done of N; others 0 of 1). */
export interface MyTask {
  id: string;
  title: string;
  kind: TaskKind;
  target: TaskTarget['target'];
  due: number;
  overdue: boolean;
  progress: { done: number; of: number };
}

/** The 责任清单: each task of the year with its branches' completion. */
export interface ChecklistItem {
  id: string;
  title: string;
  kind: TaskKind;
  due: number;
  assignedByName: string;
  branches: TaskBranchRow[];
}
