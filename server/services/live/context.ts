import type { User } from '../../../shared/schemas/users';
import { forbidden, notFound, unauthenticated } from '../../domain/errors';
import type { GamePhase } from '../../domain/gamePhase';
import type { GameMeta, GamesStore } from '../../store/gamesStore';
import type { LiveAnswersStore } from '../../store/liveAnswersStore';
import type { GameSnapshot, QuizzesStore } from '../../store/quizzesStore';
import type { ServiceDeps } from '../deps';
import type { GameReportsService } from '../gameReportsService';
import type { LiveOutput } from '../liveOutput';
import type { LiveTimers } from '../liveTimers';
import type { Presence } from '../presence';
import type { QuizzesService } from '../quizzesService';

export interface LiveGamesDeps {
  games: GamesStore;
  answers: LiveAnswersStore;
  quizzes: QuizzesService;
  quizStore: QuizzesStore;
  reports: GameReportsService;
  output: () => LiveOutput;
  timers: LiveTimers;
  presence: Presence;
}

const CACHE_LIMIT = 500;

/** A bounded map for immutable per-game data (snapshots, metas, results): a cache, never the record. */
export function boundedCache<V>(limit = CACHE_LIMIT) {
  const map = new Map<string, V>();
  return {
    get: (k: string) => map.get(k),
    set(k: string, v: V) {
      if (map.size >= limit && !map.has(k)) map.delete(map.keys().next().value as string);
      map.set(k, v);
    },
    delete: (k: string) => map.delete(k),
  };
}

/** What every part of the game lifecycle shares: the stores, and cached reads of a game's fixed data. */
export function createLiveContext(deps: ServiceDeps, live: LiveGamesDeps) {
  const snapshots = boundedCache<GameSnapshot>();
  const metas = boundedCache<GameMeta>();

  async function meta(gameId: string): Promise<GameMeta> {
    const cached = metas.get(gameId);
    if (cached) return cached;
    const m = await live.games.meta(gameId);
    if (!m) throw notFound('对局');
    metas.set(gameId, m);
    return m;
  }

  async function snapshot(gameId: string): Promise<GameSnapshot> {
    const cached = snapshots.get(gameId);
    if (cached) return cached;
    const s = await live.quizStore.getSnapshot(gameId);
    if (!s) throw notFound('对局');
    snapshots.set(gameId, s);
    return s;
  }

  async function state(gameId: string): Promise<GamePhase> {
    const s = await live.games.state(gameId);
    if (!s) throw notFound('对局');
    return s;
  }

  /** The actor may run this game: its host, or an admin. (The transport has re-checked the session and role.) */
  async function requireHost(actor: User | null, gameId: string): Promise<GameMeta> {
    if (!actor) throw unauthenticated();
    const m = await meta(gameId);
    if (actor.role !== 'admin' && actor.id !== m.hostId) throw forbidden('只有主持人可以操作对局');
    return m;
  }

  return {
    ...deps,
    ...live,
    meta,
    snapshot,
    state,
    requireHost,
    remember(m: GameMeta, snap: GameSnapshot) {
      metas.set(m.id, m);
      snapshots.set(m.id, snap);
    },
    /** A finished game's snapshot is not needed any more. */
    forgetSnapshot: (gameId: string) => snapshots.delete(gameId),
  };
}

export type LiveContext = ReturnType<typeof createLiveContext>;
