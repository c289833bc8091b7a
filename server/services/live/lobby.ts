import { randomBytes, randomInt } from 'node:crypto';
import type { GameHostAck, GameJoinAck } from '../../../shared/events';
import type { GameCreateInput, GameJoinInput } from '../../../shared/schemas/live';
import type { User } from '../../../shared/schemas/users';
import { ErrorCode } from '../../../shared/errors';
import { AppError, forbidden, invalidInput, liveError, notFound, unauthenticated } from '../../domain/errors';
import { isStaff } from '../../domain/permissions';
import { PIN_LOOKUP_LIMIT } from '../../domain/attemptLimits';
import { newId } from '../../store/ids';
import type { GameMeta, JoinRefusal, StoredPlayer } from '../../store/gamesStore';
import type { LiveContext } from './context';
import type { Questions } from './questions';

/** Members' display names are read at most this often per process (a guest join must not list every user). */
const MEMBER_NAMES_TTL_MS = 30_000;

const nameKey = (name: string) => name.trim().toLowerCase();

function refusal(code: Exclude<JoinRefusal, 'NOT_FOUND' | 'FORBIDDEN' | 'NICKNAME_REQUIRED'>): AppError {
  const messages = {
    WRONG_PHASE: '竞答已经结束',
    GAME_LOCKED: '主持人已锁定本场竞答，暂不接受新的参与者',
    NICKNAME_TAKEN: '昵称已被使用，请换一个',
    GAME_FULL: '本场竞答人数已满',
    RATE_LIMITED: '加入过于频繁，请稍后再试',
  } as const;
  return liveError(ErrorCode[code], messages[code]);
}

/** Creating a game, joining it (and coming back), the host attaching, and who stays in the lobby. */
export function createLobby(ctx: LiveContext, questions: Questions) {
  const { clock, config, games } = ctx;
  let memberNames: { at: number; names: Set<string> } | null = null;

  /** Active members' display names, compared trimmed and case-insensitively: a guest may not take one. */
  async function isMemberName(nickname: string): Promise<boolean> {
    const now = clock.now();
    if (!memberNames || now - memberNames.at > MEMBER_NAMES_TTL_MS) {
      const users = await ctx.stores.users.list();
      memberNames = { at: now, names: new Set(users.filter((u) => !u.disabled).map((u) => nameKey(u.displayName))) };
    }
    return memberNames.names.has(nameKey(nickname));
  }

  /** The game of a PIN; wrong PINs are counted per address in the same Redis step, right ones cost nothing. */
  async function findGame(ip: string, pin: string): Promise<string> {
    const found = await games.findByPinLimited(pin, ip, clock.now(), PIN_LOOKUP_LIMIT);
    if ('gameId' in found) return found.gameId;
    if (found.refused === 'RATE_LIMITED') throw liveError(ErrorCode.RATE_LIMITED, 'PIN 输错次数过多，请几分钟后再试');
    throw notFound('该 PIN 对应的竞答');
  }

  async function kickOne(gameId: string, playerId: string): Promise<boolean> {
    if (!(await games.kick(gameId, playerId))) return false;
    ctx.output().dropPlayer(gameId, playerId, 'player:kicked');
    return true;
  }

  return {
    async create(actor: User | null, input: GameCreateInput): Promise<{ gameId: string; pin: string }> {
      if (!actor) throw unauthenticated();
      if (!isStaff(actor)) throw forbidden('只有管理员和支部书记可以发起竞答');
      const gameId = newId();
      const quiz = await ctx.quizzes.get(actor, input.quizId);
      const snap = await ctx.quizzes.snapshotForGame(actor, input.quizId, gameId);
      const base = {
        id: gameId,
        quizId: quiz.id,
        title: quiz.title,
        hostId: actor.id,
        hostName: actor.displayName,
        branchId: actor.role === 'secretary' ? actor.branchId : (quiz.branchId ?? actor.branchId ?? null),
        createdAt: clock.now(),
        total: snap.questions.length,
        settings: { allowGuests: input.allowGuests, teamMode: input.teamMode, speedBonus: input.speedBonus, streakBonus: input.streakBonus, timeLimitSec: snap.timeLimitSec },
      };
      for (let attempt = 0; attempt < 50; attempt++) {
        const pin = String(randomInt(0, 1_000_000)).padStart(6, '0');
        const m: GameMeta = { ...base, pin };
        if (await games.create(m, snap.timeLimitSec * 1000)) {
          ctx.remember(m, snap);
          return { gameId, pin };
        }
      }
      throw new AppError(ErrorCode.UNAVAILABLE, '暂时无法分配 PIN，请稍后再试');
    },

    /** A player joins, or comes back (token, or the same account). The caller then sends what the phase needs. */
    async join(actor: User | null, ip: string, input: GameJoinInput): Promise<GameJoinAck & { isNew: boolean }> {
      const gameId = await findGame(ip, input.pin);
      const m = await ctx.meta(gameId);
      if (!actor && !m.settings.allowGuests) throw unauthenticated('本场竞答需要登录后参加');
      if (!actor && !input.nickname && !input.rejoinToken) throw invalidInput('请输入昵称', [{ path: 'nickname', message: '请输入昵称' }]);
      const player: StoredPlayer = {
        id: newId(),
        nickname: actor ? actor.displayName : (input.nickname ?? ''),
        userId: actor?.id ?? null,
        branchId: actor?.branchId ?? null,
        token: randomBytes(18).toString('base64url'),
        joinedAt: clock.now(),
      };
      const outcome = await games.join(gameId, {
        rejoinToken: input.rejoinToken,
        userId: actor?.id ?? null,
        player,
        maxPlayers: config.maxPlayersPerGame,
        ip,
        guestsPerMinute: config.guestJoinsPerMinute,
        // Refused only for a new player: a guest coming back with its token keeps the name it has.
        nicknameReserved: !actor && input.nickname !== undefined && (await isMemberName(input.nickname)),
      });
      if (!outcome.ok) {
        if (outcome.code === 'FORBIDDEN') throw forbidden('你已被主持人移出本场竞答');
        if (outcome.code === 'NOT_FOUND') throw notFound('对局');
        if (outcome.code === 'NICKNAME_REQUIRED') throw invalidInput('请输入昵称', [{ path: 'nickname', message: '请输入昵称' }]);
        throw refusal(outcome.code);
      }
      const stored = outcome.isNew ? player : await games.player(gameId, outcome.playerId);
      const s = await questions.currentState(gameId);
      questions.armTimer(gameId, s);
      const joined: GameJoinAck & { isNew: boolean } = {
        gameId,
        playerId: outcome.playerId,
        rejoinToken: outcome.token,
        phase: s.phase,
        serverNow: await games.serverTime(), // the clock deadlines are measured by
        nickname: stored?.nickname ?? player.nickname,
        title: m.title,
        guest: (stored?.userId ?? player.userId) === null,
        isNew: outcome.isNew,
      };
      if (s.phase === 'question') joined.answered = await games.hasAnswered(gameId, s.index, outcome.playerId);
      if (outcome.isNew) ctx.output().rosterChanged(gameId);
      return joined;
    },

    async host(actor: User | null, gameId: string): Promise<GameHostAck> {
      const m = await ctx.requireHost(actor, gameId);
      const s = await questions.currentState(gameId);
      questions.armTimer(gameId, s);
      return { pin: m.pin, phase: s.phase, index: 'index' in s ? s.index : -1, locked: await games.locked(gameId), title: m.title };
    },

    /** The player's other sockets give way to `socketId`, on whichever process they are. */
    replaceDevices(gameId: string, playerId: string, socketId: string): void {
      ctx.output().dropPlayer(gameId, playerId, 'player:replaced', socketId);
    },

    async kick(actor: User | null, gameId: string, playerId: string): Promise<void> {
      await ctx.requireHost(actor, gameId);
      if (!(await kickOne(gameId, playerId))) throw notFound('玩家');
      ctx.output().rosterChanged(gameId);
      await questions.checkEarlyClose(gameId);
    },

    /** Kicks every guest at once (a flood of guests, or a members-only round after all). */
    async kickGuests(actor: User | null, gameId: string): Promise<{ removed: number }> {
      await ctx.requireHost(actor, gameId);
      let removed = 0;
      for (const p of await games.players(gameId)) {
        if (p.userId === null && (await kickOne(gameId, p.id))) removed += 1;
      }
      if (removed > 0) ctx.output().rosterChanged(gameId);
      await questions.checkEarlyClose(gameId);
      return { removed };
    },

    /** While locked, only players already in the game may (re)join. */
    async lock(actor: User | null, gameId: string, locked: boolean): Promise<void> {
      await ctx.requireHost(actor, gameId);
      await games.setLocked(gameId, locked);
      ctx.output().rosterChanged(gameId);
    },
  };
}

export type Lobby = ReturnType<typeof createLobby>;
