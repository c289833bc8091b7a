/**
 * The meeting record (会议记录): drafted from what the server saw, completed by the recorder, approved by an admin.
 * Pure: each step takes a record and returns the next one (or why it may not), with a history line for inspections.
 */
import type { MeetingRecord, RecordAttendee, RecordHistoryEntry, RecordStatus, RecordUpdateInput } from '../../../shared/schemas/study';
import { computeAttendance, toMinutes, type AttendanceRules, type StayInterval } from './attendance';

export interface DraftInput {
  session: Pick<MeetingRecord, 'sessionId' | 'title' | 'kind' | 'branchId' | 'place'> & { startedAt: number; endedAt: number };
  names: { host: string; presenter: string; recorder: string };
  /** The branch roll at the start (应到), with each member's stays. */
  roll: { userId: string; name: string; stays: StayInterval[] }[];
  /** People from elsewhere who attended (列席). */
  observers: { userId: string; name: string; stays: StayInterval[] }[];
  material: { title: string; pageCount: number; pagesCovered: number[] };
  polls: MeetingRecord['polls'];
  rules: AttendanceRules;
  by: { id: string; name: string };
  now: number;
}

type Counts = Pick<MeetingRecord, 'expected' | 'attended' | 'onLeave' | 'absent'>;

/** 应到/实到/请假/缺席 from the attendees: 迟到 and 早退 attended; 请假 is not 缺席. */
export function countAttendance(attendees: RecordAttendee[]): Counts {
  const count = (...s: RecordAttendee['status'][]) => attendees.filter((a) => s.includes(a.status)).length;
  return { expected: attendees.length, attended: count('present', 'late', 'left_early'), onLeave: count('leave'), absent: count('absent') };
}

const line = (by: { id: string; name: string }, now: number, action: RecordHistoryEntry['action'], revision: number, note = ''): RecordHistoryEntry => ({
  at: now,
  by: by.id,
  byName: by.name,
  action,
  revision,
  note,
});

export function draftRecord(input: DraftInput): Omit<MeetingRecord, 'version'> {
  const { session, rules } = input;
  const attendees: RecordAttendee[] = input.roll.map((m) => {
    const a = computeAttendance(m.stays, session.startedAt, session.endedAt, rules);
    return { userId: m.userId, name: m.name, status: a.status, minutes: toMinutes(a.attendedMs), lateMinutes: toMinutes(a.lateMs), leftEarlyMinutes: toMinutes(a.leftEarlyMs) };
  });
  const observers = input.observers
    .map((o) => ({ userId: o.userId, name: o.name, minutes: toMinutes(computeAttendance(o.stays, session.startedAt, session.endedAt, rules).attendedMs) }))
    .filter((o) => o.minutes > 0);
  return {
    ...session,
    status: 'draft',
    revision: 1,
    hostName: input.names.host,
    presenterName: input.names.presenter,
    recorderName: input.names.recorder,
    ...countAttendance(attendees),
    attendees,
    observers,
    materialTitle: input.material.title,
    pageCount: input.material.pageCount,
    pagesCovered: input.material.pagesCovered,
    polls: input.polls,
    discussion: [],
    resolutions: '',
    returnReason: '',
    history: [line(input.by, input.now, 'drafted', 1)],
  };
}

export type RecordStep<R> = { ok: true; record: R } | { ok: false; reason: 'WRONG_PHASE' | 'UNKNOWN_MEMBER'; message: string };

const EDITABLE: RecordStatus[] = ['draft', 'returned'];

/** The recorder completes the draft: discussion, resolutions, 请假 with reasons. Approved and submitted records are read-only. */
export function editRecord<R extends Omit<MeetingRecord, 'version'>>(record: R, input: RecordUpdateInput, by: { id: string; name: string }, now: number): RecordStep<R> {
  if (!EDITABLE.includes(record.status)) {
    return { ok: false, reason: 'WRONG_PHASE', message: record.status === 'approved' ? '已批准的记录只读；如需更正，请新建修订' : '记录已提交审批，退回后才能修改' };
  }
  const changed: string[] = [];
  let attendees = record.attendees;
  if (input.leave) {
    const known = new Set(record.attendees.map((a) => a.userId));
    const unknown = input.leave.find((l) => !known.has(l.userId));
    if (unknown) return { ok: false, reason: 'UNKNOWN_MEMBER', message: `成员 ${unknown.userId} 不在本次会议的应到名单中` };
    const reasons = new Map(input.leave.map((l) => [l.userId, l.reason]));
    attendees = record.attendees.map((a) => {
      const reason = reasons.get(a.userId);
      // 请假 applies only to who was not there; a member who attended keeps the status the server saw.
      if (reason !== undefined && (a.status === 'absent' || a.status === 'leave')) return { ...a, status: 'leave' as const, leaveReason: reason };
      if (reason === undefined && a.status === 'leave') return { ...a, status: 'absent' as const, leaveReason: undefined };
      return a;
    });
    changed.push('请假');
  }
  if (input.place !== undefined && input.place !== record.place) changed.push('地点');
  if (input.discussion) changed.push('讨论发言');
  if (input.resolutions !== undefined && input.resolutions !== record.resolutions) changed.push('决议');
  const next: R = {
    ...record,
    place: input.place ?? record.place,
    discussion: input.discussion ?? record.discussion,
    resolutions: input.resolutions ?? record.resolutions,
    attendees,
    ...countAttendance(attendees),
    history: [...record.history, line(by, now, 'edited', record.revision, changed.join('、'))],
  };
  return { ok: true, record: next };
}

const TRANSITIONS = {
  submit: { from: ['draft', 'returned'], to: 'submitted' },
  approve: { from: ['submitted'], to: 'approved' },
  return: { from: ['submitted'], to: 'returned' },
} as const satisfies Record<string, { from: readonly RecordStatus[]; to: RecordStatus }>;

const WRONG_PHASE_MESSAGES: Record<keyof typeof TRANSITIONS, string> = {
  submit: '只有草稿或被退回的记录可以提交',
  approve: '只有已提交的记录可以批准',
  return: '只有已提交的记录可以退回',
};

/** draft -> submitted -> approved | returned (with a reason) -> submitted again. */
export function moveRecord<R extends Omit<MeetingRecord, 'version'>>(record: R, action: keyof typeof TRANSITIONS, by: { id: string; name: string }, now: number, reason = ''): RecordStep<R> {
  const t = TRANSITIONS[action];
  if (!(t.from as readonly RecordStatus[]).includes(record.status)) return { ok: false, reason: 'WRONG_PHASE', message: WRONG_PHASE_MESSAGES[action] };
  const historyAction = action === 'submit' ? 'submitted' : action === 'approve' ? 'approved' : 'returned';
  return {
    ok: true,
    record: { ...record, status: t.to, returnReason: action === 'return' ? reason : record.returnReason, history: [...record.history, line(by, now, historyAction, record.revision, reason)] },
  };
}

/** A correction of an approved record: a new revision in draft; the history keeps who approved the previous one. */
export function reviseRecord<R extends Omit<MeetingRecord, 'version'>>(record: R, by: { id: string; name: string }, now: number): RecordStep<R> {
  if (record.status !== 'approved') return { ok: false, reason: 'WRONG_PHASE', message: '只有已批准的记录需要新建修订' };
  const revision = record.revision + 1;
  return { ok: true, record: { ...record, status: 'draft', revision, returnReason: '', history: [...record.history, line(by, now, 'revised', revision)] } };
}
