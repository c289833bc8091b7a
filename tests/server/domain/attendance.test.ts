import { describe, expect, it } from 'vitest';
import { computeAttendance, mergeStays, toMinutes } from '../../../server/domain/study/attendance';

const MIN = 60_000;
/** A session live from 9:00 for two hours, in epoch ms of a fixed day. */
const start = Date.UTC(2026, 11, 1, 1, 0);
const end = start + 120 * MIN;
const at = (minutes: number) => start + minutes * MIN;

describe('study attendance', () => {
  it('two overlapping tabs count once: a phone and a laptop together for the whole session are 120 minutes, 出席', () => {
    const a = computeAttendance(
      [
        { from: at(0), to: at(120) },
        { from: at(10), to: at(90) },
      ],
      start,
      end,
    );
    expect(a).toMatchObject({ status: 'present', attendedMs: 120 * MIN, lateMs: 0, leftEarlyMs: 0 });
    expect(a.stays).toEqual([{ from: at(0), to: at(120) }]);
  });

  it('an interval a crash left open ends at its last heartbeat, not at the end of the session', () => {
    const a = computeAttendance([{ from: at(0), to: null, lastSeen: at(60) }], start, end);
    expect(a.attendedMs).toBe(60 * MIN);
    expect(a.status).toBe('left_early');
    expect(toMinutes(a.leftEarlyMs)).toBe(60);
  });

  it('an interval still open when the session ends (no heartbeat known) runs to the end', () => {
    expect(computeAttendance([{ from: at(5), to: null }], start, end)).toMatchObject({ status: 'present', attendedMs: 115 * MIN, lateMs: 5 * MIN });
  });

  it('stays are clamped to the live window: joining before the start and staying after the end count only the session', () => {
    const a = computeAttendance([{ from: start - 30 * MIN, to: end + 30 * MIN }], start, end);
    expect(a.attendedMs).toBe(120 * MIN);
    expect(a.stays).toEqual([{ from: start, to: end }]);
  });

  it('exactly 80 % is 出席; just under is 迟到 with the late minutes', () => {
    expect(computeAttendance([{ from: at(24), to: at(120) }], start, end).status).toBe('present');
    const late = computeAttendance([{ from: at(25), to: at(120) }], start, end);
    expect(late.status).toBe('late');
    expect(toMinutes(late.lateMs)).toBe(25);
  });

  it('three reconnects with gaps add up; the larger edge gap names the status', () => {
    const a = computeAttendance(
      [
        { from: at(2), to: at(30) },
        { from: at(31), to: at(60) },
        { from: at(62), to: at(80) },
      ],
      start,
      end,
    );
    expect(toMinutes(a.attendedMs)).toBe(75);
    expect(a.status).toBe('left_early');
    expect(toMinutes(a.leftEarlyMs)).toBe(40);
  });

  it('no stay inside the window is 缺席 with no minutes', () => {
    expect(computeAttendance([], start, end)).toEqual({ status: 'absent', attendedMs: 0, lateMs: 0, leftEarlyMs: 0, stays: [] });
    expect(computeAttendance([{ from: end + MIN, to: end + 2 * MIN }], start, end).status).toBe('absent');
  });

  it('the share is an organisation setting', () => {
    const stays = [{ from: at(0), to: at(70) }];
    expect(computeAttendance(stays, start, end).status).toBe('left_early');
    expect(computeAttendance(stays, start, end, { presentShare: 0.5 }).status).toBe('present');
  });

  it('touching stays merge into one', () => {
    expect(mergeStays([{ from: at(0), to: at(10) }, { from: at(10), to: at(20) }], start, end)).toEqual([{ from: at(0), to: at(20) }]);
  });
});
