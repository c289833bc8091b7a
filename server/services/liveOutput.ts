import type {
  GameAnswersPayload,
  GameFinishedPayload,
  LeaderboardPayload,
  QuestionClosePayload,
  QuestionOpenPayload,
} from '../../shared/events';

/**
 * How the game service reaches sockets; implemented by the realtime layer. One method per room event, so each
 * payload is checked against its event at compile time (no generic emit to cast through).
 */
export interface LiveOutput {
  /** To everyone in the game: players and host consoles. */
  questionOpened(gameId: string, payload: QuestionOpenPayload): void;
  questionClosed(gameId: string, payload: QuestionClosePayload): void;
  leaderboard(gameId: string, payload: LeaderboardPayload): void;
  finished(gameId: string, payload: GameFinishedPayload): void;
  /** To the host consoles at once: the exact answer count at a close (any throttled count still pending is dropped). */
  answersFinal(gameId: string, payload: GameAnswersPayload): void;
  /** Each process sends `player:result` to its own player sockets of the game; resolves when this process's are sent. */
  deliverResults(gameId: string, index: number): Promise<void>;
  /** A player's sockets (but `exceptSocketId`) get `event`, then are disconnected (kicked, or replaced by another device). */
  dropPlayer(gameId: string, playerId: string, event: 'player:kicked' | 'player:replaced', exceptSocketId?: string): void;
  /** The host consoles should soon get fresh `game:players` / `game:answers` (throttled). */
  rosterChanged(gameId: string): void;
  answersChanged(gameId: string, index: number): void;
}
