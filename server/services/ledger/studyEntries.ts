import { ABSENT_STATUSES } from '../../../shared/schemas/ledger';
import type { MeetingRecord, StudySession } from '../../../shared/schemas/study';
import type { Activity } from './activity';

/**
 * An ended study session's people as study-record activities: who attended (with status and minutes) and observers
 * as soon as the session ends; who was absent or on leave (缺席/请假: the ledger shows them, participation does not
 * count them) once the recorder has submitted the record, because 请假 is entered by the recorder after the meeting
 * and the record keeps only the first write of each member.
 */
export function studySessionActivities(session: Pick<StudySession, 'id' | 'kind' | 'materialId'>, record: MeetingRecord): Activity[] {
  const base = { kind: 'study_session' as const, refId: session.id, at: record.endedAt, title: record.title, sessionKind: session.kind, ...(session.materialId ? { materialId: session.materialId } : {}) };
  const settled = record.status !== 'draft';
  return [
    ...record.attendees
      .filter((a) => settled || !ABSENT_STATUSES.includes(a.status))
      .map((a) => ({ ...base, memberId: a.userId, result: { status: a.status, minutes: a.minutes }, note: a.leaveReason ?? '' })),
    ...record.observers.map((o) => ({ ...base, memberId: o.userId, result: { status: 'present' as const, minutes: o.minutes }, note: '列席' })),
  ];
}

/** A 心得体会 as an activity: once per member and session, whatever later edits. */
export function reflectionActivity(session: Pick<StudySession, 'id' | 'title'>, memberId: string, at: number): Activity {
  return { kind: 'reflection', refId: session.id, memberId, at, title: session.title, result: {} };
}
