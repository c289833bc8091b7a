import type { MeetingRecord, StudySession } from '../../../shared/schemas/study';
import type { Activity } from './activity';

/**
 * An ended study session's people as study-record activities: everyone on the roll with their status and minutes
 * (缺席 and 请假 too: the ledger shows them, participation does not count them), and observers as present.
 */
export function studySessionActivities(session: Pick<StudySession, 'id' | 'kind' | 'materialId'>, record: MeetingRecord): Activity[] {
  const base = { kind: 'study_session' as const, refId: session.id, at: record.endedAt, title: record.title, sessionKind: session.kind, ...(session.materialId ? { materialId: session.materialId } : {}) };
  return [
    ...record.attendees.map((a) => ({ ...base, memberId: a.userId, result: { status: a.status, minutes: a.minutes }, note: a.leaveReason ?? '' })),
    ...record.observers.map((o) => ({ ...base, memberId: o.userId, result: { status: 'present' as const, minutes: o.minutes }, note: '列席' })),
  ];
}

/** A 心得体会 as an activity: once per member and session, whatever later edits. */
export function reflectionActivity(session: Pick<StudySession, 'id' | 'title'>, memberId: string, at: number): Activity {
  return { kind: 'reflection', refId: session.id, memberId, at, title: session.title, result: {} };
}
