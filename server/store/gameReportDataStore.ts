import type { AnswerDetail, ReportDetail } from '../domain/gameReportDetail';
import type { RedisClient } from '../infra/redis';
import { keys } from './keys';

/** One recorded answer: the server time it arrived, what was given (parsed JSON, null if unreadable) and its points. */
export interface RecordedAnswer {
  playerId: string;
  at: number;
  answer: unknown;
  /** Null when the points hash has already expired (a report rebuilt long after the game). */
  points: number | null;
}

/** Some days after a game is finalised its record carries everything the report needs. */
const FINISHED_TTL_SEC = 3 * 24 * 3600;

/**
 * The detail as stored: answers in columns per question, since a 10,000-player game has 10,000 answers a
 * question and field names repeated in each would double the size.
 */
interface StoredDetail {
  questions: { index: number; players: string[]; answers: AnswerDetail['answer'][]; correct: string; points: (number | null)[]; timeMs: (number | null)[] }[];
  roll: ReportDetail['roll'];
}

function encode(detail: ReportDetail): StoredDetail {
  const byIndex = new Map<number, AnswerDetail[]>();
  for (const a of detail.answers) {
    const list = byIndex.get(a.index);
    if (list) list.push(a);
    else byIndex.set(a.index, [a]);
  }
  const questions = [...byIndex].map(([index, list]) => ({
    index,
    players: list.map((a) => a.playerId),
    answers: list.map((a) => a.answer),
    correct: list.map((a) => (a.correct ? '1' : '0')).join(''),
    points: list.map((a) => a.points),
    timeMs: list.map((a) => a.timeMs),
  }));
  return { questions, roll: detail.roll };
}

function decode(stored: StoredDetail): ReportDetail {
  const answers = stored.questions.flatMap((q) =>
    q.players.map((playerId, i): AnswerDetail => ({ playerId, index: q.index, answer: q.answers[i]!, correct: q.correct[i] === '1', points: q.points[i] ?? null, timeMs: q.timeMs[i] ?? null })),
  );
  return { answers, roll: stored.roll };
}

function parseAnswer(raw: string): { at: number; answer: unknown } {
  const bar = raw.indexOf('|');
  const at = Number(raw.slice(0, bar));
  try {
    return { at, answer: JSON.parse(raw.slice(bar + 1)) as unknown };
  } catch {
    return { at, answer: null };
  }
}

/**
 * What a game report reads beyond gamesStore: every recorded answer with its points, when each question opened
 * (written when it opens, since the state hash forgets it at the close), and the detail kept at finalise.
 */
export function createGameReportDataStore(redis: RedisClient) {
  return {
    /** Answers of the given questions, in one round trip. */
    async answers(gameId: string, indexes: readonly number[]): Promise<Map<number, RecordedAnswer[]>> {
      if (indexes.length === 0) return new Map();
      const tx = redis.multi();
      for (const i of indexes) tx.hGetAll(keys.gameAnswers(gameId, i)).hGetAll(keys.gamePoints(gameId, i));
      const replies = (await tx.exec()) as unknown as Record<string, string>[];
      return new Map(
        indexes.map((index, n) => {
          const given = replies[2 * n] ?? {};
          const points = replies[2 * n + 1] ?? {};
          const list = Object.entries(given).map(([playerId, raw]): RecordedAnswer => {
            const p = points[playerId];
            return { playerId, ...parseAnswer(raw), points: p === undefined ? null : Number(p) };
          });
          return [index, list];
        }),
      );
    },

    /** The first call per question wins: a second process re-opening the same question changes nothing. */
    async questionOpened(gameId: string, index: number, openedAt: number): Promise<void> {
      await redis.hSetNX(keys.gameOpenedAt(gameId), String(index), String(openedAt));
    },

    async openedTimes(gameId: string): Promise<Map<number, number>> {
      const all = await redis.hGetAll(keys.gameOpenedAt(gameId));
      return new Map(Object.entries(all).map(([k, v]) => [Number(k), Number(v)]));
    },

    /**
     * Keeps the detail for good; the open times then only need to outlive a re-run of the finalise (the sweep
     * finishes a crashed one), like the other live keys.
     */
    async saveDetail(gameId: string, detail: ReportDetail): Promise<void> {
      await redis.multi().set(keys.gameReportDetail(gameId), JSON.stringify(encode(detail))).expire(keys.gameOpenedAt(gameId), FINISHED_TTL_SEC).exec();
    },

    async detail(gameId: string): Promise<ReportDetail | null> {
      const raw = await redis.get(keys.gameReportDetail(gameId));
      return raw ? decode(JSON.parse(raw) as StoredDetail) : null;
    },
  };
}

export type GameReportDataStore = ReturnType<typeof createGameReportDataStore>;
