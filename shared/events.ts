import type { ErrorBody } from './errors';
import type { User } from './schemas/users';

/** Every command's acknowledgement: success with data, or the shared error body. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorBody };
export type AckCallback<T extends object = object> = (answer: Ack<T>) => void;

/** Commands from clients on the `/live` namespace (games arrive with the live-quiz issue). */
export interface ClientToServerEvents {
  /** Who this socket is: a logged-in user or a guest. */
  'session:whoami': (payload: Record<string, never>, ack: AckCallback<{ user: User | null }>) => void;
}

/** Events from the server on `/live`. */
export interface ServerToClientEvents {
  /** The session behind this socket ended (logout, account disabled). */
  'session:ended': (payload: { reason: 'logout' | 'disabled' | 'password-changed' }) => void;
}

export type InterServerEvents = Record<string, never>;

/** What the handshake attaches to a socket. */
export interface SocketData {
  user: User | null;
  sessionId: string | null;
}
