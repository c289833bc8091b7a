import type { Request, RequestHandler, Response } from 'express';
import { parse as parseCookie } from 'cookie';
import type { User } from '../../shared/schemas/users';
import { unauthenticated, forbidden } from '../domain/errors';
import { assertPasswordChanged } from '../domain/permissions';
import type { AuthenticatedSession, AuthService } from '../services/authService';
import type { Role } from '../../shared/schemas/users';

export const SESSION_COOKIE = 'sid';

export function readSessionId(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  return parseCookie(cookieHeader)[SESSION_COOKIE] ?? null;
}

/** What an account that must change its password may still do (paths under /api). */
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set(['GET /me', 'POST /me/password', 'POST /auth/logout', 'POST /auth/login']);

/**
 * Attaches the signed-in user (if any) to res.locals.auth. Rejects only one thing: while the user must change
 * the password, every route but the few above answers 403 PASSWORD_CHANGE_REQUIRED.
 */
export function sessionMiddleware(auth: AuthService): RequestHandler {
  return async (req, res, next) => {
    const sid = readSessionId(req.headers.cookie);
    const current = sid ? await auth.resolve(sid) : null;
    res.locals.auth = current;
    if (!ALLOWED_BEFORE_PASSWORD_CHANGE.has(`${req.method} ${req.path}`)) assertPasswordChanged(current?.user);
    next();
  };
}

export function authOf(res: Response): AuthenticatedSession {
  const auth = res.locals.auth as AuthenticatedSession | null | undefined;
  if (!auth) throw unauthenticated();
  return auth;
}

/** The signed-in user, after checking the role: 401 before 403. */
export function requireUser(res: Response, ...roles: Role[]): User {
  const { user } = authOf(res);
  if (roles.length > 0 && !roles.includes(user.role)) throw forbidden();
  return user;
}

/** Middleware form of requireUser, for routes whose body is parsed later (uploads). */
export const requireRole =
  (...roles: Role[]): RequestHandler =>
  (_req: Request, res, next) => {
    requireUser(res, ...roles);
    next();
  };
