import { randomBytes } from 'node:crypto';
import type { GameReport, GameSettings, LivePhase, MyGameResult } from '../../shared/schemas/live';
import type { GamePhase } from '../domain/gamePhase';
import type { RedisClient } from '../infra/redis';
import { keys } from './keys';
import { LuaScript } from './scripts';
import type { PresenceScope } from './presenceStore';
import findPinLua from './scripts/findPin.lua?raw';
import joinPlayerLua from './scripts/joinPlayer.lua?raw';
import allOnlineAnsweredLua from './scripts/allOnlineAnswered.lua?raw';
import setPhaseLua from './scripts/setPhase.lua?raw';
import kickPlayerLua from './scripts/kickPlayer.lua?raw';

const joinScript = new LuaScript(joinPlayerLua);
const findPinScript = new LuaScript(findPinLua);
const allAnsweredScript = new LuaScript(allOnlineAnsweredLua);
const setPhaseScript = new LuaScript(setPhaseLua);
const kickScript = new LuaScript(kickPlayerLua);

/** What never changes in a game once it is created. */
export interface GameMeta {
  id: string;
  pin: string;
  quizId: string;
  title: string;
  hostId: string;
  hostName: string;
  branchId: string | null;
  createdAt: number;
  settings: GameSettings;
  total: number;
}

export interface StoredPlayer {
  id: string;
  nickname: string;
  userId: string | null;
  branchId: string | null;
  token: string;
  joinedAt: number;
}

export type JoinRefusal = 'NOT_FOUND' | 'FORBIDDEN' | 'WRONG_PHASE' | 'NICKNAME_REQUIRED' | 'GAME_LOCKED' | 'NICKNAME_TAKEN' | 'GAME_FULL' | 'RATE_LIMITED';
export type JoinOutcome = { ok: true; playerId: string; token: string; isNew: boolean } | { ok: false; code: JoinRefusal };

/** Where a game's presence lives: the `online` hash and the state's `online` counter, which the answer script reads. */
export const gamePresenceScope = (gameId: string): PresenceScope => ({
  members: keys.gameOnline(gameId),
  processes: keys.gamePresenceProcesses(gameId),
  ofProcess: (processId) => keys.gamePresenceOf(gameId, processId),
  counter: { key: keys.gameState(gameId), field: 'online' },
});

/** Everything a close needs, read in one round trip. */
export interface CloseData {
  answers: Record<string, string>;
  points: Record<string, string>;
  scores: Map<string, number>;
  streaks: Record<string, string>;
  correct: Record<string, string>;
  players: StoredPlayer[];
}

/** Game keys that only matter while a game runs; they expire some days after it is finalised. */
const FINISHED_TTL_SEC = 3 * 24 * 3600;

function parsePhase(raw: Record<string, string>): GamePhase | null {
  const index = Number(raw.index ?? -1);
  switch (raw.phase as LivePhase | undefined) {
    case 'lobby':
      return { phase: 'lobby' };
    case 'question':
      return { phase: 'question', index, openedAt: Number(raw.openedAt), closesAt: Number(raw.closesAt) };
    case 'reveal':
      return { phase: 'reveal', index };
    case 'finished':
      return { phase: 'finished' };
    default:
      return null;
  }
}

/** The fields of the state hash that a phase writes (the answer script reads them). */
function phaseFields(state: GamePhase): string[] {
  const fields = ['phase', state.phase, 'index', String('index' in state ? state.index : -1)];
  if (state.phase === 'question') fields.push('openedAt', String(state.openedAt), 'closesAt', String(state.closesAt));
  return fields;
}

const expected = (state: GamePhase): [string, string] => [state.phase, 'index' in state ? String(state.index) : '*'];

export function createGamesStore(redis: RedisClient) {
  return {
    /** Reserves the PIN (false when another live game holds it) and writes the new game in the lobby. */
    async create(meta: GameMeta, timeLimitMs: number): Promise<boolean> {
      const reserved = await redis.hSetNX(keys.gamePins(), meta.pin, meta.id);
      if (!reserved) return false;
      const s = meta.settings;
      await redis
        .multi()
        .set(keys.gameMeta(meta.id), JSON.stringify(meta))
        .hSet(keys.gameState(meta.id), {
          phase: 'lobby',
          index: '-1',
          timeLimitMs: String(timeLimitMs),
          speedBonus: s.speedBonus ? '1' : '0',
          streakBonus: s.streakBonus ? '1' : '0',
          online: '0',
        })
        .zAdd(keys.gamesLive(), { score: meta.createdAt, value: meta.id })
        .zAdd(keys.gamesAll(), { score: meta.createdAt, value: meta.id })
        .exec();
      return true;
    },

    findByPin: (pin: string) => redis.hGet(keys.gamePins(), pin),

    /** The game of a PIN, counting a wrong PIN against the address in the same step (see findPin.lua). */
    async findByPinLimited(pin: string, ip: string, now: number, limit: { limit: number; windowMs: number }): Promise<{ gameId: string } | { refused: 'NOT_FOUND' | 'RATE_LIMITED' }> {
      const member = `${now}-${randomBytes(6).toString('hex')}`;
      const [status, value] = (await findPinScript.run(redis, [keys.gamePins(), keys.rateLimit('pin', ip)], [pin, now, limit.windowMs, limit.limit, member])) as [string, string];
      return status === 'OK' ? { gameId: value } : { refused: value as 'NOT_FOUND' | 'RATE_LIMITED' };
    },

    async meta(gameId: string): Promise<GameMeta | null> {
      const raw = await redis.get(keys.gameMeta(gameId));
      return raw ? (JSON.parse(raw) as GameMeta) : null;
    },

    async metas(gameIds: string[]): Promise<GameMeta[]> {
      if (gameIds.length === 0) return [];
      const raws = await redis.mGet(gameIds.map(keys.gameMeta));
      return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as GameMeta);
    },

    async state(gameId: string): Promise<GamePhase | null> {
      return parsePhase(await redis.hGetAll(keys.gameState(gameId)));
    },

    /** Moves from `from` to `to` only if the game is still in `from`: one of several racing callers wins. */
    async transition(gameId: string, from: GamePhase, to: GamePhase): Promise<boolean> {
      const fields = phaseFields(to);
      if (to.phase !== 'question') fields.push('openedAt', '', 'closesAt', '');
      return (await setPhaseScript.run(redis, [keys.gameState(gameId)], [...expected(from), ...fields])) === 1;
    },

    /**
     * Joins a new player, or finds the returning one (token, or the same account). New players are refused while
     * the game is locked; new guests beyond `guestsPerMinute` from `ip` get RATE_LIMITED, and a new guest whose
     * nickname is reserved (a member's name) NICKNAME_TAKEN.
     */
    async join(
      gameId: string,
      args: { rejoinToken?: string; userId: string | null; player: StoredPlayer; maxPlayers: number; ip: string; guestsPerMinute: number; nicknameReserved: boolean },
    ): Promise<JoinOutcome> {
      const g = gameId;
      const [status, a, b, c] = (await joinScript.run(
        redis,
        [keys.gameState(g), keys.gamePlayers(g), keys.gameNicknames(g), keys.gameUsers(g), keys.gameTokens(g), keys.gameKicked(g), keys.gameScores(g), keys.gameGuestJoins(g, args.ip)],
        [args.rejoinToken ?? '', args.userId ?? '', args.player.id, args.player.nickname.toLowerCase(), JSON.stringify(args.player), args.player.token, args.maxPlayers, args.guestsPerMinute, args.nicknameReserved ? 1 : 0],
      )) as [string, string, string?, string?];
      if (status !== 'OK') return { ok: false, code: a as JoinRefusal };
      return { ok: true, playerId: a, token: b!, isNew: c === 'new' };
    },

    /** Locks (no new players) or unlocks the game; the caller has checked that the game exists. */
    async setLocked(gameId: string, locked: boolean): Promise<void> {
      await redis.hSet(keys.gameState(gameId), 'locked', locked ? '1' : '0');
    },

    async locked(gameId: string): Promise<boolean> {
      return (await redis.hGet(keys.gameState(gameId), 'locked')) === '1';
    },

    /** Redis's clock (ms): the one every deadline and every answer's time is measured by. */
    async serverTime(): Promise<number> {
      const [seconds, micros] = await redis.time();
      return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    },

    /** Whether question `index` is open and every connected player (at least one) has answered it. */
    async allOnlineAnswered(gameId: string, index: number): Promise<boolean> {
      const g = gameId;
      return (await allAnsweredScript.run(redis, [keys.gameOnline(g), keys.gameAnswers(g, index), keys.gameState(g)], [String(index)])) === 1;
    },

    async kick(gameId: string, playerId: string): Promise<boolean> {
      const g = gameId;
      return (await kickScript.run(redis, [keys.gamePlayers(g), keys.gameKicked(g), keys.gameScores(g), keys.gameOnline(g), keys.gameState(g)], [playerId])) === 1;
    },

    async player(gameId: string, playerId: string): Promise<StoredPlayer | null> {
      const raw = await redis.hGet(keys.gamePlayers(gameId), playerId);
      return raw ? (JSON.parse(raw) as StoredPlayer) : null;
    },

    async players(gameId: string): Promise<StoredPlayer[]> {
      const all = await redis.hVals(keys.gamePlayers(gameId));
      return all.map((r) => JSON.parse(r) as StoredPlayer).sort((a, b) => a.joinedAt - b.joinedAt);
    },

    playerCount: (gameId: string) => redis.hLen(keys.gamePlayers(gameId)),
    answeredCount: (gameId: string, index: number) => redis.hLen(keys.gameAnswers(gameId, index)),
    hasAnswered: async (gameId: string, index: number, playerId: string) => (await redis.hExists(keys.gameAnswers(gameId, index), playerId)) === 1,

    /** Notes activity so the idle sweep leaves the game alone. */
    async touch(gameId: string, now: number): Promise<void> {
      await redis.zAdd(keys.gamesLive(), { score: now, value: gameId }, { XX: true });
    },

    /** Games not finalised, with their last activity. */
    async liveGames(): Promise<{ id: string; lastActivity: number }[]> {
      const rows = await redis.zRangeWithScores(keys.gamesLive(), 0, -1);
      return rows.map((r) => ({ id: r.value, lastActivity: r.score }));
    },

    async closeData(gameId: string, index: number): Promise<CloseData> {
      const g = gameId;
      const [answers, points, scores, streaks, correct, players] = await redis
        .multi()
        .hGetAll(keys.gameAnswers(g, index))
        .hGetAll(keys.gamePoints(g, index))
        .zRangeWithScores(keys.gameScores(g), 0, -1)
        .hGetAll(keys.gameStreaks(g))
        .hGetAll(keys.gameCorrect(g))
        .hVals(keys.gamePlayers(g))
        .execTyped();
      return {
        answers,
        points,
        scores: new Map(scores.map((s) => [s.value, s.score])),
        streaks,
        correct,
        players: players.map((r) => JSON.parse(r) as StoredPlayer).sort((a, b) => a.joinedAt - b.joinedAt),
      };
    },

    /** Scores and correct counts of every player. */
    async standings(gameId: string): Promise<{ scores: Map<string, number>; correct: Record<string, string> }> {
      const [scores, correct] = await redis.multi().zRangeWithScores(keys.gameScores(gameId), 0, -1).hGetAll(keys.gameCorrect(gameId)).execTyped();
      return { scores: new Map(scores.map((s) => [s.value, s.score])), correct };
    },

    /** What the room saw when a question closed, kept for rejoining players and the report. */
    async saveReveal(gameId: string, index: number, reveal: object): Promise<void> {
      await redis.hSet(keys.gameReveals(gameId), String(index), JSON.stringify(reveal));
    },

    async reveal<T>(gameId: string, index: number): Promise<T | null> {
      const raw = await redis.hGet(keys.gameReveals(gameId), String(index));
      return raw ? (JSON.parse(raw) as T) : null;
    },

    async reveals<T>(gameId: string): Promise<Map<number, T>> {
      const all = await redis.hGetAll(keys.gameReveals(gameId));
      return new Map(Object.entries(all).map(([k, v]) => [Number(k), JSON.parse(v) as T]));
    },

    /**
     * Writes the final record and each member's result, frees the PIN and leaves the live list.
     * Idempotent: a process that died half-way is finished by the next sweep.
     */
    async finalise(meta: GameMeta, report: GameReport, results: { userId: string; result: MyGameResult }[], totalQuestions: number): Promise<void> {
      const g = meta.id;
      const tx = redis.multi().set(keys.gameRecord(g), JSON.stringify(report));
      for (const { userId, result } of results) {
        tx.hSet(keys.userGameResults(userId), g, JSON.stringify(result)).zAdd(keys.userGames(userId), { score: result.finishedAt, value: g });
      }
      const ephemeral = [keys.gameNicknames(g), keys.gameOnline(g), ...Array.from({ length: totalQuestions }, (_, i) => keys.gamePoints(g, i))];
      for (const k of ephemeral) tx.expire(k, FINISHED_TTL_SEC);
      await tx.exec();
      // Only now: a crash before this line leaves the game in the live list, and the sweep finalises it again.
      await redis.multi().hDel(keys.gamePins(), meta.pin).zRem(keys.gamesLive(), g).exec();
    },

    async record(gameId: string): Promise<GameReport | null> {
      const raw = await redis.get(keys.gameRecord(gameId));
      return raw ? (JSON.parse(raw) as GameReport) : null;
    },

    /** Every game id, newest first. */
    allGameIds: () => redis.zRange(keys.gamesAll(), 0, -1, { REV: true }),

    async userResults(userId: string): Promise<MyGameResult[]> {
      const ids = await redis.zRange(keys.userGames(userId), 0, -1, { REV: true });
      if (ids.length === 0) return [];
      const raws = await redis.hmGet(keys.userGameResults(userId), ids);
      return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as MyGameResult);
    },
  };
}

export type GamesStore = ReturnType<typeof createGamesStore>;
