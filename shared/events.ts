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

/** What a player learns on joining: where the game is, and who they are in it. */
export interface GameJoinAck {
  gameId: string;
  playerId: string;
  rejoinToken: string;
  phase: LivePhase;
  serverNow: number;
  /** Only in the question phase: whether this player already answered the open question. */
  answered?: boolean;
  /** The name this player plays under (a member's display name, or the guest's nickname). */
  nickname: string;
  /** The quiz title. */
  title: string;
  guest: boolean;
}

/** What a host console learns on (re)attaching to a game. */
export interface GameHostAck {
  pin: string;
  phase: LivePhase;
  index: number;
  locked: boolean;
  title: string;
}

/** Commands from clients on the `/live` namespace. See docs/protocol.md. */
export interface ClientToServerEvents {
  /** Who this socket is: a logged-in user or a guest. */
  'session:whoami': (payload: Record<string, never>, ack: AckCallback<{ user: User | null }>) => void;
  'game:create': (payload: Partial<GameCreateInput> & { quizId: string }, ack: AckCallback<{ gameId: string; pin: string }>) => void;
  'game:join': (
    payload: GameJoinInput,
    ack: AckCallback<GameJoinAck>,
  ) => void;
  'game:host': (payload: Ref, ack: AckCallback<GameHostAck>) => void;
  'game:start': (payload: Ref, ack: AckCallback) => void;
  'game:next': (payload: Ref, ack: AckCallback) => void;
  'game:end': (payload: Ref, ack: AckCallback) => void;
  'game:kick': (payload: Ref & { playerId: string }, ack: AckCallback) => void;
  /** Host: while locked, new players get GAME_LOCKED; rejoins still work. */
  'game:lock': (payload: Ref & { locked: boolean }, ack: AckCallback) => void;
  /** Host: kicks every guest player (each gets `player:kicked`). */
  'game:kickGuests': (payload: Ref, ack: AckCallback<{ removed: number }>) => void;
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
  /** The question that closed, as in `question:open` (options in the game's order), so a reloaded screen can show the reveal. */
  question: PublicQuestion;
}

export interface PlayerResultPayload {
  gameId: string;
  index: number;
  correct: boolean;
  points: number;
  score: number;
  rank: number;
  streak: number;
  /** What this player submitted for the question, or null when they did not answer. */
  answer: number | number[] | string | null;
}

export interface GamePlayersPayload {
  gameId: string;
  count: number;
  players: LobbyPlayer[];
  locked: boolean;
}

export interface GameAnswersPayload {
  gameId: string;
  index: number;
  answered: number;
  total: number;
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
  /**
   * The session behind this socket ended (logout, account disabled, password changed), or the account's role or
   * branch changed ('account-changed': the session lives on; a new socket carries the new rights). Then disconnected.
   */
  'session:ended': (payload: { reason: 'logout' | 'disabled' | 'password-changed' | 'account-changed' }) => void;
  'question:open': (payload: QuestionOpenPayload) => void;
  'question:close': (payload: QuestionClosePayload) => void;
  'player:result': (payload: PlayerResultPayload) => void;
  leaderboard: (payload: LeaderboardPayload) => void;
  'game:finished': (payload: GameFinishedPayload) => void;
  'game:players': (payload: GamePlayersPayload) => void;
  'game:answers': (payload: GameAnswersPayload) => void;
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

/** The payload of a server event, and the data of a command's successful ack. */
export type EventPayload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];
export type CommandPayload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
export type CommandAck<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
export type AckData<E extends keyof ClientToServerEvents> = Omit<Extract<CommandAck<E>, { ok: true }>, 'ok'>;
