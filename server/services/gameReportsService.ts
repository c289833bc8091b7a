import type { ListResult } from '../../shared/schemas/common';
import type { GameReport, GameSummary, MyGameResult } from '../../shared/schemas/live';
import type { User } from '../../shared/schemas/users';
import { forbidden, notFound } from '../domain/errors';
import { branchStandings, rankPlayers } from '../domain/liveResults';
import type { BranchesStore } from '../store/branchesStore';
import type { GameMeta, GamesStore } from '../store/gamesStore';
import type { GameSnapshot, QuizzesStore } from '../store/quizzesStore';
import type { StoredReveal } from '../domain/liveResults';
import { answerDetails, branchRoll, type ReportDetail } from '../domain/gameReportDetail';
import type { GameReportDataStore } from '../store/gameReportDataStore';
import type { UsersStore } from '../store/usersStore';
import { gameReportWorkbook } from './gameReportExport';

/** Admins see every game; a secretary their branch's and their own; anyone the games they hosted. */
const canSee = (actor: User, m: Pick<GameMeta, 'hostId' | 'branchId'>) =>
  actor.role === 'admin' || actor.id === m.hostId || (actor.role === 'secretary' && m.branchId !== null && m.branchId === actor.branchId);

/**
 * What finalise keeps: the report the API returns, and the detail only exports read (every answer, the branch
 * roll), stored apart so reading a report never parses every answer. Exports never go back to the raw game keys
 * once both are written.
 */
export type GameRecord = GameReport & { detail?: ReportDetail };

/** The report as the API returns it: the export's detail stays on the server. */
function publicReport(r: GameRecord): GameReport {
  const { detail: _detail, ...report } = r;
  return report;
}

export interface GameReportsExtraDeps {
  users: UsersStore;
  data: GameReportDataStore;
  /** Told once the record is stored (issue 11: logged-in players' answers go to the review); must not throw. */
  finished?: (report: GameRecord) => Promise<void>;
}

export function createGameReportsService(games: GamesStore, branches: BranchesStore, quizzes: QuizzesStore, { users, data, finished }: GameReportsExtraDeps) {
  async function branchNames(): Promise<Map<string, string>> {
    return new Map((await branches.list()).map((b) => [b.id, b.name]));
  }

  /** Every answer of the asked questions, and for a branch's game who of its members took no part. */
  async function detailOf(m: Pick<GameMeta, 'id' | 'branchId' | 'hostId'>, report: GameReport): Promise<ReportDetail> {
    const [given, opened] = await Promise.all([data.answers(m.id, report.questions.map((q) => q.index)), data.openedTimes(m.id)]);
    const roll = m.branchId ? branchRoll(m.branchId, await users.list(m.branchId), report.players.map((p) => p.userId), m.hostId) : null;
    return { answers: answerDetails(report.questions, given, opened), roll };
  }

  /** A report from the live keys: every player with score, correct count and rank; every closed question. */
  async function reportOf(m: GameMeta, snap: GameSnapshot, now: number): Promise<GameReport> {
    const state = await games.state(m.id);
    const roster = await games.players(m.id);
    const standings = await games.standings(m.id);
    const ranked = rankPlayers(roster.map((p) => ({ id: p.id, nickname: p.nickname, branchId: p.branchId, guest: p.userId === null })), standings.scores);
    const byId = new Map(roster.map((p) => [p.id, p]));
    const reveals = await games.reveals<StoredReveal>(m.id);
    const report: GameReport = {
      id: m.id,
      quizId: m.quizId,
      title: m.title,
      hostId: m.hostId,
      hostName: m.hostName,
      branchId: m.branchId,
      createdAt: m.createdAt,
      finishedAt: state?.phase === 'finished' ? now : null,
      phase: state?.phase ?? 'finished',
      settings: m.settings,
      totalQuestions: m.total,
      players: ranked.map((r) => ({
        playerId: r.playerId,
        nickname: r.nickname,
        userId: byId.get(r.playerId)?.userId ?? null,
        branchId: r.branchId,
        score: r.score,
        guest: r.guest,
        correct: Number(standings.correct[r.playerId] ?? 0),
        rank: r.rank,
      })),
      questions: [...reveals.entries()]
        .sort(([a], [b]) => a - b)
        .map(([index, rv]) => {
          const q = snap.questions[index]!;
          return { index, id: q.id, type: q.type, text: q.text, options: q.options, correctAnswer: q.answer, answered: rv.answered, correct: rv.correct, distribution: rv.close.distribution };
        }),
    };
    if (m.settings.teamMode === 'branch') report.branches = branchStandings(ranked, await branchNames());
    return report;
  }

  /** The stored report, or one built from the live keys while the game runs. */
  async function load(actor: User, gameId: string): Promise<{ meta: GameMeta; report: GameReport }> {
    const m = await games.meta(gameId);
    if (!m) throw notFound('对局');
    if (!canSee(actor, m)) throw forbidden('没有权限查看这场竞答');
    const record = await games.record(gameId);
    if (record) return { meta: m, report: record };
    const snap = await quizzes.getSnapshot(gameId);
    if (!snap) throw notFound('对局');
    return { meta: m, report: await reportOf(m, snap, Date.now()) };
  }

  return {
    branchNames,

    /** The final report with its detail, for `save`. */
    async build(m: GameMeta, snap: GameSnapshot, now: number): Promise<GameRecord> {
      const report = await reportOf(m, snap, now);
      return { ...report, detail: await detailOf(m, report) };
    },

    record: (gameId: string) => games.record(gameId),

    /** Notes when question `index` opened, so the report can give each answer's time (the state forgets it at the close). */
    questionOpened: (gameId: string, index: number, openedAt: number) => data.questionOpened(gameId, index, openedAt),

    /** Stores the final record (with its detail, from `build`) and appends each logged-in member's result to their study record. */
    async save(m: GameMeta, report: GameRecord): Promise<void> {
      const finishedAt = report.finishedAt ?? Date.now();
      const results = report.players
        .filter((p): p is typeof p & { userId: string } => p.userId !== null)
        .map((p) => ({
          userId: p.userId,
          result: { gameId: m.id, title: m.title, finishedAt, score: p.score, rank: p.rank, correct: p.correct, total: report.questions.length, players: report.players.length } satisfies MyGameResult,
        }));
      // The detail first: a crash before the record leaves the game live, and the sweep's finalise writes both again.
      if (report.detail) await data.saveDetail(m.id, report.detail);
      await games.finalise(m, publicReport(report), results, m.total);
      if (finished) await finished(report);
    },

    async list(actor: User): Promise<ListResult<GameSummary>> {
      const metas = (await games.metas(await games.allGameIds())).filter((m) => canSee(actor, m));
      const items = await Promise.all(
        metas.map(async (m): Promise<GameSummary> => {
          const [record, state, players] = await Promise.all([games.record(m.id), games.state(m.id), games.playerCount(m.id)]);
          const phase = record ? 'finished' : (state?.phase ?? 'finished');
          return { id: m.id, title: m.title, pin: phase === 'finished' ? null : m.pin, phase, hostId: m.hostId, hostName: m.hostName, branchId: m.branchId, createdAt: m.createdAt, finishedAt: record?.finishedAt ?? null, players: record ? record.players.length : players };
        }),
      );
      return { items, total: items.length };
    },

    /** Games running now (not finished) the actor may see, with their player counts: the leader dashboard. */
    async running(actor: User): Promise<{ id: string; title: string; branchId: string | null; players: number }[]> {
      const live = await games.liveGames();
      const metas = (await games.metas(live.map((g) => g.id))).filter((m) => canSee(actor, m));
      return Promise.all(metas.map(async (m) => ({ id: m.id, title: m.title, branchId: m.branchId, players: await games.playerCount(m.id) })));
    },

    async get(actor: User, gameId: string): Promise<GameReport> {
      return (await load(actor, gameId)).report;
    },

    /** The report workbook. A running game, or one finalised before the detail was kept, reads it from the game's keys. */
    async exportXlsx(actor: User, gameId: string): Promise<{ filename: string; asciiName: string; body: Buffer }> {
      if (actor.role === 'member') throw forbidden('成员不能导出成绩');
      const { meta, report } = await load(actor, gameId);
      const detail = (await data.detail(gameId)) ?? (await detailOf(meta, report));
      return gameReportWorkbook({ report, detail, branchNames: await branchNames() });
    },

    async myGames(actor: User): Promise<ListResult<MyGameResult>> {
      const items = await games.userResults(actor.id);
      return { items, total: items.length };
    },
  };
}

export type GameReportsService = ReturnType<typeof createGameReportsService>;
