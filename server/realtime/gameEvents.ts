import type { Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/events';
import { answerSubmitSchema, gameCreateSchema, gameJoinSchema, gameKickSchema, gameLockSchema, gameRefSchema } from '../../shared/schemas/live';
import { forbidden, unauthenticated } from '../domain/errors';
import type { Logger } from '../infra/logger';
import type { Inflight } from '../infra/inflight';
import type { CatchUp, LiveGamesService } from '../services/liveGamesService';
import type { AuthService } from '../services/authService';
import { createCommands } from './command';
import { rooms } from './rooms';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface GameEventsDeps {
  games: LiveGamesService;
  auth: AuthService;
  logger: Logger;
  inflight: Inflight;
  /** The client's address (behind trusted proxies, as Express computes req.ip). */
  clientIp(socket: LiveSocket): string;
}

/** The `/live` game commands: checks run in the order who, may, shape, what it names, phase. */
export function registerGameEvents(socket: LiveSocket, deps: GameEventsDeps): void {
  const { games, logger, inflight } = deps;
  const commands = createCommands<ClientToServerEvents>({ data: socket.data, logger, inflight, resolveSession: (sid) => deps.auth.resolve(sid) });

  /** Sends the catch-up in the order a screen needs it. */
  function send(c: CatchUp) {
    if (c.open) socket.emit('question:open', c.open);
    if (c.close) socket.emit('question:close', c.close);
    if (c.result) socket.emit('player:result', c.result);
    if (c.leaderboard) socket.emit('leaderboard', c.leaderboard);
    if (c.finished) socket.emit('game:finished', c.finished);
  }

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
    await games.presence.leave(gameId, playerId);
  }

  socket.on(
    'game:create',
    commands.staff('game:create', gameCreateSchema, async (input, user) => {
      const created = await games.create(user, input);
      await attachHost(created.gameId);
      return { data: created };
    }),
  );

  socket.on(
    'game:join',
    commands.anyone('game:join', gameJoinSchema, async (input) => {
      const { isNew: _isNew, ...joined } = await games.join(socket.data.user, deps.clientIp(socket), input);
      const { gameId, playerId } = joined;
      if (socket.data.gameId !== gameId || socket.data.playerId !== playerId) {
        await leaveGame();
        // Another device of this player gives way to this one.
        games.replaceDevices(gameId, playerId, socket.id);
        await socket.join([rooms.game(gameId), rooms.player(gameId, playerId)]);
        socket.data.gameId = gameId;
        socket.data.playerId = playerId;
        await games.presence.enter(gameId, playerId);
      }
      return { data: joined, after: async () => send(await games.catchUp(gameId, playerId)) };
    }),
  );

  socket.on(
    'game:host',
    commands.staff('game:host', gameRefSchema, async ({ gameId }, user) => {
      const hosted = await games.host(user, gameId);
      await attachHost(gameId);
      return {
        data: hosted,
        after: async () => {
          send(await games.catchUp(gameId, null));
          socket.emit('game:players', await games.rosterView(gameId));
        },
      };
    }),
  );

  socket.on(
    'game:start',
    commands.staff('game:start', gameRefSchema, async ({ gameId }, user) => {
      await games.start(user, gameId);
      return { data: {} };
    }),
  );
  socket.on(
    'game:next',
    commands.staff('game:next', gameRefSchema, async ({ gameId }, user) => {
      await games.next(user, gameId);
      return { data: {} };
    }),
  );
  socket.on(
    'game:end',
    commands.staff('game:end', gameRefSchema, async ({ gameId }, user) => {
      await games.end(user, gameId);
      return { data: {} };
    }),
  );

  socket.on(
    'game:kick',
    commands.staff('game:kick', gameKickSchema, async ({ gameId, playerId }, user) => {
      await games.kick(user, gameId, playerId);
      return { data: {} };
    }),
  );

  socket.on('game:kickGuests', commands.staff('game:kickGuests', gameRefSchema, async ({ gameId }, user) => ({ data: await games.kickGuests(user, gameId) })));

  socket.on(
    'game:lock',
    commands.staff('game:lock', gameLockSchema, async ({ gameId, locked }, user) => {
      await games.lock(user, gameId, locked);
      return { data: {} };
    }),
  );

  socket.on(
    'answer:submit',
    commands.anyone('answer:submit', answerSubmitSchema, async (input) => {
      const { gameId, playerId } = socket.data;
      if (!gameId || !playerId) throw socket.data.user ? forbidden('请先加入竞答') : unauthenticated('请先加入竞答');
      if (input.gameId !== gameId) throw forbidden('你没有加入这场竞答');
      const { mayClose } = await games.submit(gameId, playerId, input);
      return mayClose ? { data: {}, after: () => games.closeIfAllAnswered(gameId, input.index) } : { data: {} };
    }),
  );

  socket.on('disconnect', () => {
    void inflight.track(leaveGame().catch((err: unknown) => logger.error({ err }, 'leaving a game failed')));
  });
}
