import { describe, expect, it } from 'vitest';
import { countAttendance, draftRecord, editRecord, moveRecord, reviseRecord, type DraftInput } from '../../../server/domain/study/record';
import { DEFAULT_ATTENDANCE_RULES } from '../../../server/domain/study/attendance';

const MIN = 60_000;
const start = Date.UTC(2026, 11, 1, 1, 0);
const end = start + 60 * MIN;
const secretary = { id: 's1', name: '王书记' };
const admin = { id: 'a1', name: '管理员' };

const input = (): DraftInput => ({
  session: { sessionId: 'ss1', title: '十二月集体学习', kind: 'collective_study', branchId: 'b1', place: '会议室', startedAt: start, endedAt: end },
  names: { host: '王书记', presenter: '李老师', recorder: '张记录' },
  roll: [
    { userId: 'u1', name: '甲', stays: [{ from: start, to: end }] },
    { userId: 'u2', name: '乙', stays: [{ from: start + 20 * MIN, to: end }] },
    { userId: 'u3', name: '丙', stays: [{ from: start, to: start + 30 * MIN }] },
    { userId: 'u4', name: '丁', stays: [] },
    { userId: 'u5', name: '戊', stays: [] },
  ],
  observers: [
    { userId: 'o1', name: '外支部', stays: [{ from: start, to: start + 45 * MIN }] },
    { userId: 'o2', name: '只点开过', stays: [] },
  ],
  material: { title: '党章', pageCount: 5, pagesCovered: [0, 1, 2] },
  polls: [],
  rules: DEFAULT_ATTENDANCE_RULES,
  by: secretary,
  now: end,
});

describe('meeting record', () => {
  it('is drafted with 应到/实到/缺席 computed from attendance; 迟到 and 早退 count as attended', () => {
    const r = draftRecord(input());
    expect(r).toMatchObject({ status: 'draft', revision: 1, expected: 5, attended: 3, onLeave: 0, absent: 2, materialTitle: '党章', pagesCovered: [0, 1, 2] });
    expect(r.attendees.map((a) => [a.name, a.status, a.minutes])).toEqual([
      ['甲', 'present', 60],
      ['乙', 'late', 40],
      ['丙', 'left_early', 30],
      ['丁', 'absent', 0],
      ['戊', 'absent', 0],
    ]);
    expect(r.attendees[1]!.lateMinutes).toBe(20);
    expect(r.observers).toEqual([{ userId: 'o1', name: '外支部', minutes: 45 }]);
    expect(r.history).toEqual([{ at: end, by: 's1', byName: '王书记', action: 'drafted', revision: 1, note: '' }]);
  });

  it('the recorder marks 请假 with a reason for absent members only; counts follow', () => {
    const r = draftRecord(input());
    const step = editRecord(r, { version: 1, leave: [{ userId: 'u4', reason: '出差' }, { userId: 'u1', reason: '不应生效' }], resolutions: '会议决定……' }, secretary, end + MIN);
    if (!step.ok) throw new Error(step.message);
    expect(step.record).toMatchObject({ expected: 5, attended: 3, onLeave: 1, absent: 1, resolutions: '会议决定……' });
    expect(step.record.attendees.find((a) => a.userId === 'u4')).toMatchObject({ status: 'leave', leaveReason: '出差' });
    expect(step.record.attendees.find((a) => a.userId === 'u1')!.status).toBe('present');
    expect(step.record.history.at(-1)).toMatchObject({ action: 'edited', note: '请假、决议' });
    // Taking the leave back makes the member absent again.
    const back = editRecord(step.record, { version: 2, leave: [] }, secretary, end + 2 * MIN);
    expect(back.ok && countAttendance(back.record.attendees)).toEqual({ expected: 5, attended: 3, onLeave: 0, absent: 2 });
  });

  it('an unknown member id is refused', () => {
    expect(editRecord(draftRecord(input()), { version: 1, leave: [{ userId: 'nobody', reason: 'x' }] }, secretary, end)).toMatchObject({ ok: false, reason: 'UNKNOWN_MEMBER' });
  });

  it('flows draft -> submitted -> returned (reason) -> submitted -> approved; approved is read-only; a correction is a new revision', () => {
    let r = draftRecord(input());
    const step = (s: ReturnType<typeof moveRecord<typeof r>>) => {
      if (!s.ok) throw new Error(s.message);
      return s.record;
    };
    expect(moveRecord(r, 'approve', admin, end)).toMatchObject({ ok: false, reason: 'WRONG_PHASE' });
    r = step(moveRecord(r, 'submit', secretary, end + 1));
    expect(editRecord(r, { version: 2, resolutions: 'x' }, secretary, end)).toMatchObject({ ok: false, reason: 'WRONG_PHASE' });
    r = step(moveRecord(r, 'return', admin, end + 2, '缺少决议'));
    expect(r).toMatchObject({ status: 'returned', returnReason: '缺少决议' });
    r = step(editRecord(r, { version: 3, resolutions: '补充决议' }, secretary, end + 3));
    r = step(moveRecord(r, 'submit', secretary, end + 4));
    r = step(moveRecord(r, 'approve', admin, end + 5));
    expect(r.status).toBe('approved');
    expect(editRecord(r, { version: 6, resolutions: '偷改' }, secretary, end + 6)).toMatchObject({ ok: false, reason: 'WRONG_PHASE' });
    expect(moveRecord(r, 'return', admin, end + 6, 'x')).toMatchObject({ ok: false, reason: 'WRONG_PHASE' });
    const revised = reviseRecord(r, secretary, end + 7);
    expect(revised).toMatchObject({ ok: true, record: { status: 'draft', revision: 2, resolutions: '补充决议' } });
    expect(revised.ok && revised.record.history.map((h) => `${h.action}:${h.revision}`)).toEqual([
      'drafted:1', 'submitted:1', 'returned:1', 'edited:1', 'submitted:1', 'approved:1', 'revised:2',
    ]);
    expect(reviseRecord(draftRecord(input()), secretary, end)).toMatchObject({ ok: false, reason: 'WRONG_PHASE' });
  });
});
