import type { Logger } from '../infra/logger';
import { newId } from '../store/ids';
import type { UsersStore } from '../store/usersStore';
import type { Clock } from '../infra/clock';
import { generatePassword, hashPassword } from './passwords';

/**
 * On first start (no user named admin), creates the admin account: with ADMIN_PASSWORD, or a random
 * password printed once in the log, which must be changed at first login.
 */
export async function ensureAdmin(users: UsersStore, clock: Clock, logger: Logger, adminPassword: string | null) {
  if (await users.findByUsername('admin')) return null;
  const password = adminPassword ?? generatePassword(14);
  const outcome = await users.create({
    id: newId(),
    username: 'admin',
    displayName: '管理员',
    role: 'admin',
    branchId: null,
    disabled: false,
    mustChangePassword: adminPassword === null,
    passwordHash: await hashPassword(password),
    createdAt: clock.now(),
  });
  if (outcome !== 'created') return null;
  if (adminPassword === null) {
    logger.warn(`first start: created the admin account. Log in as "admin" with password: ${password} (shown once; you will be asked to change it)`);
  } else {
    logger.info('first start: created the admin account with ADMIN_PASSWORD');
  }
  return password;
}
