import type { ErrorBody } from './errors';
import type {
  AnswerSubmitInput,
  BranchStanding,
  Distribution,
  GameCreateInput,
  GameJoinInput,
  LeaderboardEntry,
  LivePhase,
  LobbyPlayer,
  PublicQuestion,
} from './schemas/live';
import type { User } from './schemas/users';

/** Every command's acknowledgement: success with data, or an error body. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorBody };
export type AckCallback<T extends object = object> = (answer: Ack<T>) => void;

type Ref = { gameId: string };

/** Commands from clients on the `/live` namespace. See docs/protocol.md. */
export interface ClientToServerEvents {
  /** Who this socket is: a logged-in user or a guest. */
  'session:whoami': (payload: Record<string, never>, ack: AckCallback<{ user: User | null }>) => void;
  'game:create': (payload: Partial<GameCreateInput> & { quizId: string }, ack: AckCallback<{ gameId: string; pin: string }>) => void;
  'game:join': (
    payload: GameJoinInput,
    ack: AckCallback<{ gameId: string; playerId: string; rejoinToken: string; phase: LivePhase; serverNow: number; answered?: boolean }>,
  ) => void;
  'game:host': (payload: Ref, ack: AckCallback<{ pin: string; phase: LivePhase; index: number }>) => void;
  'game:start': (payload: Ref, ack: AckCallback) => void;
  'game:next': (payload: Ref, ack: AckCallback) => void;
  'game:end': (payload: Ref, ack: AckCallback) => void;
  'game:kick': (payload: Ref & { playerId: string }, ack: AckCallback) => void;
  'answer:submit': (payload: AnswerSubmitInput, ack: AckCallback) => void;
}

export interface QuestionOpenPayload {
  gameId: string;
  index: number;
  total: number;
  question: PublicQuestion;
  timeLimitMs: number;
  openedAt: number;
  closesAt: number;
  serverNow: number;
}

export interface QuestionClosePayload {
  gameId: string;
  index: number;
  correctAnswer: number | number[] | string[];
  explanation: string;
  source: string;
  distribution: Distribution;
}

export interface PlayerResultPayload {
  gameId: string;
  index: number;
  correct: boolean;
  points: number;
  score: number;
  rank: number;
  streak: number;
}

export interface LeaderboardPayload {
  gameId: string;
  index: number;
  top: LeaderboardEntry[];
  totalPlayers: number;
  branches?: BranchStanding[];
}

export interface GameFinishedPayload {
  gameId: string;
  podium: LeaderboardEntry[];
}

/** Events from the server on `/live`. */
export interface ServerToClientEvents {
  /** The session behind this socket ended (logout, account disabled). */
  'session:ended': (payload: { reason: 'logout' | 'disabled' | 'password-changed' }) => void;
  'question:open': (payload: QuestionOpenPayload) => void;
  'question:close': (payload: QuestionClosePayload) => void;
  'player:result': (payload: PlayerResultPayload) => void;
  leaderboard: (payload: LeaderboardPayload) => void;
  'game:finished': (payload: GameFinishedPayload) => void;
  'game:players': (payload: { gameId: string; count: number; players: LobbyPlayer[] }) => void;
  'game:answers': (payload: { gameId: string; index: number; answered: number; total: number }) => void;
  'player:replaced': (payload: Ref) => void;
  'player:kicked': (payload: Ref) => void;
}

/** Between server processes (Socket.IO serverSideEmit): each process sends player results to its own sockets. */
export interface InterServerEvents {
  'game:deliverResults': (gameId: string, index: number) => void;
  /** A player was kicked or replaced: each process drops its own sockets of that player. */
  'game:dropPlayer': (gameId: string, playerId: string, event: 'player:kicked' | 'player:replaced', exceptSocketId: string) => void;
}

/** What the handshake and a join attach to a socket. */
export interface SocketData {
  user: User | null;
  sessionId: string | null;
  /** The game this socket plays in, and as whom. */
  gameId?: string;
  playerId?: string;
  /** Games this socket hosts. */
  hosting?: string[];
}
