import { Router, type CookieOptions } from 'express';
import { changePasswordSchema, loginSchema } from '../../shared/schemas/auth';
import type { Config } from '../config';
import type { AuthService } from '../services/authService';
import { authOf, SESSION_COOKIE } from './session';
import { validate } from './validate';

export function authRoutes(auth: AuthService, config: Config): Router {
  const router = Router();
  const cookieOptions: CookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    path: '/',
  };

  router.post('/auth/login', async (req, res) => {
    const input = validate(loginSchema, req.body);
    const { user, session } = await auth.login(input, req.ip ?? 'unknown');
    // The server expires idle sessions; the cookie just has to outlive that.
    res.cookie(SESSION_COOKIE, session.id, { ...cookieOptions, maxAge: 30 * 24 * 3600_000 });
    res.json({ user });
  });

  router.post('/auth/logout', async (_req, res) => {
    const current = res.locals.auth as ReturnType<typeof authOf> | null;
    if (current) await auth.logout(current.session);
    res.clearCookie(SESSION_COOKIE, cookieOptions);
    res.status(204).end();
  });

  router.get('/me', (_req, res) => {
    res.json({ user: authOf(res).user });
  });

  router.post('/me/password', async (req, res) => {
    const current = authOf(res);
    await auth.changePassword(current, validate(changePasswordSchema, req.body));
    res.status(204).end();
  });

  return router;
}
