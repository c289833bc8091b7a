import { loadConfig } from './config';
import { createApp } from './app';
import { systemClock } from './infra/clock';
import { createLogger } from './infra/logger';
import { openRedis } from './infra/openRedis';
import { ensureAdmin } from './services/bootstrap';
import { createUsersStore } from './store/usersStore';
import { createQuestionsStore } from './store/questionsStore';
import { seedBankOnFirstStart } from './services/starterBank';
import { seedMaterialsOnFirstStart } from './services/study/starterMaterials';
import { createMaterialsStore } from './store/study/materialsStore';

const config = loadConfig();
const logger = createLogger(config.logLevel);

async function main() {
  const store = await openRedis(config, logger);
  const { redis } = store;
  await ensureAdmin(createUsersStore(redis), systemClock, logger, config.adminPassword);
  if (config.seedBank) {
    await seedBankOnFirstStart(createQuestionsStore(redis), systemClock, logger);
    await seedMaterialsOnFirstStart(createMaterialsStore(redis), systemClock, logger);
  }

  const app = createApp({ redis, clock: systemClock, logger, config });
  await app.linkProcesses();
  app.http.listen(config.port, config.host, () => {
    const shown = config.host === '0.0.0.0' ? 'localhost' : config.host;
    logger.info(`Tongpin is running at http://${shown}:${config.port}`);
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.stop();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
main().catch((err: unknown) => {
  logger.fatal(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
