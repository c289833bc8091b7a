import type { ServiceDeps } from '../deps';
import { createMaterialsStore } from '../../store/study/materialsStore';
import { createPdfFiles } from '../../store/study/pdfFiles';
import { createStudySessionsStore } from '../../store/study/sessionsStore';
import { createMaterialsService } from './materials';
import { createStudySessionsService } from './sessions';

/** The study area's services (materials, sessions), wired from the shared deps. */
export function createStudyServices(deps: ServiceDeps) {
  const materialsStore = createMaterialsStore(deps.redis);
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
  return { materials, sessions };
}

export type StudyServices = ReturnType<typeof createStudyServices>;
