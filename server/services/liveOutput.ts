import type { ServerToClientEvents } from '../../shared/events';

type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/** How the game service reaches sockets; implemented by the realtime layer (and by nothing in tests of pure logic). */
export interface LiveOutput {
  /** To everyone in the game: players and host consoles. */
  toGame<E extends keyof ServerToClientEvents>(gameId: string, event: E, payload: Payload<E>): void;
  /** Each process sends `player:result` to its own player sockets of the game; resolves when this process's are sent. */
  deliverResults(gameId: string, index: number): Promise<void>;
  /** A player's sockets (but `exceptSocketId`) get `event`, then are disconnected (kicked, or replaced by another device). */
  dropPlayer(gameId: string, playerId: string, event: 'player:kicked' | 'player:replaced', exceptSocketId?: string): void;
  /** The host consoles should soon get fresh `game:players` / `game:answers` (throttled). */
  rosterChanged(gameId: string): void;
  answersChanged(gameId: string, index: number): void;
}
