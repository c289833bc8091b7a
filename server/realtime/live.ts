import type { Namespace, Server } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/events';
import type { AuthService } from '../services/authService';
import type { SessionEndReason, SocketNotifier } from '../services/deps';
import type { Logger } from '../infra/logger';
import type { LiveGamesService } from '../services/liveGamesService';
import { registerGameEvents } from './gameEvents';
import { handshakeMiddleware } from './handshake';
import type { Inflight } from '../infra/inflight';

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type LiveNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface LiveSetup {
  auth: AuthService;
  games: LiveGamesService;
  logger: Logger;
  allowlist: string[];
  trustProxy: boolean;
  inflight: Inflight;
  /** Another process closed a question: send the results to this process's player sockets. */
  deliverLocal(gameId: string, index: number): Promise<void>;
  dropLocal(gameId: string, playerId: string, event: 'player:kicked' | 'player:replaced', exceptSocketId?: string): void;
}

export function setupLiveNamespace(io: LiveServer, setup: LiveSetup): LiveNamespace {
  const live = io.of('/live');
  live.use(handshakeMiddleware(setup.auth, setup.allowlist));
  live.on('connection', (socket) => {
    socket.on('session:whoami', (_payload, ack) => {
      if (typeof ack !== 'function') return;
      ack({ ok: true, user: socket.data.user });
    });
    registerGameEvents(socket, setup.games, setup.logger, setup.trustProxy, setup.inflight);
  });
  live.on('game:deliverResults', (gameId: string, index: number) => {
    void setup.inflight.track(setup.deliverLocal(gameId, index).catch((err: unknown) => setup.logger.error({ err, gameId }, 'delivering results failed')));
  });
  live.on('game:dropPlayer', (gameId: string, playerId: string, event: 'player:kicked' | 'player:replaced', exceptSocketId: string) => {
    setup.dropLocal(gameId, playerId, event, exceptSocketId);
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
