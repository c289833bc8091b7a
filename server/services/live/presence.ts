import { gamePresenceScope } from '../../store/gamesStore';
import type { LiveContext } from './context';
import type { Questions } from './questions';

/** Players' sockets in games, counted per process (see services/presence.ts); a leave may close a question early. */
export function createGamePresence(ctx: LiveContext, questions: Questions) {
  const { presence } = ctx;
  return {
    async enter(gameId: string, playerId: string): Promise<void> {
      await presence.enter(gameId, gamePresenceScope(gameId), playerId);
    },

    /** Leaving may make "everyone connected answered" true. */
    async leave(gameId: string, playerId: string): Promise<void> {
      await presence.leave(gameId, gamePresenceScope(gameId), playerId);
      await questions.checkEarlyClose(gameId);
    },

    /** A dead process's players stop counting; if they were the ones not answering, the question closes now. */
    async reap(gameId: string): Promise<void> {
      if ((await presence.reap(gamePresenceScope(gameId))) > 0) await questions.checkEarlyClose(gameId);
    },

    beat: () => presence.beat(),
  };
}
