import { loadConfig } from '../config';
import { systemClock } from '../infra/clock';
import { createLogger } from '../infra/logger';
import { openRedis } from '../infra/openRedis';
import { loadStarterBank } from '../services/starterBank';
import { createQuestionsStore } from '../store/questionsStore';

/** Adds the starter bank's questions that are not in the bank yet (matched on normalised text); edits are kept. */
async function main() {
  const config = loadConfig();
  const store = await openRedis(config, createLogger('warn'));
  const added = await loadStarterBank(createQuestionsStore(store.redis), systemClock);
  console.log(`starter bank: ${added} question(s) added`);
  await store.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
