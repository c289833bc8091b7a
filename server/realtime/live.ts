import type { Namespace, Server } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/events';
import type { AuthService } from '../services/authService';
import type { SessionEndReason, SocketNotifier } from '../services/deps';
import { handshakeMiddleware } from './handshake';

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type LiveNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export function setupLiveNamespace(io: LiveServer, auth: AuthService, allowlist: string[]): LiveNamespace {
  const live = io.of('/live');
  live.use(handshakeMiddleware(auth, allowlist));
  live.on('connection', (socket) => {
    socket.on('session:whoami', (_payload, ack) => {
      if (typeof ack !== 'function') return;
      ack({ ok: true, user: socket.data.user });
    });
  });
  return live;
}

/** Ends the sockets of ended sessions: each gets `session:ended`, then is disconnected. */
export function createSocketNotifier(getLive: () => LiveNamespace | null): SocketNotifier {
  return {
    sessionsEnded(sessionIds: string[], reason: SessionEndReason) {
      const live = getLive();
      if (!live || sessionIds.length === 0) return;
      const rooms = sessionIds.map((id) => `session:${id}`);
      live.to(rooms).emit('session:ended', { reason });
      live.in(rooms).disconnectSockets(true);
    },
  };
}
