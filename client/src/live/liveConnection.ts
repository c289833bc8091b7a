import { ref } from 'vue';
import type { Socket } from 'socket.io-client';
import type { Ack } from '../../../shared/events';
import { createSocket, type LiveSocket } from '../socket';
import { ackError } from './seat';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting';

/**
 * One store's `/live` socket: created on first use, reconnecting by itself. `onReconnect` runs when the socket is
 * back after a drop (a new socket has no seat or console: the store takes it back); `bind` adds the store's
 * listeners once. `send` turns a refused command into a thrown ApiError. `create` makes the socket: `/live` by
 * default; the study store passes its `/study` one (same reconnect and ack rules).
 */
export function createLiveConnection<S extends Socket = LiveSocket>(
  bind: (s: S) => void,
  onReconnect: () => void,
  create: () => S = createSocket as unknown as () => S,
) {
  let socket: S | null = null;
  /** 'connected' while up; 'reconnecting' during a drop; 'idle' before use or after `close`. */
  const state = ref<ConnectionState>('idle');

  function ensure(): S {
    if (!socket) {
      const s = create();
      s.on('connect', () => {
        const wasDropped = state.value === 'reconnecting';
        state.value = 'connected';
        if (wasDropped) onReconnect();
      });
      s.on('disconnect', (reason) => {
        // Closed on purpose (here, or by the server after a kick or takeover): Socket.IO will not retry.
        state.value = reason === 'io client disconnect' || reason === 'io server disconnect' ? 'idle' : 'reconnecting';
      });
      s.io.on('reconnect_attempt', () => {
        if (state.value !== 'idle') state.value = 'reconnecting';
      });
      bind(s);
      socket = s;
    }
    if (!socket.connected && state.value === 'idle') {
      state.value = 'connecting';
      socket.connect();
    }
    return socket;
  }

  async function send<T extends object>(emit: (s: S) => Promise<Ack<T>>): Promise<T> {
    // timeout() returns this same socket with the flag set; only its ack typing differs.
    const answer = await emit(ensure().timeout(10_000) as unknown as S);
    if (!answer.ok) throw ackError(answer.error);
    return answer;
  }

  function close() {
    socket?.disconnect();
    socket = null;
    state.value = 'idle';
  }

  return { state, ensure, send, close };
}
