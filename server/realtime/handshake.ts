import type { Socket } from 'socket.io';
import type { AuthService } from '../services/authService';
import { readSessionId } from '../http/session';
import { socketProtocol, type Trust } from './clientIp';

const TRUST_NONE: Trust = () => false;

/**
 * An Origin is accepted when it is on the allowlist or is exactly the app's own: same scheme, host and port
 * as the request (`ownOrigin`, e.g. `http://host:3000`). An https page on the same host is another origin.
 */
export function originAllowed(origin: string | undefined, ownOrigin: string, allowlist: string[]): boolean {
  if (!origin) return true; // non-browser clients send none
  if (allowlist.includes(origin)) return true;
  try {
    // URL drops default ports, so `https://a` and `https://a:443` compare equal.
    return new URL(origin).origin === new URL(ownOrigin).origin;
  } catch {
    return false;
  }
}

/** The origin the browser sees for this handshake: its scheme (from a trusted proxy, if any) and its Host. */
function ownOriginOf(handshake: Socket['handshake'], trust: Trust): string {
  return `${socketProtocol(handshake, trust)}://${handshake.headers.host ?? ''}`;
}

/**
 * Attaches the session's user to the socket, or marks it a guest; refuses foreign origins.
 * `trust` is the compiled TRUST_PROXY (see clientIp.ts): only a trusted proxy's X-Forwarded-Proto counts.
 */
export function handshakeMiddleware(auth: AuthService, allowlist: string[], trust: Trust = TRUST_NONE) {
  return async (socket: Socket, next: (err?: Error) => void) => {
    const { headers } = socket.handshake;
    if (!originAllowed(headers.origin, ownOriginOf(socket.handshake, trust), allowlist)) {
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
