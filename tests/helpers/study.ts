import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../../shared/events';
import type { StudyClientToServerEvents, StudyServerToClientEvents } from '../../shared/studyEvents';

export type StudyClient = Socket<StudyServerToClientEvents, StudyClientToServerEvents>;

/** A real socket.io-client on /study, websocket only, carrying the user's session cookie. */
export async function studySocket(url: string, cookie?: string): Promise<StudyClient> {
  const socket: StudyClient = io(`${url}/study`, { transports: ['websocket'], extraHeaders: cookie ? { cookie } : {}, reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Sends a command and resolves with its ack (typed loosely: tests look at codes and fields). */
export function studyCommand<T extends object = Record<string, unknown>>(socket: StudyClient, event: keyof StudyClientToServerEvents, payload: unknown, timeoutMs = 5000): Promise<Ack<T>> {
  return (socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<T>> }).emitWithAck(event, payload);
}

export async function studyOk<T extends object = Record<string, unknown>>(socket: StudyClient, event: keyof StudyClientToServerEvents, payload: unknown): Promise<T & { ok: true }> {
  const ack = await studyCommand<T>(socket, event, payload);
  if (!ack.ok) throw new Error(`${event} failed: ${ack.error.code} ${ack.error.message}`);
  return ack;
}

/** Resolves with the first payload of an event that passes `match`, or rejects after timeoutMs. */
export function nextStudy<E extends keyof StudyServerToClientEvents>(
  socket: StudyClient,
  event: E,
  match: (p: Parameters<StudyServerToClientEvents[E]>[0]) => boolean = () => true,
  timeoutMs = 3000,
): Promise<Parameters<StudyServerToClientEvents[E]>[0]> {
  const s = socket as unknown as { on(e: string, f: (p: never) => void): void; off(e: string, f: (p: never) => void): void };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      s.off(event, listener);
      reject(new Error(`no matching ${String(event)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (p: Parameters<StudyServerToClientEvents[E]>[0]) => {
      if (!match(p)) return;
      clearTimeout(timer);
      s.off(event, listener);
      resolve(p);
    };
    s.on(event, listener);
  });
}

export const studyCode = (ack: Ack) => (ack.ok ? 'OK' : ack.error.code);
