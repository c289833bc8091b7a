import { loadConfig } from '../config';
import { systemClock } from '../infra/clock';
import { createLogger } from '../infra/logger';
import { connectRedis, type RedisTarget } from '../infra/redis';
import { startManagedRedis, type ManagedRedis } from '../infra/managedRedis';
import { ensureAdmin } from '../services/bootstrap';
import { generatePassword, hashPassword } from '../services/passwords';
import { createSessionsStore } from '../store/sessionsStore';
import { createUsersStore } from '../store/usersStore';

/** Sets a new password for the user "admin" (ADMIN_PASSWORD, or a random one printed here) and ends its sessions. */
async function main() {
  const config = loadConfig();
  const logger = createLogger('warn');
  let managed: ManagedRedis | null = null;
  let target: RedisTarget;
  if (config.redisUrl) target = { url: config.redisUrl };
  else {
    managed = await startManagedRedis(config.dataDir, config.appendfsync, logger);
    target = { socketPath: managed.socketPath };
  }
  const redis = await connectRedis(target, logger);
  const users = createUsersStore(redis);
  const password = config.adminPassword ?? generatePassword(14);
  const admin = await users.findByUsername('admin');
  if (!admin) {
    await ensureAdmin(users, systemClock, logger, password);
  } else {
    await users.update(admin.id, admin.branchId, {
      passwordHash: await hashPassword(password),
      mustChangePassword: config.adminPassword === null,
      disabled: false,
      role: 'admin',
    });
    await createSessionsStore(redis, config.sessionIdleMs).destroyAllFor(admin.id);
  }
  console.log(config.adminPassword ? 'The admin password is now ADMIN_PASSWORD.' : `New admin password: ${password} (change it at next login)`);
  await redis.close();
  await managed?.stop();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
