import type { GameAnswersPayload, GamePlayersPayload } from '../../../shared/events';
import type { LiveContext } from './context';

/** A projector cannot show ten thousand names: the lobby lists the newest ones and the count. */
const ROSTER_SHOWN = 300;

/** What the host console is fed: the roster (with the lock) and the answer count. */
export function createHostFeed(ctx: LiveContext) {
  return {
    async rosterView(gameId: string): Promise<GamePlayersPayload> {
      const [roster, locked] = await Promise.all([ctx.games.players(gameId), ctx.games.locked(gameId)]);
      const shown = roster.slice(-ROSTER_SHOWN);
      return {
        gameId,
        count: roster.length,
        locked,
        players: shown.map((p) => ({ playerId: p.id, nickname: p.nickname, branchId: p.branchId, guest: p.userId === null })),
      };
    },

    async answersView(gameId: string, index: number): Promise<GameAnswersPayload> {
      const [answered, total] = await Promise.all([ctx.games.answeredCount(gameId, index), ctx.games.playerCount(gameId)]);
      return { gameId, index, answered, total };
    },
  };
}

export type HostFeed = ReturnType<typeof createHostFeed>;
