import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * A typed socket on `/live`, same origin, so the session cookie goes along. WebSocket first (no long-polling
 * round trips on phones), reconnecting by itself forever with a capped back-off.
 */
export function createSocket(): LiveSocket {
  return io('/live', {
    transports: ['websocket', 'polling'],
    withCredentials: true,
    autoConnect: false,
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
  });
}
