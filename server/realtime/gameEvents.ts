import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/events';
import type { Ack } from '../../shared/events';
import { ErrorCode } from '../../shared/errors';
import { answerSubmitSchema, gameCreateSchema, gameJoinSchema, gameKickSchema, gameRefSchema } from '../../shared/schemas/live';
import { AppError, forbidden, unauthenticated } from '../domain/errors';
import type { Logger } from '../infra/logger';
import { validate } from '../http/validate';
import type { LiveGamesService } from '../services/liveGamesService';
import { rooms } from './rooms';
import { tokenBucket } from './tokenBucket';
import type { Inflight } from '../infra/inflight';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type Reply = { data?: object; after?: () => Promise<void> };

/** Events per socket: a burst of 20, then 10 a second. Plenty for a person, not for a script. */
const BURST = 20;
const PER_SECOND = 10;

function errorAck(err: unknown, logger: Logger): Ack {
  if (err instanceof AppError) return { ok: false, error: { code: err.code, message: err.message } };
  logger.error({ err }, 'live event failed');
  return { ok: false, error: { code: ErrorCode.INTERNAL, message: '服务器内部错误' } };
}

/** The client's address, from the proxy's header when one is trusted. */
function clientIp(socket: LiveSocket, trustProxy: boolean): string {
  const forwarded = socket.handshake.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string' && forwarded) return forwarded.split(',')[0]!.trim();
  return socket.handshake.address;
}

/** The `/live` game commands: checks run in the order who, may, shape, what it names, phase. */
export function registerGameEvents(socket: LiveSocket, games: LiveGamesService, logger: Logger, trustProxy: boolean, inflight: Inflight): void {
  const bucket = tokenBucket(BURST, PER_SECOND);

  const on = (event: string, handler: (payload: unknown) => Promise<Reply>) => {
    (socket as unknown as { on(e: string, f: (p: unknown, ack: unknown) => void): void }).on(event, (payload, ack) => {
      if (typeof ack !== 'function') return; // every command takes an ack; without one nobody hears the answer
      const reply = ack as (a: Ack) => void;
      if (!bucket.take()) return reply({ ok: false, error: { code: ErrorCode.RATE_LIMITED, message: '操作过于频繁，请稍候' } });
      void inflight.track(
        handler(payload).then(
          async ({ data, after }) => {
            reply({ ok: true, ...data });
            if (after) await after().catch((err: unknown) => logger.error({ err, event }, 'live follow-up failed'));
          },
          (err: unknown) => reply(errorAck(err, logger)),
        ),
      );
    });
  };

  /** Host commands: a guest is unauthenticated (or forbidden when playing), a member forbidden. */
  const staff = () => {
    const user = socket.data.user;
    if (!user) throw socket.data.gameId ? forbidden('只有主持人可以操作对局') : unauthenticated();
    if (user.role === 'member') throw forbidden('只有主持人可以操作对局');
    return user;
  };
  const parse = <S extends z.ZodType>(schema: S, payload: unknown): z.output<S> => validate(schema, payload);

  const emitAll = (items: { event: string; payload: unknown }[]) => {
    for (const { event, payload } of items) (socket as unknown as { emit(e: string, p: unknown): void }).emit(event, payload);
  };

  async function attachHost(gameId: string) {
    await socket.join([rooms.game(gameId), rooms.hosts(gameId)]);
    socket.data.hosting = [...new Set([...(socket.data.hosting ?? []), gameId])];
  }

  async function leaveGame() {
    const { gameId, playerId } = socket.data;
    if (!gameId || !playerId) return;
    socket.data.gameId = undefined;
    socket.data.playerId = undefined;
    await socket.leave(rooms.game(gameId));
    await socket.leave(rooms.player(gameId, playerId));
    await games.presence(gameId, playerId, -1);
  }

  on('game:create', async (payload) => {
    const user = staff();
    const created = await games.create(user, parse(gameCreateSchema, payload));
    await attachHost(created.gameId);
    return { data: created };
  });

  on('game:join', async (payload) => {
    const input = parse(gameJoinSchema, payload);
    const joined = await games.join(socket.data.user, clientIp(socket, trustProxy), input);
    const { gameId, playerId } = joined;
    if (socket.data.gameId !== gameId || socket.data.playerId !== playerId) {
      await leaveGame();
      // Another device of this player gives way to this one.
      games.replaceDevices(gameId, playerId, socket.id);
      await socket.join([rooms.game(gameId), rooms.player(gameId, playerId)]);
      socket.data.gameId = gameId;
      socket.data.playerId = playerId;
      await games.presence(gameId, playerId, 1);
    }
    return { data: joined, after: async () => emitAll(await games.catchUp(gameId, playerId)) };
  });

  on('game:host', async (payload) => {
    staff();
    const { gameId } = parse(gameRefSchema, payload);
    const hosted = await games.host(socket.data.user, gameId);
    await attachHost(gameId);
    return {
      data: hosted,
      after: async () => {
        emitAll(await games.catchUp(gameId, null));
        socket.emit('game:players', await games.rosterView(gameId));
      },
    };
  });

  for (const command of ['start', 'next', 'end'] as const) {
    on(`game:${command}`, async (payload) => {
      staff();
      const { gameId } = parse(gameRefSchema, payload);
      await games[command](socket.data.user, gameId);
      return {};
    });
  }

  on('game:kick', async (payload) => {
    staff();
    const { gameId, playerId } = parse(gameKickSchema, payload);
    await games.kick(socket.data.user, gameId, playerId);
    return {};
  });

  on('answer:submit', async (payload) => {
    const { gameId, playerId } = socket.data;
    if (!gameId || !playerId) throw socket.data.user ? forbidden('请先加入竞答') : unauthenticated('请先加入竞答');
    const input = parse(answerSubmitSchema, payload);
    if (input.gameId !== gameId) throw forbidden('你没有加入这场竞答');
    const { mayClose } = await games.submit(gameId, playerId, input);
    return mayClose ? { after: () => games.closeIfAllAnswered(gameId, input.index) } : {};
  });

  socket.on('disconnect', () => {
    void inflight.track(leaveGame().catch((err: unknown) => logger.error({ err }, 'leaving a game failed')));
  });
}
