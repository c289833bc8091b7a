import type { ServiceDeps } from '../deps';
import { createLedgerRecordStore } from '../../store/ledger/recordStore';
import { createLedgerSettingsStore } from '../../store/ledger/settingsStore';
import { createLedgerBackfill } from './backfill';
import { createEvaluationService } from './evaluation';
import { createLedgerExports } from './exports';
import { createNotificationsStore } from '../../store/ledger/notificationsStore';
import { createCatchUpService } from './catchUp';
import { createDashboardService, type DashboardSources } from './dashboard';
import { createParticipationService } from './participation';
import { createLedgerReports } from './reports';
import { createLedgerRecord } from './record';
import { createLedgerSettingsService } from './settings';
import { createTasksService } from './tasks';
import { createTaskRefs } from './taskRefs';
import { createTasksStore } from '../../store/ledger/tasksStore';

/** Outside the app (CLI, benches) nothing runs live. */
const NOTHING_RUNNING: Omit<DashboardSources, 'tasksDue'> = { runningGames: async () => [], runningSessions: async () => [], recordsAwaiting: async () => [] };

/**
 * The ledger area (issue 12): the study record every area writes to, and what reads it (participation, catch-up,
 * tasks, exports, the dashboard). Nothing here reads another area's store: they meet at the record.
 */
export function createLedgerServices(deps: ServiceDeps, sources: () => Omit<DashboardSources, 'tasksDue'> = () => NOTHING_RUNNING) {
  const store = createLedgerRecordStore(deps.redis);
  const settingsStore = createLedgerSettingsStore(deps.redis);
  const timeZone = deps.config.orgTimeZone;
  const record = createLedgerRecord({ store, settings: settingsStore, users: deps.stores.users, timeZone, logger: deps.logger });
  const participation = createParticipationService({ store, roll: deps.stores.roll, branches: deps.stores.branches, settings: () => settingsStore.get(), timeZone });
  const settings = () => settingsStore.get();
  /** Study tasks (学习任务): completion detected from the record (tasks helper, issue 12). */
  const tasks = createTasksService({ store: createTasksStore(deps.redis), record, users: deps.stores.users, branches: deps.stores.branches, refs: createTaskRefs(deps.redis), clock: deps.clock, timeZone, logger: deps.logger });
  const reports = createLedgerReports({ store, participation, users: deps.stores.users, branches: deps.stores.branches, settings, clock: deps.clock, timeZone });
  const catchUp = createCatchUpService({ participation, notifications: createNotificationsStore(deps.redis), users: deps.stores.users, branches: deps.stores.branches, settings, clock: deps.clock, period: reports.period });
  // The dashboard's sources are the other areas' services, built after this one: read them when asked.
  const lazySources: DashboardSources = {
    runningGames: (a) => sources().runningGames(a),
    runningSessions: (a) => sources().runningSessions(a),
    recordsAwaiting: (a) => sources().recordsAwaiting(a),
    tasksDue: (a, s, e) => tasks.dueBetween(a, s, e),
  };
  return {
    reports,
    catchUp,
    dashboard: createDashboardService({ reports, catchUp, sources: lazySources, clock: deps.clock, timeZone }),
    store,
    record,
    settings: createLedgerSettingsService(settingsStore),
    participation,
    /** 学习台账 as .xlsx, streamed (export helper, issue 12). */
    exports: createLedgerExports({ store, users: deps.stores.users, branches: deps.stores.branches, timeZone }),
    /** The year-end evaluation, JSON and .xlsx (export helper, issue 12). */
    evaluation: createEvaluationService({ participation, users: deps.stores.users, branches: deps.stores.branches }),
    tasks,
    // The one exception to "they meet at the record": the one-off backfill reads what existed before it.
    backfill: createLedgerBackfill({ redis: deps.redis, record, roll: deps.stores.roll, users: deps.stores.users, clock: deps.clock, logger: deps.logger, timeZone }),
  };
}

export type LedgerServices = ReturnType<typeof createLedgerServices>;
