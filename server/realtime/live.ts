import type { Namespace, Server } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/events';
import type { AuthService } from '../services/authService';
import type { SessionEndReason, SocketNotifier } from '../services/deps';
import type { Logger } from '../infra/logger';
import type { LiveGamesService } from '../services/liveGamesService';
import { registerGameEvents } from './gameEvents';
import { handshakeMiddleware } from './handshake';
import { socketClientIp, type Trust } from './clientIp';
import type { Inflight } from '../infra/inflight';

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type LiveNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface LiveSetup {
  auth: AuthService;
  games: LiveGamesService;
  logger: Logger;
  allowlist: string[];
  /** The compiled TRUST_PROXY: which proxies may speak for the client (its IP, its scheme). */
  trust: Trust;
  inflight: Inflight;
  /** Another process closed a question: send the results to this process's player sockets. */
  deliverLocal(gameId: string, index: number): Promise<void>;
  dropLocal(gameId: string, playerId: string, event: 'player:kicked' | 'player:replaced', exceptSocketId?: string): void;
}

export function setupLiveNamespace(io: LiveServer, setup: LiveSetup): LiveNamespace {
  const live = io.of('/live');
  live.use(handshakeMiddleware(setup.auth, setup.allowlist, setup.trust));
  live.on('connection', (socket) => {
    socket.on('session:whoami', (_payload, ack) => {
      if (typeof ack !== 'function') return;
      ack({ ok: true, user: socket.data.user });
    });
    registerGameEvents(socket, {
      games: setup.games,
      auth: setup.auth,
      logger: setup.logger,
      inflight: setup.inflight,
      clientIp: (s) => socketClientIp(s.handshake, setup.trust),
    });
  });
  live.on('game:deliverResults', (gameId: string, index: number) => {
    void setup.inflight.track(setup.deliverLocal(gameId, index).catch((err: unknown) => setup.logger.error({ err, gameId }, 'delivering results failed')));
  });
  live.on('game:dropPlayer', (gameId: string, playerId: string, event: 'player:kicked' | 'player:replaced', exceptSocketId: string) => {
    setup.dropLocal(gameId, playerId, event, exceptSocketId);
  });
  return live;
}

/** What the notifier needs of a namespace: rooms to tell and to disconnect (both /live and /study have them). */
interface SessionSockets {
  to(rooms: string | string[]): { emit(event: 'session:ended', payload: { reason: SessionEndReason | 'account-changed' }): unknown };
  in(rooms: string | string[]): { disconnectSockets(close?: boolean): void };
}

/** Ends the sockets of ended sessions, or of a changed account, on every namespace: each gets `session:ended`, then is disconnected. */
export function createSocketNotifier(getNamespaces: () => (SessionSockets | null)[]): SocketNotifier {
  const each = (f: (nsp: SessionSockets) => void) => {
    for (const nsp of getNamespaces()) if (nsp) f(nsp);
  };
  return {
    sessionsEnded(sessionIds: string[], reason: SessionEndReason) {
      if (sessionIds.length === 0) return;
      const rooms = sessionIds.map((id) => `session:${id}`);
      each((nsp) => {
        nsp.to(rooms).emit('session:ended', { reason });
        nsp.in(rooms).disconnectSockets(true);
      });
    },
    userChanged(userId: string) {
      each((nsp) => {
        nsp.to(`user:${userId}`).emit('session:ended', { reason: 'account-changed' });
        nsp.in(`user:${userId}`).disconnectSockets(true);
      });
    },
  };
}
