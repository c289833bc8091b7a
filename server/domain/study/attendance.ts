/**
 * Attendance of a study session, from the raw socket intervals the server kept.
 * Pure: the caller passes the session's live window and the intervals; nothing here reads a clock.
 */

/** One socket's stay: joined at `from`, left at `to`; `to` is null while the socket is open (or was left open by a crash). */
export interface StayInterval {
  from: number;
  to: number | null;
  /** The last heartbeat of the process that held the socket: where an interval a crash left open ends. */
  lastSeen?: number;
}

export type AttendanceStatus = 'present' | 'late' | 'left_early' | 'absent';

export interface AttendanceRules {
  /** Share of the session's live time a member must be there to count as 出席 (organisation setting, default 0.8). */
  presentShare: number;
}

export const DEFAULT_ATTENDANCE_RULES: AttendanceRules = { presentShare: 0.8 };

export interface Attendance {
  status: AttendanceStatus;
  /** Time actually there, after merging overlapping stays (two tabs never count twice). */
  attendedMs: number;
  /** From the session's start to the first arrival; 0 when on time or absent. */
  lateMs: number;
  /** From the last departure to the session's end; 0 when there to the end or absent. */
  leftEarlyMs: number;
  /** The merged stays, clamped to the session: the evidence behind the status. */
  stays: { from: number; to: number }[];
}

/** Where an interval ends: its leave time, else the last heartbeat, else (still open at the end) the session's end. */
function endOf(stay: StayInterval, sessionEnd: number): number {
  if (stay.to !== null) return stay.to;
  return stay.lastSeen ?? sessionEnd;
}

/** Clamps stays to [start, end], drops empty ones and merges overlapping or touching ones. */
export function mergeStays(stays: StayInterval[], start: number, end: number): { from: number; to: number }[] {
  const clamped = stays
    .map((s) => ({ from: Math.max(s.from, start), to: Math.min(endOf(s, end), end) }))
    .filter((s) => s.to > s.from)
    .sort((a, b) => a.from - b.from);
  const merged: { from: number; to: number }[] = [];
  for (const s of clamped) {
    const last = merged[merged.length - 1];
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else merged.push({ ...s });
  }
  return merged;
}

/** A member's attendance for a session that was live from `start` to `end`. */
export function computeAttendance(stays: StayInterval[], start: number, end: number, rules: AttendanceRules = DEFAULT_ATTENDANCE_RULES): Attendance {
  const merged = mergeStays(stays, start, end);
  const attendedMs = merged.reduce((sum, s) => sum + (s.to - s.from), 0);
  const liveMs = Math.max(0, end - start);
  if (attendedMs === 0) return { status: 'absent', attendedMs: 0, lateMs: 0, leftEarlyMs: 0, stays: [] };
  const lateMs = merged[0]!.from - start;
  const leftEarlyMs = end - merged[merged.length - 1]!.to;
  if (liveMs === 0 || attendedMs >= rules.presentShare * liveMs) return { status: 'present', attendedMs, lateMs, leftEarlyMs, stays: merged };
  // Short of the share: name the larger gap at the edges; a member who came and went in the middle is marked late.
  const status: AttendanceStatus = leftEarlyMs > lateMs ? 'left_early' : 'late';
  return { status, attendedMs, lateMs, leftEarlyMs, stays: merged };
}

/** Whole minutes, rounded half up: what the record and the ledger show. */
export const toMinutes = (ms: number) => Math.round(ms / 60_000);
