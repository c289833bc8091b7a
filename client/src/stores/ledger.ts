import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { LedgerEntry, LedgerSettings } from '../../../shared/schemas/ledger';
import type { AppNotification, CatchUpItem, EvaluationReport, MemberParticipation, MyLedger, ParticipationReport, TrendReport } from '../../../shared/schemas/ledgerReports';
import type { ChecklistItem, MyTask, Task, TaskDetail, TaskSummary } from '../../../shared/schemas/tasks';
import { api, query } from '../api';

/** The period a report covers, as the REST routes take it (days in the organisation's time zone). */
export type PeriodKind = 'week' | 'month' | 'quarter' | 'year' | 'custom';
export interface PeriodChoice {
  period: PeriodKind;
  /** A day inside the period (week/month/quarter/year); today when absent. */
  date?: string;
  from?: string;
  to?: string;
}

export interface DashboardAnswer {
  running: {
    games: { id: string; title: string; branchId: string | null; players: number }[];
    sessions: { id: string; title: string; branchId: string; present: number }[];
  };
  participation: ParticipationReport;
  trend: TrendReport;
  tasksDue: TaskSummary[];
  recordsAwaiting: { sessionId: string; title: string; branchId: string; status: string }[];
  catchUp?: CatchUpItem[];
}
export interface MemberEntries {
  member: { id: string; displayName: string; branchId: string | null; branchName: string | null };
  entries: LedgerEntry[];
  hours: number;
}

/** The query string of a period (custom: from/to; others: the day inside it, if any). */
export function periodQuery(p: PeriodChoice): Record<string, string | undefined> {
  return p.period === 'custom' ? { period: 'custom', from: p.from, to: p.to } : { period: p.period, date: p.date };
}

/** The ledger's client side (issue 12): thin calls to /api/ledger and the member's unread reminders. */
export const useLedgerStore = defineStore('ledger', () => {
  const notifications = ref<AppNotification[]>([]);
  const unread = computed(() => notifications.value.filter((n) => !n.read).length);

  const dashboard = () => api<DashboardAnswer>('GET', '/ledger/dashboard');
  const participation = (p: PeriodChoice) => api<ParticipationReport>('GET', `/ledger/participation${query(periodQuery(p))}`);
  const trend = (p: PeriodChoice, count = 12) => api<TrendReport>('GET', `/ledger/trend${query({ ...periodQuery(p), count })}`);
  const me = (year?: number) => api<MyLedger>('GET', `/ledger/me${query({ year })}`);
  const memberEntries = (id: string, from?: string, to?: string) => api<MemberEntries>('GET', `/ledger/members/${encodeURIComponent(id)}/entries${query({ from, to })}`);
  const branchMembers = (branchId: string, p: PeriodChoice) =>
    api<{ items: MemberParticipation[] }>('GET', `/ledger/branches/${encodeURIComponent(branchId)}/members${query(periodQuery(p))}`);
  const catchUp = (branchId: string | undefined, p: PeriodChoice) => api<{ items: CatchUpItem[] }>('GET', `/ledger/catch-up${query({ branchId, ...periodQuery(p) })}`);
  const remind = (memberId: string, message?: string) => api<unknown>('POST', '/ledger/reminders', message ? { memberId, message } : { memberId });
  const settings = () => api<LedgerSettings>('GET', '/ledger/settings');
  const saveSettings = (patch: Partial<LedgerSettings>) => api<LedgerSettings>('PUT', '/ledger/settings', patch);
  /** The year-end evaluation (admin: every branch; secretary: own); with a branch, its members by name. */
  const evaluation = (year: number, branchId?: string) => api<EvaluationReport>('GET', `/ledger/evaluation${query({ year, branchId })}`);

  /** Study tasks (学习任务): a year's tasks with done/total, one task's completion, the 责任清单, the member's open ones. */
  const tasks = (year?: number) => api<{ items: TaskSummary[] }>('GET', `/tasks${query({ year })}`);
  const task = (id: string) => api<TaskDetail>('GET', `/tasks/${encodeURIComponent(id)}`);
  const createTask = (input: unknown) => api<{ task: Task }>('POST', '/tasks', input);
  const deleteTask = (id: string) => api<void>('DELETE', `/tasks/${encodeURIComponent(id)}`);
  const checklist = (year?: number) => api<{ items: ChecklistItem[] }>('GET', `/tasks/checklist${query({ year })}`);
  const myTasks = () => api<{ items: MyTask[] }>('GET', '/me/tasks');

  /** The signed-in user's notifications (reminders from the secretary). */
  async function loadNotifications(): Promise<AppNotification[]> {
    const res = await api<{ items: AppNotification[]; unread: number }>('GET', '/me/notifications');
    notifications.value = res.items;
    return res.items;
  }
  /** Marks every notification read (the member has seen the card); the local copy follows. */
  async function markRead(): Promise<void> {
    await api<unknown>('POST', '/me/notifications/read');
    notifications.value = notifications.value.map((n) => ({ ...n, read: true }));
  }

  return { notifications, unread, dashboard, participation, trend, me, memberEntries, branchMembers, catchUp, remind, settings, saveSettings, evaluation, loadNotifications, markRead, tasks, task, createTask, deleteTask, checklist, myTasks };
});
