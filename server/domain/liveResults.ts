import type { LeaderboardPayload, QuestionClosePayload } from '../../shared/events';
import type { BranchStanding, Distribution, LeaderboardEntry } from '../../shared/schemas/live';
import type { QuestionContent } from '../../shared/schemas/questions';
import { competitionRanks, isCorrect, type AnswerValue } from './scoring';

export interface RosterPlayer {
  id: string;
  nickname: string;
  branchId: string | null;
  /** No account behind the player; absent counts as a member (older stored players). */
  guest?: boolean;
}

export interface Ranked {
  playerId: string;
  nickname: string;
  branchId: string | null;
  guest: boolean;
  score: number;
  rank: number;
}

/** What the room saw when a question closed, kept for players who come back during the reveal and for the report. */
export interface StoredReveal {
  close: QuestionClosePayload;
  leaderboard: LeaderboardPayload;
  answered: number;
  correct: number;
}

/** Every player of the roster with a score (0 when none), ranked 1, 2, 2, 4; ties keep join order. */
export function rankPlayers(roster: RosterPlayer[], scores: Map<string, number>): Ranked[] {
  const entries = roster.map((p) => ({ playerId: p.id, nickname: p.nickname, branchId: p.branchId, guest: p.guest ?? false, score: scores.get(p.id) ?? 0 }));
  return competitionRanks(entries);
}

export const leaderboardTop = (ranked: Ranked[], n = 10): LeaderboardEntry[] =>
  ranked.slice(0, n).map(({ playerId, nickname, score, rank, guest }) => ({ playerId, nickname, score, rank, guest }));

export const podium = (ranked: Ranked[]): LeaderboardEntry[] => leaderboardTop(ranked.filter((r) => r.rank <= 3), ranked.length);

/** Team standings: each branch's average player score (guests belong to none), best first. */
export function branchStandings(ranked: Ranked[], branchNames: Map<string, string>): BranchStanding[] {
  const totals = new Map<string, { sum: number; players: number }>();
  for (const r of ranked) {
    if (!r.branchId) continue;
    const t = totals.get(r.branchId) ?? { sum: 0, players: 0 };
    t.sum += r.score;
    t.players += 1;
    totals.set(r.branchId, t);
  }
  return [...totals.entries()]
    .map(([branchId, t]) => ({ branchId, name: branchNames.get(branchId) ?? branchId, score: Math.round(t.sum / t.players), players: t.players }))
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'zh-CN'));
}

/** How the answers spread: a count per option, or right/wrong for a blank. Unparseable entries are ignored. */
export function distribution(q: Pick<QuestionContent, 'type' | 'options' | 'answer'>, answers: AnswerValue[]): Distribution {
  if (q.type === 'blank') {
    const correct = answers.filter((a) => isCorrect(q, a)).length;
    return { correct, incorrect: answers.length - correct };
  }
  const counts = q.options.map(() => 0);
  for (const a of answers) {
    for (const i of Array.isArray(a) ? a : [a]) {
      if (typeof i === 'number' && i >= 0 && i < counts.length) counts[i]! += 1;
    }
  }
  return counts;
}

/**
 * Whether an answer is well formed for the question it names: the right kind of value, options in range,
 * no repeated indices. Correctness is a separate question.
 */
export function answerFits(q: Pick<QuestionContent, 'type' | 'options'>, a: AnswerValue): boolean {
  const inRange = (i: number) => Number.isInteger(i) && i >= 0 && i < q.options.length;
  switch (q.type) {
    case 'single':
    case 'judge':
      return typeof a === 'number' && inRange(a);
    case 'multiple':
      return Array.isArray(a) && a.length > 0 && a.every(inRange) && new Set(a).size === a.length;
    case 'blank':
      return typeof a === 'string';
  }
}
