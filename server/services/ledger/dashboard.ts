import type { PeriodQuery } from '../../../shared/schemas/ledger';
import type { CatchUpItem, ParticipationReport, TrendReport } from '../../../shared/schemas/ledgerReports';
import type { User } from '../../../shared/schemas/users';
import { forbidden } from '../../domain/errors';
import { periodSpan, resolvePeriod } from '../../domain/ledger/period';
import { dayKey } from '../../domain/review/day';
import type { Clock } from '../../infra/clock';
import type { CatchUpService } from './catchUp';
import type { LedgerReports } from './reports';

/** What the dashboard shows of the other areas; app.ts supplies these from their services (they meet here, not in stores). */
export interface DashboardSources {
  runningGames(actor: User): Promise<{ id: string; title: string; branchId: string | null; players: number }[]>;
  runningSessions(actor: User): Promise<{ id: string; title: string; branchId: string; present: number }[]>;
  recordsAwaiting(actor: User): Promise<{ sessionId: string; title: string; branchId: string; status: string }[]>;
  tasksDue(actor: User, start: number, end: number): Promise<unknown[]>;
}

export interface Dashboard {
  running: { games: Awaited<ReturnType<DashboardSources['runningGames']>>; sessions: Awaited<ReturnType<DashboardSources['runningSessions']>> };
  participation: ParticipationReport;
  trend: TrendReport;
  tasksDue: unknown[];
  recordsAwaiting: Awaited<ReturnType<DashboardSources['recordsAwaiting']>>;
  catchUp?: CatchUpItem[];
}

/** The leader's home: the admin's for the organisation, a secretary's for their branch (with the catch-up list). */
export function createDashboardService(d: { reports: LedgerReports; catchUp: CatchUpService; sources: DashboardSources; clock: Clock; timeZone: string }) {
  return {
    async get(actor: User): Promise<Dashboard> {
      if (actor.role === 'member') throw forbidden('只有管理员和支部书记可以查看工作台');
      const month: PeriodQuery = { period: 'month' };
      const today = dayKey(d.clock.now(), d.timeZone);
      const week = resolvePeriod({ period: 'week' }, today);
      // "Due this week": Monday to Sunday, what is already overdue this week included.
      const { start, end } = periodSpan(week, d.timeZone);
      const [games, sessions, { participation, trend }, tasksDue, recordsAwaiting, catchUp] = await Promise.all([
        d.sources.runningGames(actor),
        d.sources.runningSessions(actor),
        d.reports.overview(actor, month, 12),
        d.sources.tasksDue(actor, start, end),
        d.sources.recordsAwaiting(actor),
        actor.role === 'secretary' && actor.branchId ? d.catchUp.list(actor, actor.branchId, month) : Promise.resolve(undefined),
      ]);
      return { running: { games, sessions }, participation, trend, tasksDue, recordsAwaiting, ...(catchUp ? { catchUp } : {}) };
    },
  };
}
