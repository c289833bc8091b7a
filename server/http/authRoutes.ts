import { Router, type CookieOptions } from 'express';
import { parse as parseCookie } from 'cookie';
import { changePasswordSchema, loginSchema } from '../../shared/schemas/auth';
import type { Config } from '../config';
import type { AuthService } from '../services/authService';
import { DEVICE_COOKIE } from '../services/deviceCookies';
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
  // Only the login reads the device cookie, so only the login is sent it.
  const deviceCookieOptions: CookieOptions = { ...cookieOptions, sameSite: 'strict', path: '/api/auth/login', maxAge: 365 * 24 * 3600_000 };

  router.post('/auth/login', async (req, res) => {
    const input = validate(loginSchema, req.body);
    const device = req.headers.cookie ? parseCookie(req.headers.cookie)[DEVICE_COOKIE] : undefined;
    const { user, session, deviceCookie } = await auth.login(input, req.ip ?? 'unknown', device);
    // The server expires idle sessions; the cookie just has to outlive that.
    res.cookie(SESSION_COOKIE, session.id, { ...cookieOptions, maxAge: 30 * 24 * 3600_000 });
    res.cookie(DEVICE_COOKIE, deviceCookie, deviceCookieOptions);
    res.json({ user });
  });

  router.post('/auth/logout', async (_req, res) => {
    const current = res.locals.auth as ReturnType<typeof authOf> | null;
    if (current) await auth.logout(current.session);
    res.clearCookie(SESSION_COOKIE, cookieOptions);
    res.status(204).end();
  });

  // Signed out is an ordinary answer here, not an error: the client asks on every page load (issue 9 item 10).
  router.get('/me', (_req, res) => {
    const current = res.locals.auth as ReturnType<typeof authOf> | null;
    res.json({ user: current?.user ?? null });
  });

  router.post('/me/password', async (req, res) => {
    const current = authOf(res);
    await auth.changePassword(current, validate(changePasswordSchema, req.body));
    res.status(204).end();
  });

  return router;
}
