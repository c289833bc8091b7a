import type { Namespace } from 'socket.io';
import type { StudyClientToServerEvents, StudyInterServerEvents, StudyServerToClientEvents, StudySocketData } from '../../shared/studyEvents';
import type { Inflight } from '../infra/inflight';
import type { Logger } from '../infra/logger';
import type { StudyServices } from '../services/study';
import type { StudyOutput } from '../services/study/liveStudy';
import { studyRooms } from './studyRooms';

export type StudyNamespace = Namespace<StudyClientToServerEvents, StudyServerToClientEvents, StudyInterServerEvents, StudySocketData>;

/** Presence and roster go out at most this often per session, however many people come and go. */
export const PRESENCE_THROTTLE_MS = 1_000;
/** The hosts' poll answer count goes out at most this often per session. */
export const POLL_COUNT_THROTTLE_MS = 500;

/** The feeds from the study services: counts for everyone, the roster for hosts (null once the session is gone). */
export function studyFeeds(study: () => StudyServices): StudyFeeds {
  return async (id) => {
    const { session, state } = await study().live.currentState(id);
    return study().attendance.feed(session, state.presenterId);
  };
}

/** Counts for everyone and the roster for the hosts, from one read of the session. */
export type StudyFeeds = (sessionId: string) => Promise<{
  presence: Parameters<StudyServerToClientEvents['study:presence']>[0];
  roster: Parameters<StudyServerToClientEvents['study:roster']>[0];
}>;

/** The study service's way out: room events through the adapter (every process sees them), presence throttled. */
export function createStudyOutput(
  getNsp: () => StudyNamespace,
  feeds: StudyFeeds,
  logger: Logger,
  inflight: Inflight,
  pollCount: (sessionId: string, pollId: string) => Promise<number>,
): StudyOutput & { stop(): void } {
  const timers = new Map<string, NodeJS.Timeout>();
  const countTimers = new Map<string, NodeJS.Timeout>();
  const lastSent = new Map<string, number>();
  let stopped = false;

  async function sendPresence(sessionId: string) {
    lastSent.set(sessionId, Date.now());
    const nsp = getNsp();
    const { presence, roster } = await feeds(sessionId);
    nsp.to(studyRooms.session(sessionId)).emit('study:presence', presence);
    nsp.to(studyRooms.hosts(sessionId)).emit('study:roster', roster);
  }

  return {
    state: (id, state) => void getNsp().to(studyRooms.session(id)).emit('study:state', state),
    pollOpen: (id, pollId, question) => void getNsp().to(studyRooms.session(id)).emit('study:poll:open', { sessionId: id, pollId, question }),
    pollResult: (payload) => void getNsp().to(studyRooms.session(payload.sessionId)).emit('study:poll:result', payload),
    ended: (id) => void getNsp().to(studyRooms.session(id)).emit('study:ended', { sessionId: id }),
    presenterChanged: (id, userId) => getNsp().in(studyRooms.user(id, userId)).socketsJoin(studyRooms.hosts(id)),

    /** At most once a second per session: the first change goes out at once, later ones are folded into one. */
    presenceChanged(id) {
      if (stopped || timers.has(id)) return;
      const wait = Math.max(0, (lastSent.get(id) ?? 0) + PRESENCE_THROTTLE_MS - Date.now());
      const timer = setTimeout(() => {
        timers.delete(id);
        if (stopped) return;
        void inflight.track(sendPresence(id).catch((err: unknown) => logger.error({ err, sessionId: id }, 'study presence feed failed')));
      }, wait);
      timers.set(id, timer);
    },

    /** The first answer's count goes out after a short wait; later ones are folded into it. */
    pollAnswered(id, pollId) {
      if (stopped || countTimers.has(id)) return;
      const timer = setTimeout(() => {
        countTimers.delete(id);
        if (stopped) return;
        const send = async () => getNsp().to(studyRooms.hosts(id)).emit('study:poll:answers', { sessionId: id, pollId, answered: await pollCount(id, pollId) });
        void inflight.track(send().catch((err: unknown) => logger.error({ err, sessionId: id }, 'study poll count failed')));
      }, POLL_COUNT_THROTTLE_MS);
      countTimers.set(id, timer);
    },

    stop() {
      stopped = true;
      for (const t of [...timers.values(), ...countTimers.values()]) clearTimeout(t);
      timers.clear();
      countTimers.clear();
    },
  };
}
