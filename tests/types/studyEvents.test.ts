import { describe, expectTypeOf, it } from 'vitest';
import type { Socket as ServerSocket } from 'socket.io';
import type { Socket as ClientSocket } from 'socket.io-client';
import {
  studyGotoSchema,
  type StudyClientToServerEvents,
  type StudyInterServerEvents,
  type StudyJoinAck,
  type StudyServerToClientEvents,
  type StudySocketData,
  type StudyState,
} from '../../shared/studyEvents';
import { createCommands } from '../../server/realtime/command';
import type { StudyOutput } from '../../server/services/study/liveStudy';

type ServerStudy = ServerSocket<StudyClientToServerEvents, StudyServerToClientEvents, StudyInterServerEvents, StudySocketData>;
type ClientStudy = ClientSocket<StudyServerToClientEvents, StudyClientToServerEvents>;

/**
 * Compile-time checks of the `/study` contract (issue 10): `tsc --noEmit` fails if any `@ts-expect-error` line below
 * compiles, i.e. if a wrong payload were accepted. The function bodies never run: they only have to type-check.
 */
describe('the /study contract is typed end to end', () => {
  it('the state is whole and versioned; the join ack carries it', () => {
    expectTypeOf<StudyJoinAck['state']>().toEqualTypeOf<StudyState>();
    expectTypeOf<StudyState['version']>().toEqualTypeOf<number>();
    expectTypeOf<StudyState['phase']>().toEqualTypeOf<'planned' | 'live' | 'ended'>();
  });

  it('a wrong payload to a socket does not compile, on either side', () => {
    const typeOnly = (server: ServerStudy, client: ClientStudy, out: StudyOutput) => {
      server.emit('study:presence', { sessionId: 's', online: 1, away: 0, onRoll: 3, present: 1 });
      // @ts-expect-error presence carries counts, never names
      server.emit('study:presence', { sessionId: 's', online: ['张三'], away: 0, onRoll: 3, present: 1 });
      // @ts-expect-error a state is never a delta: the version and the page count are required
      server.emit('study:state', { sessionId: 's', phase: 'live', page: 2 });
      client.emit('study:goto', { sessionId: 's', page: 1 }, () => undefined);
      // @ts-expect-error the page is a number
      client.emit('study:goto', { sessionId: 's', page: '1' }, () => undefined);
      // @ts-expect-error no such command
      client.emit('study:jump', { sessionId: 's' }, () => undefined);
      // @ts-expect-error the poll result needs the distribution and counts
      out.pollResult({ sessionId: 's', pollId: 'p', correctAnswer: 0, explanation: '', source: '' });
    };
    expectTypeOf(typeOnly).toBeFunction();
  });

  it('a command handler must answer with its own ack data', () => {
    const typeOnly = (socket: ServerStudy) => {
      const commands = createCommands<StudyClientToServerEvents>({
        data: socket.data,
        logger: undefined as never,
        inflight: undefined as never,
        resolveSession: async () => null,
      });
      socket.on('study:goto', commands.signedIn('study:goto', studyGotoSchema, async () => ({ data: { version: 2 } })));
      // @ts-expect-error study:goto acks { version }, not a page
      socket.on('study:goto', commands.signedIn('study:goto', studyGotoSchema, async () => ({ data: { page: 2 } })));
    };
    expectTypeOf(typeOnly).toBeFunction();
  });
});
