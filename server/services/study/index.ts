import type { ServiceDeps } from '../deps';
import type { Presence } from '../presence';
import { PRESENCE_WINDOW_MS } from '../presence';
import { createQuestionsStore } from '../../store/questionsStore';
import { createLiveStudyStore } from '../../store/study/liveStudyStore';
import { createMaterialsStore } from '../../store/study/materialsStore';
import { createPdfFiles } from '../../store/study/pdfFiles';
import { createRecordsStore } from '../../store/study/recordsStore';
import { createRollStore } from '../../store/study/rollStore';
import { createStudySessionsStore } from '../../store/study/sessionsStore';
import { createStaysStore } from '../../store/study/staysStore';
import { createStudyAttendance } from './attendance';
import { createLiveStudyService, type StudyOutput } from './liveStudy';
import { createMaterialsService } from './materials';
import { createRecordsService, type RecordsDeps } from './records';
import { createStudySessionsService } from './sessions';

/** The study area's services (materials, sessions, the live session, attendance, records), wired from the shared deps. */
export function createStudyServices(deps: ServiceDeps, presence: Presence, output: () => StudyOutput, ledger: RecordsDeps['ledger']) {
  const materialsStore = createMaterialsStore(deps.redis);
  const live = createLiveStudyStore(deps.redis);
  const roll = createRollStore(deps.redis, deps.stores.users);
  const sessions = createStudySessionsService({
    store: createStudySessionsStore(deps.redis),
    materials: materialsStore,
    branches: deps.stores.branches,
    users: deps.stores.users,
    clock: deps.clock,
  });
  const materials = createMaterialsService({
    store: materialsStore,
    files: createPdfFiles(deps.config.dataDir),
    branches: deps.stores.branches,
    clock: deps.clock,
    usedBy: (id) => sessions.usingMaterial(id),
  });
  const attendance = createStudyAttendance({ stays: createStaysStore(deps.redis), roll, users: deps.stores.users, presence, clock: deps.clock, windowMs: PRESENCE_WINDOW_MS });
  const records = createRecordsService({
    store: createRecordsStore(deps.redis),
    sessions,
    live,
    roll,
    attendance,
    materials: materialsStore,
    users: deps.stores.users,
    clock: deps.clock,
    rules: { presentShare: deps.config.attendancePresentPercent / 100 },
    ledger,
  });
  const liveStudy = createLiveStudyService({
    sessions,
    live,
    roll,
    materials: materialsStore,
    questions: createQuestionsStore(deps.redis),
    clock: deps.clock,
    output,
    presentUsers: (id) => attendance.presentUsers(id),
    onEnded: (session, by) => records.draftOnEnd(session, by),
  });
  return {
    materials,
    sessions,
    attendance,
    records,
    live: liveStudy,
    /** Every few seconds: sockets of dead processes leave live sessions at their last heartbeat. */
    async sweep(out: Pick<StudyOutput, 'presenceChanged'>): Promise<void> {
      for (const id of await sessions.liveIds()) {
        if (await attendance.sweep(id)) out.presenceChanged(id);
      }
    },
  };
}

export type StudyServices = ReturnType<typeof createStudyServices>;
