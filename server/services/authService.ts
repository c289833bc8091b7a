import { ErrorCode } from '../../shared/errors';
import type { ChangePasswordInput, LoginInput } from '../../shared/schemas/auth';
import type { User } from '../../shared/schemas/users';
import { AppError, invalidInput } from '../domain/errors';
import { publicUser } from '../store/usersStore';
import type { Session } from '../store/sessionsStore';
import type { ServiceDeps } from './deps';
import { hashPassword, timingDummyHash, verifyPassword } from './passwords';

const WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_USERNAME = 5;
// A whole office often shares one address, so the per-IP allowance is much larger.
export const MAX_FAILURES_PER_IP = 50;

export interface AuthenticatedSession {
  user: User;
  session: Session;
}

export function createAuthService({ stores, clock, notifier }: ServiceDeps) {
  const rateLimited = () => new AppError(ErrorCode.RATE_LIMITED, '登录失败次数过多，请 15 分钟后再试');

  return {
    /** Only failures count towards the limits; a success does not reset them. */
    async login({ username, password }: LoginInput, ip: string): Promise<AuthenticatedSession> {
      const now = clock.now();
      const subject = username.toLowerCase();
      const [byName, byIp] = await Promise.all([
        stores.rateLimits.count('login-user', subject, now, WINDOW_MS),
        stores.rateLimits.count('login-ip', ip, now, WINDOW_MS),
      ]);
      if (byName >= MAX_FAILURES_PER_USERNAME || byIp >= MAX_FAILURES_PER_IP) throw rateLimited();

      const user = await stores.users.findByUsername(username);
      const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyPassword(await timingDummyHash(), `x${password}`);
      if (!user || !ok) {
        await Promise.all([
          stores.rateLimits.record('login-user', subject, now, WINDOW_MS),
          stores.rateLimits.record('login-ip', ip, now, WINDOW_MS),
        ]);
        throw new AppError(ErrorCode.INVALID_CREDENTIALS, '用户名或密码错误');
      }
      if (user.disabled) throw new AppError(ErrorCode.FORBIDDEN, '该账号已停用，请联系支部书记或管理员');
      const session = await stores.sessions.create(user.id, now);
      return { user: publicUser(user), session };
    },

    async logout(session: Session): Promise<void> {
      await stores.sessions.destroy(session);
      notifier.sessionsEnded([session.id], 'logout');
    },

    /** The session behind a cookie, renewed; null when it expired or its user can no longer log in. */
    async resolve(sessionId: string): Promise<AuthenticatedSession | null> {
      const session = await stores.sessions.touch(sessionId);
      if (!session) return null;
      const user = await stores.users.get(session.userId);
      if (!user || user.disabled) {
        await stores.sessions.destroy(session);
        return null;
      }
      return { user: publicUser(user), session };
    },

    /** Users change their own password; their other sessions end. */
    async changePassword(auth: AuthenticatedSession, input: ChangePasswordInput): Promise<void> {
      const user = await stores.users.get(auth.user.id);
      if (!user) throw new AppError(ErrorCode.UNAUTHENTICATED, '请先登录');
      if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
        throw invalidInput('当前密码不正确', [{ path: 'currentPassword', message: '当前密码不正确' }]);
      }
      const passwordHash = await hashPassword(input.newPassword);
      await stores.users.update(user.id, user.branchId, { passwordHash, mustChangePassword: false });
      const ended = await stores.sessions.destroyAllFor(user.id, auth.session.id);
      notifier.sessionsEnded(ended, 'password-changed');
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
