import { ErrorCode } from '../../../shared/errors';
import type { MeetingRecord, RecordUpdateInput, StudySession } from '../../../shared/schemas/study';
import type { User } from '../../../shared/schemas/users';
import { AppError, conflict, forbidden, invalidInput, notFound } from '../../domain/errors';
import { DEFAULT_ATTENDANCE_RULES, type AttendanceRules } from '../../domain/study/attendance';
import { draftRecord, editRecord, moveRecord, reviseRecord, type RecordStep } from '../../domain/study/record';
import type { Clock } from '../../infra/clock';
import type { LiveStudyStore } from '../../store/study/liveStudyStore';
import type { MaterialsStore } from '../../store/study/materialsStore';
import type { RecordsStore, StoredRecord } from '../../store/study/recordsStore';
import type { RollStore } from '../../store/study/rollStore';
import type { UsersStore } from '../../store/usersStore';
import type { StudyAttendance } from './attendance';
import type { StudySessionsService } from './sessions';
import type { ActivitySink } from '../ledger/activity';
import { reflectionActivity, studySessionActivities } from '../ledger/studyEntries';

/** Members may add a 心得体会 to a session for this long after it ended. */
export const REFLECTION_WINDOW_MS = 14 * 24 * 3600_000;

export interface RecordsDeps {
  store: RecordsStore;
  sessions: StudySessionsService;
  live: LiveStudyStore;
  roll: RollStore;
  attendance: StudyAttendance;
  materials: MaterialsStore;
  users: UsersStore;
  clock: Clock;
  rules?: AttendanceRules;
  /** The study record: attendance when a session ends, 心得体会 when submitted; and the branch's meetings held. */
  ledger: { activity: ActivitySink; meetingHeld(branchId: string, sessionKind: string, sessionId: string, at: number): Promise<void> };
}

const who = (u: User) => ({ id: u.id, name: u.displayName });

export function createRecordsService(deps: RecordsDeps) {
  const { store, sessions, clock } = deps;

  async function nameOf(id: string | null): Promise<string> {
    if (!id) return '';
    return (await deps.users.get(id))?.displayName ?? '';
  }

  /** Drafted once when a session ends, from the roll, the stays, the pages shown and the polls (a retry changes nothing). */
  async function draftOnEnd(session: StudySession, by: User): Promise<void> {
    await draft(session, by);
    // After the draft is stored, and again on a retry: the record keeps the first write, so a crash in between heals.
    const record = await store.get(session.id);
    if (!record) return;
    await deps.ledger.meetingHeld(session.branchId, session.kind, session.id, record.endedAt);
    await toLedger(session, record);
  }

  /** Attendance to the study record: who came at the end; who was absent or on leave once the record is submitted. */
  async function toLedger(session: Pick<StudySession, 'id' | 'kind' | 'materialId'>, record: StoredRecord): Promise<void> {
    await deps.ledger.activity.record(studySessionActivities(session, { ...record, version: 0 }));
  }

  /** A step that settles the record (submit, approve) also settles the absences in the study record. */
  async function settle(actor: User, sessionId: string, step: () => Promise<MeetingRecord>): Promise<MeetingRecord> {
    const record = await step();
    await toLedger(await sessions.load(actor, sessionId), record);
    return record;
  }

  async function draft(session: StudySession, by: User): Promise<void> {
    if (await store.get(session.id)) return;
    const endedAt = session.endedAt ?? clock.now();
    await deps.attendance.closeAll(session.id, endedAt);
    const [roll, stays, live, polls] = await Promise.all([deps.roll.get(session.id), deps.attendance.staysByUser(session.id), deps.live.get(session.id), deps.live.pollResults(session.id)]);
    const material = session.materialId ? await deps.materials.get(session.materialId) : null;
    const observerIds = [...stays.keys()].filter((id) => !roll.has(id));
    const observers = await deps.users.getMany(observerIds);
    const draft = draftRecord({
      session: { sessionId: session.id, title: session.title, kind: session.kind, branchId: session.branchId, place: session.place, startedAt: session.startedAt ?? endedAt, endedAt },
      names: { host: await nameOf(session.createdBy), presenter: await nameOf(live?.presenterId ?? session.presenterId), recorder: await nameOf(session.recorderId) },
      roll: [...roll].map(([userId, { name }]) => ({ userId, name, stays: stays.get(userId) ?? [] })),
      observers: observers.map((u) => ({ userId: u.id, name: u.displayName, stays: stays.get(u.id) ?? [] })),
      material: { title: material?.title ?? '', pageCount: live?.pageCount ?? material?.pages ?? 0, pagesCovered: await deps.live.pagesCovered(session.id) },
      polls: polls.map(({ at: _at, ...p }) => p),
      rules: deps.rules ?? DEFAULT_ATTENDANCE_RULES,
      by: who(by),
      now: clock.now(),
    });
    const saved = await store.save(draft, 0);
    if (!saved.ok && saved.reason !== 'exists') throw conflict('会议记录生成失败，请重试');
  }

  /** The session (visible to the actor) and its record; none before the session ended. */
  async function load(actor: User, sessionId: string) {
    const session = await sessions.load(actor, sessionId);
    let record = await store.get(sessionId);
    // An end whose drafting failed half-way (a crash, Redis gone) is drafted on first read instead.
    if (!record && session.status === 'ended') {
      const { version: _v, ...ended } = session;
      await draftOnEnd(ended, actor);
      record = await store.get(sessionId);
    }
    if (!record) throw notFound('会议记录（学习会结束后生成）');
    // The record names the branch's attendance: its members, hosts and recorder read it; an observer from another
    // branch only if they attended (they may add a 心得体会), never just because observers were allowed.
    const mayRead =
      mayWrite(actor, session) ||
      actor.role === 'admin' ||
      actor.branchId === session.branchId ||
      record.observers.some((o) => o.userId === actor.id);
    if (!mayRead) throw notFound('会议记录');
    return { session, record };
  }

  /** The recorder, and the session's hosts, complete and submit the record. */
  const mayWrite = (actor: User, session: StudySession) => sessions.isHost(actor, session) || actor.id === session.recorderId;

  function applyStep(step: RecordStep<StoredRecord>): StoredRecord {
    if (step.ok) return step.record;
    if (step.reason === 'UNKNOWN_MEMBER') throw invalidInput(step.message, [{ path: 'leave', message: step.message }]);
    throw new AppError(ErrorCode.WRONG_PHASE, step.message);
  }

  async function write(next: StoredRecord, version: number): Promise<MeetingRecord> {
    const saved = await store.save(next, version);
    if (!saved.ok) throw saved.reason === 'missing' ? notFound('会议记录') : conflict('记录已被他人修改，请刷新后再编辑');
    return { ...next, version: saved.version };
  }

  async function change(actor: User, sessionId: string, allowed: (session: StudySession) => boolean, make: (r: StoredRecord) => RecordStep<StoredRecord>, version?: number) {
    const { session, record } = await load(actor, sessionId);
    if (!allowed(session)) throw forbidden();
    const { version: current, ...rest } = record;
    if (version !== undefined && version !== current) throw conflict('记录已被他人修改，请刷新后再编辑');
    return write(applyStep(make(rest)), current);
  }

  return {
    draftOnEnd,

    async get(actor: User, sessionId: string): Promise<MeetingRecord> {
      return (await load(actor, sessionId)).record;
    },

    update: (actor: User, sessionId: string, input: RecordUpdateInput) =>
      change(actor, sessionId, (s) => mayWrite(actor, s), (r) => editRecord(r, input, who(actor), clock.now()), input.version),
    submit: (actor: User, sessionId: string) => settle(actor, sessionId, () => change(actor, sessionId, (s) => mayWrite(actor, s), (r) => moveRecord(r, 'submit', who(actor), clock.now()))),
    approve: (actor: User, sessionId: string) => settle(actor, sessionId, () => change(actor, sessionId, () => actor.role === 'admin', (r) => moveRecord(r, 'approve', who(actor), clock.now()))),
    returnRecord: (actor: User, sessionId: string, reason: string) =>
      change(actor, sessionId, () => actor.role === 'admin', (r) => moveRecord(r, 'return', who(actor), clock.now(), reason)),
    revise: (actor: User, sessionId: string) => change(actor, sessionId, (s) => mayWrite(actor, s), (r) => reviseRecord(r, who(actor), clock.now())),

    /** Records with their status: a secretary's branch, or any branch for admins; members have none to manage. */
    async list(actor: User, query: { branchId?: string; from?: number; to?: number; status?: MeetingRecord['status'] }): Promise<MeetingRecord[]> {
      if (actor.role === 'member') throw forbidden('会议记录由支部书记和管理员管理');
      if (actor.role === 'secretary' && query.branchId && query.branchId !== actor.branchId) throw forbidden('只能查看本支部的会议记录');
      const branchId = actor.role === 'admin' ? query.branchId : (actor.branchId ?? '');
      const all = await store.between(query.from ?? 0, query.to ?? Number.MAX_SAFE_INTEGER);
      return all.filter((r) => (!branchId || r.branchId === branchId) && (!query.status || r.status === query.status)).sort((a, b) => a.startedAt - b.startedAt);
    },

    /** Records waiting for an admin's approval: every branch's for an admin, their own branch's for a secretary. */
    async awaitingApproval(actor: User): Promise<MeetingRecord[]> {
      if (actor.role === 'member') throw forbidden('会议记录由支部书记和管理员管理');
      const all = await store.submitted();
      return actor.role === 'admin' ? all : all.filter((r) => r.branchId === actor.branchId);
    },

    /** A member's 心得体会 within 14 days of the session's end; only who was on the roll or attended. */
    async reflect(actor: User, sessionId: string, text: string): Promise<{ text: string; at: number }> {
      const { session, record } = await load(actor, sessionId);
      const onRecord = record.attendees.some((a) => a.userId === actor.id) || record.observers.some((o) => o.userId === actor.id);
      if (!onRecord) throw forbidden('只有参加本次学习的党员可以提交心得体会');
      const now = clock.now();
      if (now - (session.endedAt ?? now) > REFLECTION_WINDOW_MS) throw new AppError(ErrorCode.TOO_LATE, '学习会结束已超过 14 天，不能再提交心得体会');
      await store.saveReflection(sessionId, actor.id, text, now);
      await deps.ledger.activity.record([reflectionActivity(session, actor.id, now)]);
      return { text, at: now };
    },

    /** Staff see every 心得体会 of the session; a member sees their own. */
    async reflections(actor: User, sessionId: string): Promise<{ userId: string; name: string; text: string; at: number }[]> {
      const { session, record } = await load(actor, sessionId);
      const all = await store.reflections(sessionId);
      const names = new Map([...record.attendees, ...record.observers].map((p) => [p.userId, p.name]));
      const mine = !mayWrite(actor, session) && actor.role !== 'admin';
      return [...all]
        .filter(([userId]) => !mine || userId === actor.id)
        .map(([userId, r]) => ({ userId, name: names.get(userId) ?? '', ...r }))
        .sort((a, b) => a.at - b.at);
    },
  };
}

export type RecordsService = ReturnType<typeof createRecordsService>;
