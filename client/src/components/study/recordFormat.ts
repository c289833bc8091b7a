import type { MeetingRecord, RecordAttendee, StudySession } from '../../../../shared/schemas/study';
import type { User } from '../../../../shared/schemas/users';
import { formatDateTime } from '../games/format';

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-12-01 14:00–15:30" (the end's date is repeated only when the meeting ran past midnight). */
export function timeRange(start: number, end: number): string {
  const a = formatDateTime(start);
  const b = formatDateTime(end);
  return a.slice(0, 10) === b.slice(0, 10) ? `${a}–${b.slice(11)}` : `${a}–${b}`;
}

/** The pages shown, 1-based and merged into runs: [0,1,2,4] -> "1–3, 5". */
export function pageRuns(pages: number[]): string {
  const sorted = [...new Set(pages)].sort((a, b) => a - b).map((p) => p + 1);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    runs.push(i === j ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return runs.join(', ');
}

/** 实到: there for some of the meeting (出席, 迟到, 早退). */
export const isThere = (a: RecordAttendee) => a.status === 'present' || a.status === 'late' || a.status === 'left_early';

/** Names joined the way a form lists them. */
export const nameList = (people: { name: string }[], sep = '、') => people.map((p) => p.name).join(sep);

/** The server's rule (services/study/records.ts mayWrite): the session's hosts and its recorder complete the record. */
export function mayWriteRecord(user: User | null, session: Pick<StudySession, 'branchId' | 'createdBy' | 'recorderId'> | null): boolean {
  if (!user || !session) return false;
  if (user.role === 'admin' || user.id === session.createdBy || user.id === session.recorderId) return true;
  return user.role === 'secretary' && user.branchId === session.branchId;
}

/** Whether the record's form fields may be changed at all (the server refuses edits once submitted or approved). */
export const isEditable = (r: Pick<MeetingRecord, 'status'>) => r.status === 'draft' || r.status === 'returned';

/** "2026-12-01" for a date input and file names, in the browser's time zone. */
export function isoDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export interface Quarter {
  year: number;
  q: number;
  from: number;
  to: number;
}

/** The calendar quarter `offset` quarters from the one holding `now` (local time); `to` is the last millisecond. */
export function quarterOf(now: number, offset = 0): Quarter {
  const d = new Date(now);
  const index = d.getFullYear() * 4 + Math.floor(d.getMonth() / 3) + offset;
  const year = Math.floor(index / 4);
  const q = (index % 4) + 1;
  const from = new Date(year, (q - 1) * 3, 1).getTime();
  const to = new Date(year, q * 3, 1).getTime() - 1;
  return { year, q, from, to };
}
