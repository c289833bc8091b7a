import type { z } from 'zod';
import type { Ack } from '../../shared/events';
import { ErrorCode } from '../../shared/errors';
import type { User } from '../../shared/schemas/users';
import { AppError, forbidden, unauthenticated } from '../domain/errors';
import { assertPasswordChanged } from '../domain/permissions';
import { parseInput } from '../domain/validate';
import type { Logger } from '../infra/logger';
import type { Inflight } from '../infra/inflight';
import { tokenBucket } from './tokenBucket';

/** Events per socket: a burst of 20, then 10 a second. Plenty for a person, not for a script. */
const BURST = 20;
const PER_SECOND = 10;


/** The payload a command's contract declares, and what its success ack carries besides `ok`. */
type PayloadOf<F> = F extends (payload: infer P, ack: never) => void ? P : never;
type AckOf<F> = F extends (payload: never, ack: (answer: infer A) => void) => void ? A : never;
export type AckDataOf<F> = Omit<Extract<AckOf<F>, { ok: true }>, 'ok'>;

/** A command's listener as the namespace's contract types it, so `socket.on(event, listener)` checks it. */
export type CommandListener<F> = (payload: PayloadOf<F>, ack: (answer: AckOf<F>) => void) => void;

/** What a handler answers: the ack's data, and work to run after the ack went out (a catch-up, an early close). */
export interface Reply<D> {
  data: D;
  after?: () => Promise<void>;
}

/** The socket state a command may read: who the handshake said this is, and the session to re-check. */
export interface CommandSocketData {
  user: User | null;
  sessionId: string | null;
  gameId?: string;
}

export interface CommandOptions {
  data: CommandSocketData;
  logger: Logger;
  inflight: Inflight;
  /** The session and its user as Redis has them now (the auth service's resolve), or null when it ended. */
  resolveSession(sessionId: string): Promise<{ user: User } | null>;
}

const isAck = (value: unknown): value is (answer: Ack) => void => typeof value === 'function';

function errorAck(err: unknown, logger: Logger, event: string): Ack {
  if (err instanceof AppError) return { ok: false, error: { code: err.code, message: err.message } };
  logger.error({ err, event }, 'command failed');
  return { ok: false, error: { code: ErrorCode.INTERNAL, message: '服务器内部错误' } };
}

/**
 * Typed commands for one socket: every command gets the ack envelope, the per-socket rate limit, validation with
 * its shared schema (INVALID_INPUT), errors as codes (never a throw across the socket), and for staff commands
 * a fresh read of the session and user from Redis on every call, so a demoted user, an ended session or a
 * pending password change is refused at once, whatever the socket's handshake said.
 * `/live` uses it; the next namespaces reuse it with their own contract maps.
 */
/** `C` is a namespace's command map (ClientToServerEvents): each command takes a payload and an ack callback. */
export function createCommands<C extends { [K in keyof C]: (payload: never, ack: never) => void }>(options: CommandOptions) {
  const { data, logger, inflight } = options;
  const bucket = tokenBucket(BURST, PER_SECOND);

  /** The signed-in user as Redis has it now: an ended session is unauthenticated, a pending password change refused. */
  async function current(): Promise<User> {
    const sessionId = data.sessionId;
    if (!sessionId) throw unauthenticated();
    const resolved = await options.resolveSession(sessionId);
    data.user = resolved?.user ?? null;
    if (!resolved) throw unauthenticated('登录已失效，请重新登录');
    assertPasswordChanged(resolved.user);
    return resolved.user;
  }

  /** Staff (admin, secretary) as of now; a guest is unauthenticated (or forbidden when playing), a member forbidden. */
  async function staff(): Promise<User> {
    if (!data.sessionId && data.gameId) throw forbidden('只有主持人可以操作对局');
    const user = await current();
    if (user.role === 'member') throw forbidden('只有主持人可以操作对局');
    return user;
  }

  function listen<E extends keyof C & string>(event: E, run: (payload: unknown) => Promise<Reply<AckDataOf<C[E]>>>): CommandListener<C[E]> {
    const listener = (payload: unknown, ack: unknown): void => {
      if (!isAck(ack)) return; // every command takes an ack; without one nobody hears the answer
      if (!bucket.take()) return ack({ ok: false, error: { code: ErrorCode.RATE_LIMITED, message: '操作过于频繁，请稍候' } });
      const work = run(payload).then(
        async ({ data: reply, after }) => {
          ack({ ok: true, ...reply });
          if (after) await after().catch((err: unknown) => logger.error({ err, event }, 'command follow-up failed'));
        },
        (err: unknown) => ack(errorAck(err, logger, event)),
      );
      void inflight.track(work);
    };
    return listener;
  }

  return {
    /** A command anyone may send (players, guests); the handler checks what it names. */
    anyone: <E extends keyof C & string, S extends z.ZodType>(event: E, schema: S, run: (input: z.output<S>) => Promise<Reply<AckDataOf<C[E]>>>) =>
      listen(event, async (payload) => run(parseInput(schema, payload))),

    /** A command for any signed-in user (any role): the session is re-read from Redis first; `run` gets the user as of now. */
    signedIn: <E extends keyof C & string, S extends z.ZodType>(event: E, schema: S, run: (input: z.output<S>, user: User) => Promise<Reply<AckDataOf<C[E]>>>) =>
      listen(event, async (payload) => {
        const user = await current();
        return run(parseInput(schema, payload), user);
      }),

    /** A staff command: the session and role are re-read from Redis before anything else; `run` gets the user as of now. */
    staff: <E extends keyof C & string, S extends z.ZodType>(event: E, schema: S, run: (input: z.output<S>, user: User) => Promise<Reply<AckDataOf<C[E]>>>) =>
      listen(event, async (payload) => {
        const user = await staff();
        return run(parseInput(schema, payload), user);
      }),
  };
}
