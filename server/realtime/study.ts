import type { Server, Socket } from 'socket.io';
import {
  studyGotoSchema,
  studyPollAnswerSchema,
  studyPollOpenSchema,
  studyPresenterSchema,
  studyRefSchema,
  studyVisibilitySchema,
  type StudyClientToServerEvents,
  type StudyInterServerEvents,
  type StudyServerToClientEvents,
  type StudySocketData,
} from '../../shared/studyEvents';
import { forbidden } from '../domain/errors';
import type { Inflight } from '../infra/inflight';
import type { Logger } from '../infra/logger';
import type { AuthService } from '../services/authService';
import type { StudyAttendance } from '../services/study/attendance';
import type { LiveStudyService } from '../services/study/liveStudy';
import type { Trust } from './clientIp';
import { createCommands } from './command';
import { handshakeMiddleware } from './handshake';
import type { StudyNamespace } from './studyOutput';
import { studyRooms } from './studyRooms';

type StudySocket = Socket<StudyClientToServerEvents, StudyServerToClientEvents, StudyInterServerEvents, StudySocketData>;

export interface StudySetup {
  auth: AuthService;
  live: LiveStudyService;
  attendance: StudyAttendance;
  presenceChanged(sessionId: string): void;
  logger: Logger;
  allowlist: string[];
  trust: Trust;
  inflight: Inflight;
}

/**
 * `/study`: the same handshake, ack envelope, validation, rate limit and session re-check as `/live` (the shared
 * command wrapper); checks run in the order who, may, shape, what it names, phase.
 */
export function setupStudyNamespace(io: Server, setup: StudySetup): StudyNamespace {
  const nsp: StudyNamespace = io.of('/study');
  nsp.use(handshakeMiddleware(setup.auth, setup.allowlist, setup.trust));
  nsp.on('connection', (socket) => registerStudyEvents(socket, setup));
  return nsp;
}

function registerStudyEvents(socket: StudySocket, setup: StudySetup): void {
  const { live, attendance, logger, inflight } = setup;
  const commands = createCommands<StudyClientToServerEvents>({ data: socket.data, logger, inflight, resolveSession: (sid) => setup.auth.resolve(sid) });

  socket.on('session:whoami', (_payload, ack) => {
    if (typeof ack !== 'function') return;
    ack({ ok: true, user: socket.data.user });
  });

  /** This socket's session, for commands that need the caller to be present in it. */
  const joined = (sessionId: string) => {
    if (socket.data.studyId !== sessionId) throw forbidden('请先加入学习会');
  };

  async function leave() {
    const id = socket.data.studyId;
    const userId = socket.data.studyUserId;
    if (!id || !userId) return;
    socket.data.studyId = undefined;
    socket.data.studyRole = undefined;
    socket.data.studyUserId = undefined;
    await socket.leave(studyRooms.session(id));
    await socket.leave(studyRooms.hosts(id));
    await socket.leave(studyRooms.user(id, userId));
    await attendance.depart(id, socket.id, userId);
    setup.presenceChanged(id);
  }

  socket.on(
    'study:join',
    commands.signedIn('study:join', studyRefSchema, async ({ sessionId }, user) => {
      const ack = await live.join(user, sessionId);
      if (socket.data.studyId !== sessionId) {
        await leave();
        await socket.join([studyRooms.session(sessionId), studyRooms.user(sessionId, user.id)]);
        socket.data.studyId = sessionId;
        socket.data.studyUserId = user.id;
        await attendance.arrive(sessionId, socket.id, user.id);
        setup.presenceChanged(sessionId);
      }
      socket.data.studyRole = ack.role;
      if (ack.role === 'host' || ack.role === 'presenter') await socket.join(studyRooms.hosts(sessionId));
      return { data: ack };
    }),
  );

  socket.on(
    'study:start',
    commands.signedIn('study:start', studyRefSchema, async ({ sessionId }, user) => {
      await live.start(user, sessionId);
      return { data: {} };
    }),
  );

  socket.on(
    'study:end',
    commands.signedIn('study:end', studyRefSchema, async ({ sessionId }, user) => {
      await live.end(user, sessionId);
      return { data: {} };
    }),
  );

  socket.on(
    'study:goto',
    commands.signedIn('study:goto', studyGotoSchema, async ({ sessionId, page }, user) => ({ data: await live.goto(user, sessionId, page) })),
  );

  socket.on(
    'study:presenter',
    commands.signedIn('study:presenter', studyPresenterSchema, async ({ sessionId, userId }, user) => {
      await live.handOver(user, sessionId, userId);
      return { data: {} };
    }),
  );

  socket.on(
    'study:poll:open',
    commands.signedIn('study:poll:open', studyPollOpenSchema, async ({ sessionId, questionId }, user) => ({ data: await live.openPoll(user, sessionId, questionId) })),
  );

  socket.on(
    'study:poll:answer',
    commands.signedIn('study:poll:answer', studyPollAnswerSchema, async ({ sessionId, pollId, answer }, user) => {
      joined(sessionId);
      await live.answerPoll(user, sessionId, pollId, answer);
      return { data: {} };
    }),
  );

  socket.on(
    'study:poll:close',
    commands.signedIn('study:poll:close', studyRefSchema, async ({ sessionId }, user) => {
      await live.closePoll(user, sessionId);
      return { data: {} };
    }),
  );

  socket.on(
    'study:visibility',
    commands.signedIn('study:visibility', studyVisibilitySchema, async ({ sessionId, visible }) => {
      joined(sessionId);
      await attendance.setHidden(sessionId, socket.id, !visible);
      setup.presenceChanged(sessionId);
      return { data: {} };
    }),
  );

  socket.on('disconnect', () => {
    void inflight.track(leave().catch((err: unknown) => logger.error({ err }, 'leaving a study session failed')));
  });
}
