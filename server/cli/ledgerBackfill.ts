import { loadConfig } from '../config';
import { systemClock } from '../infra/clock';
import { createLogger } from '../infra/logger';
import { openRedis } from '../infra/openRedis';
import type { ServiceDeps } from '../services/deps';
import { createLedgerServices } from '../services/ledger';
import { describeBackfill } from '../services/ledger/backfill';
import { createBranchesStore } from '../store/branchesStore';
import { createLedgerRollStore } from '../store/ledger/rollStore';
import { createRateLimitStore } from '../store/rateLimitStore';
import { createSessionsStore } from '../store/sessionsStore';
import { createUsersStore } from '../store/usersStore';

/**
 * `npm run ledger:backfill` (issue 12): builds the study record from finished live games, ended study sessions,
 * completed daily sets and graded exams, and the roll from the accounts. Safe to run again (and beside a running
 * app): the record keeps one entry per (kind, refId, member), so a second run writes nothing new.
 */
async function main() {
  const config = loadConfig();
  const logger = createLogger('warn');
  const store = await openRedis(config, logger);
  const { redis } = store;
  const deps: ServiceDeps = {
    redis,
    stores: {
      users: createUsersStore(redis),
      branches: createBranchesStore(redis),
      sessions: createSessionsStore(redis, config.sessionIdleMs),
      rateLimits: createRateLimitStore(redis),
      roll: createLedgerRollStore(redis),
    },
    clock: systemClock,
    logger,
    config,
    // No sockets in a one-off command: nothing to tell.
    notifier: { sessionsEnded: () => undefined, userChanged: () => undefined },
  };
  const report = await createLedgerServices(deps).backfill.run();
  console.log(`study record backfill: ${describeBackfill(report)}`);
  for (const [kind, n] of Object.entries(report.written)) console.log(`  ${kind.padEnd(14)} ${String(n).padStart(8)} new  (${report.found[kind as keyof typeof report.found]} found)`);
  console.log(`  meetings       ${String(report.meetings).padStart(8)}\n  roll joins     ${String(report.rollJoins).padStart(8)}`);
  await store.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
