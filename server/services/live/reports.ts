import type { GameFinishedPayload } from '../../../shared/events';
import type { GameReport } from '../../../shared/schemas/live';
import { podium } from '../../domain/liveResults';
import type { LiveContext } from './context';
import type { Results } from './results';

/** The podium from a report's players (guests marked, so a guest cannot pass as a member there either). */
export const podiumOf = (players: GameReport['players']) =>
  podium(players.map((p) => ({ playerId: p.playerId, nickname: p.nickname, score: p.score, rank: p.rank, branchId: null, guest: p.userId === null })));

/** The glue from a finished game to its report (gameReportsService builds and stores it). */
export function createReportsGlue(ctx: LiveContext, results: Results) {
  /** Writes the record and each member's result; safe to run again (the sweep does, after a crash). */
  async function finalise(gameId: string): Promise<GameReport> {
    const m = await ctx.meta(gameId);
    const report = await ctx.reports.build(m, await ctx.snapshot(gameId), ctx.clock.now());
    await ctx.reports.save(m, report);
    ctx.forgetSnapshot(gameId);
    results.forget(gameId);
    return report;
  }

  return {
    finalise,
    /** The `game:finished` payload: from the stored record, or finalising now when a crash left none. */
    async finishedPayload(gameId: string): Promise<GameFinishedPayload> {
      const report = (await ctx.reports.record(gameId)) ?? (await finalise(gameId));
      return { gameId, podium: podiumOf(report.players) };
    },
  };
}

export type ReportsGlue = ReturnType<typeof createReportsGlue>;
