import { randomBytes, randomInt } from 'node:crypto';
import type { PlayerResultPayload, QuestionClosePayload, QuestionOpenPayload, LeaderboardPayload } from '../../shared/events';
import type { AnswerSubmitInput, GameCreateInput, GameJoinInput, LivePhase } from '../../shared/schemas/live';
import type { User } from '../../shared/schemas/users';
import { ErrorCode } from '../../shared/errors';
import { AppError, forbidden, invalidInput, liveError, notFound, unauthenticated } from '../domain/errors';
import { dueStep, endGame, nextStep, startGame, type GamePhase, type Step } from '../domain/gamePhase';
import { answerFits, branchStandings, distribution, leaderboardTop, podium, rankPlayers } from '../domain/liveResults';
import { isStaff } from '../domain/permissions';
import { isCorrect, type AnswerValue } from '../domain/scoring';
import { newId } from '../store/ids';
import type { GameMeta, GamesStore, StoredPlayer } from '../store/gamesStore';
import type { LiveAnswersStore } from '../store/liveAnswersStore';
import type { GameSnapshot, QuizzesStore } from '../store/quizzesStore';
import type { ServiceDeps } from './deps';
import type { LiveOutput } from './liveOutput';
import type { LiveTimers } from './liveTimers';
import type { QuizzesService } from './quizzesService';
import type { GameReportsService } from './gameReportsService';

/** What the room saw at a close, kept for players who come back during the reveal. */
export interface StoredReveal {
  close: QuestionClosePayload;
  leaderboard: LeaderboardPayload;
  answered: number;
  correct: number;
}

/** A socket's place in a game after it joined. */
export interface Joined {
  gameId: string;
  playerId: string;
  rejoinToken: string;
  phase: LivePhase;
  serverNow: number;
  answered?: boolean;
}

export interface LiveGamesDeps {
  games: GamesStore;
  answers: LiveAnswersStore;
  quizzes: QuizzesService;
  quizStore: QuizzesStore;
  reports: GameReportsService;
  output: () => LiveOutput;
  timers: LiveTimers;
}

/** Failed PIN lookups allowed per IP in the window, so PINs cannot be guessed by brute force. */
const PIN_FAILURES = 30;
const PIN_WINDOW_MS = 5 * 60_000;
const CACHE_LIMIT = 500;
const ROSTER_SHOWN = 300;

/** A bounded map for immutable per-game data (snapshots, metas): a cache, never the record. */
function boundedCache<V>() {
  const map = new Map<string, V>();
  return {
    get: (k: string) => map.get(k),
    set(k: string, v: V) {
      if (map.size >= CACHE_LIMIT) map.delete(map.keys().next().value as string);
      map.set(k, v);
    },
    delete: (k: string) => map.delete(k),
  };
}

const phaseName = (s: GamePhase): LivePhase => s.phase;
const indexOf = (s: GamePhase) => ('index' in s ? s.index : -1);

export function createLiveGamesService(deps: ServiceDeps, live: LiveGamesDeps) {
  const { clock, logger, config } = deps;
  const { games, answers } = live;
  const snapshots = boundedCache<GameSnapshot>();
  const metas = boundedCache<GameMeta>();
  /** The latest close's per-player results in this process, so delivering them needs no second read. */
  const lastResults = boundedCache<{ index: number; results: Map<string, PlayerResultPayload> }>();

  async function meta(gameId: string): Promise<GameMeta> {
    const cached = metas.get(gameId);
    if (cached) return cached;
    const m = await games.meta(gameId);
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
    const s = await games.state(gameId);
    if (!s) throw notFound('对局');
    return s;
  }

  /** The state as it should be now: a question whose deadline passed (say, while no server ran) is closed first. */
  async function currentState(gameId: string): Promise<GamePhase> {
    const s = await state(gameId);
    const due = dueStep(s, clock.now());
    if (!due || s.phase !== 'question') return s;
    await closeOpenQuestion(gameId, s.index);
    return state(gameId);
  }

  async function requireHost(actor: User | null, gameId: string): Promise<GameMeta> {
    if (!actor) throw unauthenticated();
    const m = await meta(gameId);
    if (actor.role !== 'admin' && actor.id !== m.hostId) throw forbidden('只有主持人可以操作对局');
    return m;
  }

  const shape = (m: GameMeta) => ({ total: m.total, timeLimitMs: m.settings.timeLimitSec * 1000 });

  async function openPayload(gameId: string, s: Extract<GamePhase, { phase: 'question' }>): Promise<QuestionOpenPayload> {
    const snap = await snapshot(gameId);
    const q = snap.questions[s.index]!;
    return {
      gameId,
      index: s.index,
      total: snap.questions.length,
      question: { id: q.id, type: q.type, text: q.text, options: q.options },
      timeLimitMs: s.closesAt - s.openedAt,
      openedAt: s.openedAt,
      closesAt: s.closesAt,
      serverNow: clock.now(),
    };
  }

  function armTimer(gameId: string, s: GamePhase): void {
    if (s.phase !== 'question') return;
    live.timers.arm(gameId, s.index, s.closesAt, () =>
      closeOpenQuestion(gameId, s.index).then(
        () => undefined,
        (err: unknown) => logger.error({ err, gameId }, 'closing a question failed'),
      ),
    );
  }

  /** Per-player results of a closed question, from one read of the game's scores. */
  async function computeResults(gameId: string, index: number) {
    const m = await meta(gameId);
    const snap = await snapshot(gameId);
    const data = await games.closeData(gameId, index);
    const ranked = rankPlayers(
      data.players.map((p) => ({ id: p.id, nickname: p.nickname, branchId: p.branchId })),
      data.scores,
    );
    const results = new Map<string, PlayerResultPayload>();
    for (const r of ranked) {
      const points = Number(data.points[r.playerId] ?? 0);
      results.set(r.playerId, {
        gameId,
        index,
        correct: r.playerId in data.answers && points > 0,
        points,
        score: r.score,
        rank: r.rank,
        streak: Number(data.streaks[r.playerId] ?? 0),
      });
    }
    const q = snap.questions[index]!;
    const given = Object.values(data.answers).map((raw) => parseAnswer(raw));
    const valid = given.filter((a): a is AnswerValue => a !== null);
    const close: QuestionClosePayload = {
      gameId,
      index,
      correctAnswer: q.answer,
      explanation: q.explanation,
      source: q.source,
      distribution: distribution(q, valid),
    };
    const leaderboard: LeaderboardPayload = { gameId, index, top: leaderboardTop(ranked), totalPlayers: ranked.length };
    if (m.settings.teamMode === 'branch') leaderboard.branches = branchStandings(ranked, await live.reports.branchNames());
    const reveal: StoredReveal = { close, leaderboard, answered: valid.length, correct: valid.filter((a) => isCorrect(q, a)).length };
    return { results, reveal, ranked };
  }

  /** Closes question `index` if it is still open; the one caller that closes it tells the room. */
  async function closeOpenQuestion(gameId: string, index: number): Promise<boolean> {
    if (!(await answers.close(gameId, index))) return false;
    live.timers.clear(gameId);
    const { results, reveal } = await computeResults(gameId, index);
    lastResults.set(gameId, { index, results });
    await games.saveReveal(gameId, index, reveal);
    await games.touch(gameId, clock.now());
    const out = live.output();
    out.toGame(gameId, 'question:close', reveal.close);
    // Each player's own result first: the leaderboard to a big room costs as much again and can wait.
    await out.deliverResults(gameId, index);
    out.toGame(gameId, 'leaderboard', reveal.leaderboard);
    return true;
  }

  async function open(gameId: string, from: GamePhase, to: Extract<GamePhase, { phase: 'question' }>): Promise<void> {
    if (!(await games.transition(gameId, from, to))) throw liveError(ErrorCode.WRONG_PHASE, '对局状态已变化，请重试');
    armTimer(gameId, to);
    await games.touch(gameId, clock.now());
    live.output().toGame(gameId, 'question:open', await openPayload(gameId, to));
  }

  async function finish(gameId: string, from: GamePhase): Promise<void> {
    if (!(await games.transition(gameId, from, { phase: 'finished' }))) throw liveError(ErrorCode.WRONG_PHASE, '对局状态已变化，请重试');
    live.timers.clear(gameId);
    const report = await finalise(gameId);
    live.output().toGame(gameId, 'game:finished', { gameId, podium: podiumOf(report.players) });
  }

  const podiumOf = (players: { playerId: string; nickname: string; score: number; rank: number }[]) =>
    podium(players.map((p) => ({ ...p, branchId: null })));

  /** Writes the record and each member's result; safe to run again (the sweep does, after a crash). */
  async function finalise(gameId: string) {
    const m = await meta(gameId);
    const report = await live.reports.build(m, await snapshot(gameId), clock.now());
    await live.reports.save(m, report);
    snapshots.delete(gameId);
    lastResults.delete(gameId);
    return report;
  }

  /** Applies a phase step from the domain: closes, opens or finishes, each exactly once. */
  async function apply(gameId: string, from: GamePhase, step: Step): Promise<void> {
    if (!step.ok) throw liveError(ErrorCode.WRONG_PHASE, '当前阶段不能这样操作');
    let current = from;
    for (const event of step.events) {
      if (event.type === 'question:close') {
        await closeOpenQuestion(gameId, event.index);
        current = { phase: 'reveal', index: event.index };
      }
    }
    if (step.state.phase === 'question') await open(gameId, current, step.state);
    if (step.state.phase === 'finished') await finish(gameId, current);
  }

  /** Per-player results of question `index`: this process's copy from the close, else read once. */
  async function resultsFor(gameId: string, index: number): Promise<Map<string, PlayerResultPayload>> {
    const cached = lastResults.get(gameId);
    if (cached?.index === index) return cached.results;
    const { results } = await computeResults(gameId, index);
    lastResults.set(gameId, { index, results });
    return results;
  }

  async function checkEarlyClose(gameId: string): Promise<void> {
    const s = await games.state(gameId);
    if (s?.phase === 'question' && (await games.allOnlineAnswered(gameId, s.index))) await closeOpenQuestion(gameId, s.index);
  }

  function parseAnswer(raw: string): AnswerValue | null {
    try {
      return JSON.parse(raw.slice(raw.indexOf('|') + 1)) as AnswerValue;
    } catch {
      return null;
    }
  }

  return {
    meta,
    state,

    async create(actor: User | null, input: GameCreateInput): Promise<{ gameId: string; pin: string }> {
      if (!actor) throw unauthenticated();
      if (!isStaff(actor)) throw forbidden('只有管理员和支部书记可以发起竞答');
      const gameId = newId();
      const quiz = await live.quizzes.get(actor, input.quizId);
      const snap = await live.quizzes.snapshotForGame(actor, input.quizId, gameId);
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
          metas.set(gameId, m);
          snapshots.set(gameId, snap);
          return { gameId, pin };
        }
      }
      throw new AppError(ErrorCode.UNAVAILABLE, '暂时无法分配 PIN，请稍后再试');
    },

    /** A player joins, or comes back (token, or the same account). The caller then sends what the phase needs. */
    async join(actor: User | null, ip: string, input: GameJoinInput): Promise<Joined> {
      const now = clock.now();
      if ((await deps.stores.rateLimits.count('pin', ip, now, PIN_WINDOW_MS)) >= PIN_FAILURES) {
        throw liveError(ErrorCode.RATE_LIMITED, 'PIN 输错次数过多，请几分钟后再试');
      }
      const gameId = await games.findByPin(input.pin);
      if (!gameId) {
        await deps.stores.rateLimits.record('pin', ip, now, PIN_WINDOW_MS);
        throw notFound('该 PIN 对应的竞答');
      }
      const m = await meta(gameId);
      if (!actor && !m.settings.allowGuests) throw unauthenticated('本场竞答需要登录后参加');
      if (!actor && !input.nickname && !input.rejoinToken) throw invalidInput('请输入昵称', [{ path: 'nickname', message: '请输入昵称' }]);
      const player: StoredPlayer = {
        id: newId(),
        nickname: actor ? actor.displayName : (input.nickname ?? ''),
        userId: actor?.id ?? null,
        branchId: actor?.branchId ?? null,
        token: randomBytes(18).toString('base64url'),
        joinedAt: now,
      };
      const outcome = await games.join(gameId, { rejoinToken: input.rejoinToken, userId: actor?.id ?? null, player, maxPlayers: config.maxPlayersPerGame });
      if (!outcome.ok) {
        if (outcome.code === 'FORBIDDEN') throw forbidden('你已被主持人移出本场竞答');
        if (outcome.code === 'NOT_FOUND') throw notFound('对局');
        if (outcome.code === 'NICKNAME_TAKEN' && !actor && !input.nickname) throw invalidInput('请输入昵称');
        throw liveError(ErrorCode[outcome.code], outcome.code === 'GAME_FULL' ? '本场竞答人数已满' : outcome.code === 'NICKNAME_TAKEN' ? '昵称已被使用，请换一个' : '竞答已经结束');
      }
      const s = await currentState(gameId);
      armTimer(gameId, s);
      const joined: Joined = { gameId, playerId: outcome.playerId, rejoinToken: outcome.token, phase: phaseName(s), serverNow: clock.now() };
      if (s.phase === 'question') joined.answered = await games.hasAnswered(gameId, s.index, outcome.playerId);
      if (outcome.isNew) live.output().rosterChanged(gameId);
      return joined;
    },

    async host(actor: User | null, gameId: string): Promise<{ pin: string; phase: LivePhase; index: number }> {
      const m = await requireHost(actor, gameId);
      const s = await currentState(gameId);
      armTimer(gameId, s);
      return { pin: m.pin, phase: phaseName(s), index: indexOf(s) };
    },

    /** The events a (re)joining socket needs to catch up with the phase; the player's result only for players. */
    async catchUp(gameId: string, playerId: string | null): Promise<{ event: string; payload: unknown }[]> {
      const s = await state(gameId);
      if (s.phase === 'question') return [{ event: 'question:open', payload: await openPayload(gameId, s) }];
      if (s.phase === 'reveal') {
        const reveal = await games.reveal<StoredReveal>(gameId, s.index);
        if (!reveal) return [];
        const out: { event: string; payload: unknown }[] = [{ event: 'question:close', payload: reveal.close }];
        if (playerId) {
          const result = (await resultsFor(gameId, s.index)).get(playerId);
          if (result) out.push({ event: 'player:result', payload: result });
        }
        out.push({ event: 'leaderboard', payload: reveal.leaderboard });
        return out;
      }
      if (s.phase === 'finished') {
        const report = (await live.reports.record(gameId)) ?? (await finalise(gameId));
        return [{ event: 'game:finished', payload: { gameId, podium: podiumOf(report.players) } }];
      }
      return [];
    },

    resultsFor,

    /** For the host's lobby: the count, and the newest players (a projector cannot show ten thousand names). */
    async rosterView(gameId: string) {
      const roster = await games.players(gameId);
      const shown = roster.slice(-ROSTER_SHOWN);
      return { gameId, count: roster.length, players: shown.map((p) => ({ playerId: p.id, nickname: p.nickname, branchId: p.branchId, guest: p.userId === null })) };
    },

    async answersView(gameId: string, index: number) {
      const [answered, total] = await Promise.all([games.answeredCount(gameId, index), games.playerCount(gameId)]);
      return { gameId, index, answered, total };
    },

    async start(actor: User | null, gameId: string): Promise<void> {
      const m = await requireHost(actor, gameId);
      const s = await state(gameId);
      await apply(gameId, s, startGame(s, clock.now(), shape(m)));
    },

    async next(actor: User | null, gameId: string): Promise<void> {
      const m = await requireHost(actor, gameId);
      const s = await state(gameId);
      await apply(gameId, s, nextStep(s, clock.now(), shape(m)));
    },

    async end(actor: User | null, gameId: string): Promise<void> {
      await requireHost(actor, gameId);
      const s = await state(gameId);
      await apply(gameId, s, endGame(s));
    },

    /** The player's other sockets give way to `socketId`, on whichever process they are. */
    replaceDevices(gameId: string, playerId: string, socketId: string): void {
      live.output().dropPlayer(gameId, playerId, 'player:replaced', socketId);
    },

    async kick(actor: User | null, gameId: string, playerId: string): Promise<void> {
      await requireHost(actor, gameId);
      if (!(await games.kick(gameId, playerId))) throw notFound('玩家');
      const out = live.output();
      out.dropPlayer(gameId, playerId, 'player:kicked');
      out.rosterChanged(gameId);
      await checkEarlyClose(gameId);
    },

    /**
     * Validates and records one answer; the ack never says whether it was right. `mayClose` says this may have been
     * the last connected player's answer: the caller acks first, then runs `closeIfAllAnswered`, so the closing
     * answer's ack does not wait for the whole close.
     */
    async submit(gameId: string, playerId: string, input: AnswerSubmitInput): Promise<{ mayClose: boolean }> {
      const snap = await snapshot(gameId);
      const q = snap.questions[input.index];
      if (!q) throw liveError(ErrorCode.WRONG_PHASE, '这道题还没有开始');
      if (!answerFits(q, input.answer)) throw invalidInput('答案格式不正确', [{ path: 'answer', message: '答案与题型不符或选项越界' }]);
      const now = clock.now();
      const outcome = await answers.accept(gameId, playerId, input.index, now, JSON.stringify(input.answer), isCorrect(q, input.answer));
      if (!outcome.ok) {
        if (outcome.code === 'NOT_FOUND') throw notFound('对局');
        throw liveError(ErrorCode[outcome.code], outcome.code === 'ALREADY_ANSWERED' ? '已经作答' : outcome.code === 'TOO_LATE' ? '本题已结束' : '这道题还没有开始');
      }
      live.output().answersChanged(gameId, input.index);
      return { mayClose: outcome.online > 0 && outcome.answered >= outcome.online };
    },

    async closeIfAllAnswered(gameId: string, index: number): Promise<void> {
      if (await games.allOnlineAnswered(gameId, index)) await closeOpenQuestion(gameId, index);
    },

    /** Presence of a player's socket; leaving may make "everyone connected answered" true. */
    async presence(gameId: string, playerId: string, delta: 1 | -1): Promise<void> {
      await games.presence(gameId, playerId, delta);
      if (delta < 0) await checkEarlyClose(gameId);
    },

    checkEarlyClose,

    /**
     * Re-arms timers of open questions (after a restart, or when another process died), closes overdue ones,
     * finalises finished games a crash left behind, and ends games idle for too long.
     */
    async sweep(): Promise<void> {
      const now = clock.now();
      for (const { id, lastActivity } of await games.liveGames()) {
        try {
          const s = await games.state(id);
          if (!s) continue;
          if (s.phase === 'finished') {
            await finalise(id);
          } else if (now - lastActivity >= config.gameIdleMs) {
            logger.info({ gameId: id }, 'ending an idle game');
            await apply(id, s, endGame(s)).catch((err: unknown) => {
              if (!(err instanceof AppError)) throw err;
            });
          } else {
            armTimer(id, s);
          }
        } catch (err) {
          logger.error({ err, gameId: id }, 'game sweep failed');
        }
      }
    },
  };
}

export type LiveGamesService = ReturnType<typeof createLiveGamesService>;
