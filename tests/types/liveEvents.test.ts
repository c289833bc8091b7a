import { describe, expectTypeOf, it } from 'vitest';
import type { Socket as ServerSocket } from 'socket.io';
import type { Socket as ClientSocket } from 'socket.io-client';
import type {
  AckData,
  ClientToServerEvents,
  EventPayload,
  GameHostAck,
  GameJoinAck,
  InterServerEvents,
  PlayerResultPayload,
  QuestionClosePayload,
  ServerToClientEvents,
  SocketData,
} from '../../shared/events';
import type { PublicQuestion } from '../../shared/schemas/live';
import type { LiveOutput } from '../../server/services/liveOutput';
import { createCommands, type CommandListener } from '../../server/realtime/command';
import { gameRefSchema } from '../../shared/schemas/live';

type ServerLive = ServerSocket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type ClientLive = ClientSocket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Compile-time checks of the `/live` contract (issue 9, "a type test that a wrong payload does not compile").
 * `tsc --noEmit` fails if any `@ts-expect-error` line below compiles, i.e. if a wrong payload were accepted.
 * The function bodies never run: they only have to type-check.
 */
describe('the /live contract is typed end to end', () => {
  it('payloads of server events carry the issue 9 fields', () => {
    expectTypeOf<QuestionClosePayload['question']>().toEqualTypeOf<PublicQuestion>();
    expectTypeOf<PlayerResultPayload['answer']>().toEqualTypeOf<number | number[] | string | null>();
    expectTypeOf<EventPayload<'game:players'>['locked']>().toEqualTypeOf<boolean>();
    expectTypeOf<EventPayload<'leaderboard'>['top'][number]['guest']>().toEqualTypeOf<boolean>();
    expectTypeOf<AckData<'game:join'>>().toEqualTypeOf<Omit<{ ok: true } & GameJoinAck, 'ok'>>();
    expectTypeOf<AckData<'game:host'>>().toEqualTypeOf<Omit<{ ok: true } & GameHostAck, 'ok'>>();
    expectTypeOf<AckData<'game:kickGuests'>>().toEqualTypeOf<Omit<{ ok: true } & { removed: number }, 'ok'>>();
  });

  it('a wrong payload to a socket does not compile, on either side', () => {
    const typeOnly = (server: ServerLive, client: ClientLive, out: LiveOutput) => {
      server.emit('game:players', { gameId: 'g', count: 0, players: [], locked: false });
      // @ts-expect-error `locked` is required in game:players
      server.emit('game:players', { gameId: 'g', count: 0, players: [] });
      // @ts-expect-error `answer` is required in player:result
      server.emit('player:result', { gameId: 'g', index: 0, correct: true, points: 1, score: 1, rank: 1, streak: 1 });
      // @ts-expect-error no such event
      server.emit('question:opened', {});
      client.emit('game:lock', { gameId: 'g', locked: true }, () => undefined);
      // @ts-expect-error `locked` must be a boolean
      client.emit('game:lock', { gameId: 'g', locked: 'yes' }, () => undefined);
      // @ts-expect-error a question:close payload without the question
      out.questionClosed('g', { gameId: 'g', index: 0, correctAnswer: 0, explanation: '', source: '', distribution: [] });
    };
    expectTypeOf(typeOnly).toBeFunction();
  });

  it('a command handler must answer with its own ack data', () => {
    const typeOnly = (socket: ServerLive) => {
      const commands = createCommands<ClientToServerEvents>({
        data: socket.data,
        logger: null as never,
        inflight: null as never,
        resolveSession: async () => null,
      });
      socket.on(
        'game:kickGuests',
        commands.staff('game:kickGuests', gameRefSchema, async () => ({ data: { removed: 2 } })),
      );
      socket.on(
        'game:kickGuests',
        // @ts-expect-error the kickGuests ack carries `removed: number`
        commands.staff('game:kickGuests', gameRefSchema, async () => ({ data: { removed: 'two' } })),
      );
      // @ts-expect-error a listener built for one command is not another's
      socket.on('game:host', commands.staff('game:kickGuests', gameRefSchema, async () => ({ data: { removed: 2 } })));
    };
    expectTypeOf(typeOnly).toBeFunction();
    expectTypeOf<CommandListener<ClientToServerEvents['game:lock']>>().parameter(0).toEqualTypeOf<{ gameId: string } & { locked: boolean }>();
  });
});
