import { AppError } from '../../domain/errors';
import { endGame } from '../../domain/gamePhase';
import type { LiveContext } from './context';
import type { Questions } from './questions';
import type { ReportsGlue } from './reports';
import { createGamePresence } from './presence';

/**
 * Every few seconds in each process: renews this process's presence heartbeat, takes back dead processes'
 * presence, re-arms timers of open questions (after a restart, or when another process died), finalises finished
 * games a crash left behind, and ends games idle for too long.
 */
export function createSweep(ctx: LiveContext, questions: Questions, reports: ReportsGlue, presence: ReturnType<typeof createGamePresence>) {
  const { games, logger, clock, config } = ctx;
  return async function sweep(): Promise<void> {
    await presence.beat().catch((err: unknown) => logger.error({ err }, 'presence heartbeat failed'));
    const now = clock.now();
    for (const { id, lastActivity } of await games.liveGames()) {
      try {
        const s = await games.state(id);
        if (!s) continue;
        if (s.phase === 'finished') {
          await reports.finalise(id);
        } else if (now - lastActivity >= config.gameIdleMs) {
          logger.info({ gameId: id }, 'ending an idle game');
          await questions.apply(id, s, endGame(s)).catch((err: unknown) => {
            if (!(err instanceof AppError)) throw err;
          });
        } else {
          await presence.reap(id);
          questions.armTimer(id, s);
        }
      } catch (err) {
        logger.error({ err, gameId: id }, 'game sweep failed');
      }
    }
  };
}
