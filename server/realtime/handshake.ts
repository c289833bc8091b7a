import type { Socket } from 'socket.io';
import type { AuthService } from '../services/authService';
import { readSessionId } from '../http/session';

/** An Origin is accepted when it is the app's own (same host as the request) or on the allowlist. */
export function originAllowed(origin: string | undefined, host: string | undefined, allowlist: string[]): boolean {
  if (!origin) return true; // non-browser clients send none
  if (allowlist.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Attaches the session's user to the socket, or marks it a guest; refuses foreign origins. */
export function handshakeMiddleware(auth: AuthService, allowlist: string[]) {
  return async (socket: Socket, next: (err?: Error) => void) => {
    const { headers } = socket.handshake;
    if (!originAllowed(headers.origin, headers.host, allowlist)) {
      const err = new Error('FORBIDDEN') as Error & { data?: unknown };
      err.data = { code: 'FORBIDDEN', message: '不允许的来源' };
      return next(err);
    }
    try {
      const sid = readSessionId(headers.cookie);
      const resolved = sid ? await auth.resolve(sid) : null;
      socket.data.user = resolved?.user ?? null;
      socket.data.sessionId = resolved?.session.id ?? null;
      if (resolved) {
        void socket.join([`session:${resolved.session.id}`, `user:${resolved.user.id}`]);
      }
      next();
    } catch {
      const err = new Error('UNAVAILABLE') as Error & { data?: unknown };
      err.data = { code: 'UNAVAILABLE', message: '服务暂时不可用' };
      next(err);
    }
  };
}
