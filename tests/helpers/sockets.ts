import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events';

export type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real socket.io-client on /live, websocket only, optionally carrying a session cookie and an Origin. */
export function liveSocket(url: string, options: { cookie?: string; origin?: string } = {}): LiveClient {
  const extraHeaders: Record<string, string> = {};
  if (options.cookie) extraHeaders.cookie = options.cookie;
  if (options.origin) extraHeaders.origin = options.origin;
  return io(`${url}/live`, { transports: ['websocket'], extraHeaders, reconnection: false, forceNew: true });
}

export function connected(socket: LiveClient): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

/** Resolves with the first payload of an event, or rejects after timeoutMs. */
export function waitFor<E extends keyof ServerToClientEvents>(socket: LiveClient, event: E, timeoutMs = 3000): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${String(event)} within ${timeoutMs} ms`)), timeoutMs);
    (socket as unknown as { once(e: string, f: (p: unknown) => void): void }).once(String(event), (payload) => {
      clearTimeout(timer);
      resolve(payload as Parameters<ServerToClientEvents[E]>[0]);
    });
  });
}
