import type { ListResult } from '../../shared/schemas/common';
import type { GameReport, GameSummary, MyGameResult } from '../../shared/schemas/live';
import type { User } from '../../shared/schemas/users';
import { forbidden, notFound } from '../domain/errors';
import { branchStandings, rankPlayers } from '../domain/liveResults';
import type { BranchesStore } from '../store/branchesStore';
import type { GameMeta, GamesStore } from '../store/gamesStore';
import type { GameSnapshot, QuizzesStore } from '../store/quizzesStore';
import type { StoredReveal } from './liveGamesService';
import { writeXlsx } from './spreadsheet';

/** Admins see every game; a secretary their branch's and their own; anyone the games they hosted. */
const canSee = (actor: User, m: Pick<GameMeta, 'hostId' | 'branchId'>) =>
  actor.role === 'admin' || actor.id === m.hostId || (actor.role === 'secretary' && m.branchId !== null && m.branchId === actor.branchId);

const LETTERS = 'ABCDEFGH';
const answerText = (a: GameReport['questions'][number]['correctAnswer'], type: string) =>
  type === 'blank' ? (a as string[]).join(' | ') : type === 'judge' ? (a === 0 ? '正确' : '错误') : (Array.isArray(a) ? (a as number[]) : [a as number]).map((i) => LETTERS[i]).join('');

export function createGameReportsService(games: GamesStore, branches: BranchesStore, quizzes: QuizzesStore) {
  async function branchNames(): Promise<Map<string, string>> {
    return new Map((await branches.list()).map((b) => [b.id, b.name]));
  }

  /** A report from the live keys: every player with score, correct count and rank; every closed question. */
  async function build(m: GameMeta, snap: GameSnapshot, now: number): Promise<GameReport> {
    const state = await games.state(m.id);
    const roster = await games.players(m.id);
    const data = await games.standings(m.id);
    const ranked = rankPlayers(roster.map((p) => ({ id: p.id, nickname: p.nickname, branchId: p.branchId })), data.scores);
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
        correct: Number(data.correct[r.playerId] ?? 0),
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

  async function load(actor: User, gameId: string): Promise<GameReport> {
    const m = await games.meta(gameId);
    if (!m) throw notFound('对局');
    if (!canSee(actor, m)) throw forbidden('没有权限查看这场竞答');
    const record = await games.record(gameId);
    if (record) return record;
    const snap = await quizzes.getSnapshot(gameId);
    if (!snap) throw notFound('对局');
    return build(m, snap, Date.now());
  }

  return {
    branchNames,
    build,
    record: (gameId: string) => games.record(gameId),

    /** Stores the final record and appends each logged-in member's result to their study record. */
    async save(m: GameMeta, report: GameReport): Promise<void> {
      const finishedAt = report.finishedAt ?? Date.now();
      const results = report.players
        .filter((p): p is typeof p & { userId: string } => p.userId !== null)
        .map((p) => ({
          userId: p.userId,
          result: { gameId: m.id, title: m.title, finishedAt, score: p.score, rank: p.rank, correct: p.correct, total: report.questions.length, players: report.players.length } satisfies MyGameResult,
        }));
      await games.finalise(m, report, results, m.total);
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

    get: load,

    async exportXlsx(actor: User, gameId: string): Promise<{ filename: string; body: Buffer }> {
      if (actor.role === 'member') throw forbidden('成员不能导出成绩');
      const r = await load(actor, gameId);
      const names = await branchNames();
      const rows: string[][] = [['排名', '昵称', '支部', '得分', '答对题数']];
      for (const p of r.players) rows.push([String(p.rank), p.nickname, p.branchId ? (names.get(p.branchId) ?? '') : '', String(p.score), String(p.correct)]);
      rows.push([], ['题号', '题干', '正确答案', '作答人数', '答对人数', '正确率']);
      for (const q of r.questions) {
        const rate = q.answered ? `${Math.round((100 * q.correct) / q.answered)}%` : '-';
        rows.push([String(q.index + 1), q.text, answerText(q.correctAnswer, q.type), String(q.answered), String(q.correct), rate]);
      }
      const body = await writeXlsx('成绩', rows, [8, 30, 20, 10, 10, 10]);
      return { filename: `${r.title}-成绩.xlsx`, body };
    },

    async myGames(actor: User): Promise<ListResult<MyGameResult>> {
      const items = await games.userResults(actor.id);
      return { items, total: items.length };
    },
  };
}

export type GameReportsService = ReturnType<typeof createGameReportsService>;
