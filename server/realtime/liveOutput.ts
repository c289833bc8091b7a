import type { GameAnswersPayload, GameFinishedPayload, LeaderboardPayload, QuestionClosePayload, QuestionOpenPayload } from '../../shared/events';
import type { LiveNamespace } from './live';
import type { LiveGamesService } from '../services/liveGamesService';
import type { LiveOutput } from '../services/liveOutput';
import type { Logger } from '../infra/logger';
import { rooms } from './rooms';
import type { Inflight } from '../infra/inflight';

/** How often at most the host consoles get `game:players` / `game:answers`, however many players act. */
const HOST_FEED_MS = 300;
/** Results sent before yielding to the event loop, so acks and other games are not held up by a big room. */
const RESULTS_PER_TURN = 500;

/**
 * The game service's way out to sockets. Room events go through the adapter (every process);
 * player results are sent by each process to its own sockets, from one read of the scores.
 */
export function createLiveOutput(getLive: () => LiveNamespace, getGames: () => LiveGamesService, logger: Logger, inflight: Inflight): LiveOutput & {
  deliverLocal(gameId: string, index: number): Promise<void>;
  dropLocal(gameId: string, playerId: string, event: 'player:kicked' | 'player:replaced', exceptSocketId?: string): void;
  /** Set once the Redis adapter links this process to the others. */
  multiProcess: boolean;
  /** Stops the host feed: pending updates are dropped (the process is going away with its sockets). */
  stop(): void;
} {
  const pending = new Map<string, { roster: boolean; answers: number | null }>();
  const feedTimers = new Set<NodeJS.Timeout>();
  let stopped = false;

  async function flush(gameId: string) {
    const work = pending.get(gameId);
    pending.delete(gameId);
    if (!work) return;
    const live = getLive().to(rooms.hosts(gameId));
    if (work.roster) live.emit('game:players', await getGames().rosterView(gameId));
    if (work.answers !== null) live.emit('game:answers', await getGames().answersView(gameId, work.answers));
  }

  function schedule(gameId: string, change: { roster?: true; answers?: number }) {
    if (stopped) return;
    let work = pending.get(gameId);
    if (!work) {
      work = { roster: false, answers: null };
      pending.set(gameId, work);
      const timer = setTimeout(() => {
        feedTimers.delete(timer);
        void inflight.track(flush(gameId).catch((err: unknown) => logger.error({ err, gameId }, 'host feed failed')));
      }, HOST_FEED_MS);
      feedTimers.add(timer);
    }
    if (change.roster) work.roster = true;
    if (change.answers !== undefined) work.answers = change.answers;
  }

  async function deliverLocal(gameId: string, index: number) {
    const live = getLive();
    const ids = live.adapter.rooms.get(rooms.game(gameId));
    if (!ids || ids.size === 0) return;
    const results = await getGames().resultsFor(gameId, index);
    let sent = 0;
    for (const id of [...ids]) {
      if (++sent % RESULTS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
      const socket = live.sockets.get(id);
      const playerId = socket?.data.gameId === gameId ? socket.data.playerId : undefined;
      const result = playerId ? results.get(playerId) : undefined;
      if (socket && result) socket.emit('player:result', result);
    }
  }

  /** This process's sockets of the player (but the one taking over) hear why, then are disconnected. */
  function dropLocal(gameId: string, playerId: string, event: 'player:kicked' | 'player:replaced', exceptSocketId?: string) {
    const live = getLive();
    const ids = live.adapter.rooms.get(rooms.player(gameId, playerId));
    for (const id of [...(ids ?? [])]) {
      const socket = live.sockets.get(id);
      if (!socket || id === exceptSocketId) continue;
      socket.emit(event, { gameId });
      socket.disconnect(true);
    }
  }

  const output = {
    multiProcess: false,
    stop() {
      stopped = true;
      for (const timer of feedTimers) clearTimeout(timer);
      feedTimers.clear();
      pending.clear();
    },
    questionOpened: (gameId: string, payload: QuestionOpenPayload) => void getLive().to(rooms.game(gameId)).emit('question:open', payload),
    questionClosed: (gameId: string, payload: QuestionClosePayload) => void getLive().to(rooms.game(gameId)).emit('question:close', payload),
    leaderboard: (gameId: string, payload: LeaderboardPayload) => void getLive().to(rooms.game(gameId)).emit('leaderboard', payload),
    finished: (gameId: string, payload: GameFinishedPayload) => void getLive().to(rooms.game(gameId)).emit('game:finished', payload),
    answersFinal(gameId: string, payload: GameAnswersPayload) {
      // A throttled count still pending would arrive after this exact one and show less: it gives way.
      const work = pending.get(gameId);
      if (work) work.answers = null;
      getLive().to(rooms.hosts(gameId)).emit('game:answers', payload);
    },
    async deliverResults(gameId: string, index: number) {
      if (output.multiProcess) getLive().serverSideEmit('game:deliverResults', gameId, index);
      await deliverLocal(gameId, index).catch((err: unknown) => logger.error({ err, gameId }, 'delivering results failed'));
    },
    dropPlayer(gameId: string, playerId: string, event: 'player:kicked' | 'player:replaced', exceptSocketId?: string) {
      dropLocal(gameId, playerId, event, exceptSocketId);
      if (output.multiProcess) getLive().serverSideEmit('game:dropPlayer', gameId, playerId, event, exceptSocketId ?? '');
    },
    rosterChanged: (gameId: string) => schedule(gameId, { roster: true }),
    answersChanged: (gameId: string, index: number) => schedule(gameId, { answers: index }),
    deliverLocal,
    dropLocal,
  };
  return output;
}
