import type { RosterStatus, StudyPresencePayload, StudyRosterPayload, StudyRole } from '../../../shared/studyEvents';
import type { StudySession } from '../../../shared/schemas/study';
import type { Clock } from '../../infra/clock';
import type { PresenceScope } from '../../store/presenceStore';
import type { RollStore } from '../../store/study/rollStore';
import type { OpenSocket, StaysStore } from '../../store/study/staysStore';
import type { UsersStore } from '../../store/usersStore';
import { isStudyHost } from './sessions';
import { keys } from '../../store/keys';
import type { Presence } from '../presence';

/** A study session's presence on the shared presence store (per process, with heartbeats). */
export const studyPresenceScope = (id: string): PresenceScope => ({
  members: keys.studyPresenceMembers(id),
  processes: keys.studyPresenceProcesses(id),
  ofProcess: (p) => keys.studyPresenceOf(id, p),
  counter: { key: keys.studyPresenceCount(id), field: 'members' },
});

export interface StudyAttendanceDeps {
  stays: StaysStore;
  roll: RollStore;
  users: UsersStore;
  presence: Presence;
  clock: Clock;
  /** A process whose heartbeat is older than this is taken for dead (the shared presence window). */
  windowMs: number;
}

/** Online: a visible socket; away: sockets all hidden; present: roll members with a socket. Counts only, never names. */
function countsOf(sessionId: string, people: Map<string, OpenSocket[]>, roll: Map<string, unknown>): StudyPresencePayload {
  let online = 0;
  let away = 0;
  let present = 0;
  for (const [userId, sockets] of people) {
    if (sockets.every((s) => s.hidden)) away++;
    else online++;
    if (roll.has(userId)) present++;
  }
  return { sessionId, online, away, onRoll: roll.size, present };
}

/**
 * Who is in a study session and since when: each socket's stay, the roster the host sees and the counts everyone
 * sees. Presence exists only inside a session; nothing here is kept or shown elsewhere, and "away" is never scored.
 */
export function createStudyAttendance(deps: StudyAttendanceDeps) {
  const { stays, presence, clock } = deps;

  async function byUser(sessionId: string): Promise<Map<string, OpenSocket[]>> {
    const map = new Map<string, OpenSocket[]>();
    for (const s of await stays.sockets(sessionId)) map.set(s.userId, [...(map.get(s.userId) ?? []), s]);
    return map;
  }

  return {
    async arrive(sessionId: string, socketId: string, userId: string): Promise<void> {
      await stays.arrive(sessionId, { socketId, userId, processId: presence.processId, from: clock.now() });
      await presence.enter(sessionId, studyPresenceScope(sessionId), userId);
    },

    async depart(sessionId: string, socketId: string, userId: string): Promise<void> {
      if (await stays.depart(sessionId, socketId, clock.now())) await presence.leave(sessionId, studyPresenceScope(sessionId), userId);
    },

    setHidden: (sessionId: string, socketId: string, hidden: boolean) => stays.setHidden(sessionId, socketId, hidden),

    /** User ids with a socket in the session now. */
    async presentUsers(sessionId: string): Promise<Set<string>> {
      return new Set((await stays.sockets(sessionId)).map((s) => s.userId));
    },

    /**
     * What the presence feed sends, from one read of the session's sockets, roll and "seen" set: counts for everyone
     * (never names, never who is away) and the roster for the hosts and the presenter.
     */
    async feed(session: StudySession, presenterId: string | null): Promise<{ presence: StudyPresencePayload; roster: StudyRosterPayload }> {
      const [people, roll, seen] = await Promise.all([byUser(session.id), deps.roll.get(session.id), stays.seen(session.id)]);
      const ids = [...new Set([...roll.keys(), ...people.keys(), ...seen])];
      // Names and roles of roll members come from the roll; only people from elsewhere (observers, admins) are read.
      const others = new Map((await deps.users.getMany(ids.filter((id) => !roll.has(id)))).map((u) => [u.id, u]));
      const status = (id: string): RosterStatus => {
        const sockets = people.get(id);
        if (sockets?.length) return sockets.every((s) => s.hidden) ? 'away' : 'online';
        return seen.includes(id) ? 'left' : 'absent';
      };
      const role = (id: string): StudyRole => {
        if (id === presenterId) return 'presenter';
        const entry = roll.get(id);
        const other = others.get(id);
        const asUser = entry ? { id, role: entry.role, branchId: session.branchId } : (other ?? null);
        if (asUser && isStudyHost(asUser, session)) return 'host';
        return entry ? 'member' : 'observer';
      };
      const rows = ids.map((userId) => ({ userId, name: roll.get(userId)?.name ?? others.get(userId)?.displayName ?? '', status: status(userId), role: role(userId) }));
      return {
        presence: countsOf(session.id, people, roll),
        roster: { sessionId: session.id, people: rows.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')) },
      };
    },

    /** Counts alone (the dashboard's "running now"). */
    async counts(sessionId: string): Promise<StudyPresencePayload> {
      const [people, roll] = await Promise.all([byUser(sessionId), deps.roll.get(sessionId)]);
      return countsOf(sessionId, people, roll);
    },

    /**
     * Sockets of processes that stopped beating (crashed) leave at their last heartbeat and stop counting, so a dead
     * process never keeps anyone "present". Returns whether anything changed.
     */
    async sweep(sessionId: string): Promise<boolean> {
      const stale = (await stays.staleProcesses(sessionId, deps.windowMs)).filter((p) => p.processId !== presence.processId);
      let closed = 0;
      for (const p of stale) closed += await stays.closeProcess(sessionId, p.processId, p.lastBeat);
      const reaped = await presence.reap(studyPresenceScope(sessionId));
      return closed + reaped > 0;
    },

    /** At the end: every socket still open leaves at the end time. */
    closeAll: (sessionId: string, at: number) => stays.closeProcess(sessionId, '*', at),

    staysByUser: (sessionId: string) => stays.staysByUser(sessionId),
  };
}

export type StudyAttendance = ReturnType<typeof createStudyAttendance>;
