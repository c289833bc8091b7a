import { ErrorCode } from '../../shared/errors';
import type { ChangePasswordInput, LoginInput } from '../../shared/schemas/auth';
import type { User } from '../../shared/schemas/users';
import { AppError, invalidInput } from '../domain/errors';
import { publicUser } from '../store/usersStore';
import type { Session } from '../store/sessionsStore';
import { loginCounters } from '../domain/attemptLimits';
import { createSecretsStore } from '../store/secretsStore';
import { createDeviceCookies } from './deviceCookies';
import type { ServiceDeps } from './deps';
import { hashPassword, timingDummyHash, verifyPassword } from './passwords';

export interface AuthenticatedSession {
  user: User;
  session: Session;
}

export interface LoginResult extends AuthenticatedSession {
  /** A new device cookie value proving this browser logged in as this user (see deviceCookies.ts). */
  deviceCookie: string;
}

const RATE_LIMITED_MESSAGE: Record<string, string> = {
  'login-user': '该账号近期登录失败次数过多，请稍后再试，或在曾经登录过的设备上登录',
};

export function createAuthService({ stores, clock, notifier, redis, config }: ServiceDeps) {
  const devices = createDeviceCookies(createSecretsStore(redis));

  return {
    /**
     * The attempt takes its place in the limits before the password is checked, atomically (issue 9 item 11), so a
     * burst cannot get more guesses checked than the limits allow; a right password gives the place back, so only
     * failures count. A browser holding this user's device cookie is counted on its own (issue 9 item 12).
     */
    async login({ username, password }: LoginInput, ip: string, deviceCookie?: string): Promise<LoginResult> {
      const user = await stores.users.findByUsername(username);
      const deviceNonce = user ? await devices.verify(deviceCookie, user.id) : null;
      const counters = loginCounters({ username: username.toLowerCase(), ip, deviceNonce }, config.loginMaxFailuresPerIp);
      const attempt = await stores.rateLimits.reserve(counters, clock.now());
      if (!attempt.ok) {
        throw new AppError(ErrorCode.RATE_LIMITED, RATE_LIMITED_MESSAGE[attempt.limitedBy.scope] ?? '登录失败次数过多，请 15 分钟后再试');
      }

      const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyPassword(await timingDummyHash(), `x${password}`);
      if (!user || !ok) throw new AppError(ErrorCode.INVALID_CREDENTIALS, '用户名或密码错误');
      await attempt.release();
      if (user.disabled) throw new AppError(ErrorCode.FORBIDDEN, '该账号已停用，请联系支部书记或管理员');
      const session = await stores.sessions.create(user.id, clock.now());
      return { user: publicUser(user), session, deviceCookie: await devices.issue(user.id) };
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
