import { loadConfig } from '../config';
import { systemClock } from '../infra/clock';
import { createLogger } from '../infra/logger';
import { openRedis } from '../infra/openRedis';
import { ensureAdmin } from '../services/bootstrap';
import { generatePassword, hashPassword } from '../services/passwords';
import { createSessionsStore } from '../store/sessionsStore';
import { createUsersStore } from '../store/usersStore';

/** Sets a new password for the user "admin" (ADMIN_PASSWORD, or a random one printed here) and ends its sessions. */
async function main() {
  const config = loadConfig();
  const logger = createLogger('warn');
  const store = await openRedis(config, logger);
  const { redis } = store;
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
  await store.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
