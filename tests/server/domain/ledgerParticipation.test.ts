import { describe, expect, it } from 'vitest';
import { DEFAULT_LEDGER_SETTINGS } from '../../../shared/schemas/ledger';
import { hoursFor } from '../../../server/domain/ledger/hours';
import { dueWindows, meetingsHeld, participation, proRatedTarget, rankBranches, rollShare } from '../../../server/domain/ledger/participation';
import { bucketsOfDay, dayStartAt, periodBuckets, periodSpan, periodsBack, resolvePeriod } from '../../../server/domain/ledger/period';

const TZ = 'Asia/Shanghai';
const at = (day: string) => dayStartAt(day, TZ);

describe('ledger periods (organisation time zone)', () => {
  it('resolves week (Monday first), month, quarter and year around a day', () => {
    expect(resolvePeriod({ period: 'week', date: '2026-12-03' }, '2026-12-01')).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(resolvePeriod({ period: 'month' }, '2026-02-10')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(resolvePeriod({ period: 'quarter', date: '2026-05-20' }, '2026-12-01')).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(resolvePeriod({ period: 'year' }, '2026-12-01')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(resolvePeriod({ period: 'custom', from: '2026-03-05', to: '2026-04-02' }, '2026-12-01')).toEqual({ from: '2026-03-05', to: '2026-04-02' });
  });

  it('covers a period with the fewest aggregate buckets, so a year reads one and a 12-month trend 12', () => {
    expect(periodBuckets({ from: '2026-01-01', to: '2026-12-31' })).toEqual(['y:2026']);
    expect(periodBuckets({ from: '2026-04-01', to: '2026-06-30' })).toEqual(['q:2026-Q2']);
    expect(periodBuckets({ from: '2026-06-01', to: '2026-06-30' })).toEqual(['m:2026-06']);
    expect(periodBuckets({ from: '2026-03-30', to: '2026-08-02' })).toEqual(['d:2026-03-30', 'd:2026-03-31', 'q:2026-Q2', 'm:2026-07', 'd:2026-08-01', 'd:2026-08-02']);
    expect(periodBuckets({ from: '2025-11-01', to: '2027-01-01' })).toEqual(['m:2025-11', 'm:2025-12', 'y:2026', 'd:2027-01-01']);
    expect(bucketsOfDay('2026-08-15')).toEqual(['d:2026-08-15', 'm:2026-08', 'q:2026-Q3', 'y:2026']);
  });

  it('a Shanghai day starts at 16:00 UTC the day before', () => {
    expect(new Date(at('2026-12-01')).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(periodSpan({ from: '2026-12-01', to: '2026-12-01' }, TZ).end - periodSpan({ from: '2026-12-01', to: '2026-12-01' }, TZ).start).toBe(86_400_000);
  });

  it('twelve months back end with the current one', () => {
    const months = periodsBack({ period: 'month' }, '2026-12-01', 12);
    expect(months).toHaveLength(12);
    expect(months[0]).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(months[11]).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
});

describe('issue 12: participation rate with members joining and leaving mid-period', () => {
  const june = periodSpan({ from: '2026-06-01', to: '2026-06-30' }, TZ);

  it('counts a member for the part of the period they were on the roll', () => {
    expect(rollShare([[at('2026-01-01'), null]], june)).toBe(1);
    expect(rollShare([[at('2026-06-16'), null]], june)).toBeCloseTo(0.5, 5);
    expect(rollShare([[at('2026-01-01'), at('2026-06-11')]], june)).toBeCloseTo(1 / 3, 5);
    expect(rollShare([[at('2026-07-01'), null]], june)).toBe(0);
    // Left and came back: both stretches count.
    expect(rollShare([[at('2026-01-01'), at('2026-06-06')], [at('2026-06-26'), null]], june)).toBeCloseTo(10 / 30, 5);
  });

  it('weights both sides by the share, so a late joiner who took part neither inflates nor punishes the branch', () => {
    const shares = new Map([
      ['full-active', 1],
      ['full-idle', 1],
      ['half-joined-active', 0.5],
      ['third-left-idle', 1 / 3],
    ]);
    const p = participation(shares, ['full-active', 'half-joined-active', 'stranger-not-on-roll']);
    expect(p.onRoll).toBeCloseTo(2.833, 3);
    expect(p.tookPart).toBeCloseTo(1.5, 3);
    expect(p.rate).toBeCloseTo(1.5 / (2 + 0.5 + 1 / 3), 4);
    expect(participation(new Map(), []).rate).toBeNull();
  });

  it('pro-rates the yearly 学时 target to the period', () => {
    expect(proRatedTarget(32, { from: '2026-01-01', to: '2026-12-31' })).toBe(32);
    expect(proRatedTarget(36.5, { from: '2026-06-01', to: '2026-06-10' })).toBe(1);
  });
});

describe('issue 12: 三会一课 meetings held vs due', () => {
  it('a year is due 4 branch meetings, 4 lectures, 12 of each monthly kind; a window counts once however many meetings', () => {
    const year = dueWindows(DEFAULT_LEDGER_SETTINGS.cadence, { from: '2026-01-01', to: '2026-12-31' });
    expect(year.filter((w) => w.kind === 'branch_general_meeting')).toHaveLength(4);
    expect(year.filter((w) => w.kind === 'committee_meeting')).toHaveLength(12);
    expect(year.filter((w) => w.kind === 'collective_study')).toHaveLength(0);
    const held = meetingsHeld(
      year.filter((w) => w.kind === 'party_lecture'),
      [
        { kind: 'party_lecture', day: '2026-02-10' },
        { kind: 'party_lecture', day: '2026-03-10' },
        { kind: 'party_lecture', day: '2026-11-02' },
        { kind: 'committee_meeting', day: '2026-05-02' },
      ],
    );
    expect(held).toEqual({ held: 2, due: 4 });
  });

  it('a month is due a quarterly meeting only when its quarter ends in it', () => {
    const may = dueWindows(DEFAULT_LEDGER_SETTINGS.cadence, { from: '2026-05-01', to: '2026-05-31' });
    const june = dueWindows(DEFAULT_LEDGER_SETTINGS.cadence, { from: '2026-06-01', to: '2026-06-30' });
    expect(may.some((w) => w.kind === 'party_lecture')).toBe(false);
    expect(june.find((w) => w.kind === 'party_lecture')).toEqual({ kind: 'party_lecture', from: '2026-04-01', to: '2026-06-30' });
  });
});

describe('issue 12: branch ranking ties', () => {
  it('ranks by rate, then meetings held vs due, then accuracy; equal branches share a place', () => {
    const ranked = rankBranches([
      { branchId: 'a', rate: 0.8, meetingsRatio: 0.5, accuracy: 0.9 },
      { branchId: 'b', rate: 0.8, meetingsRatio: 1, accuracy: 0.1 },
      { branchId: 'c', rate: 0.9, meetingsRatio: 0, accuracy: 0 },
      { branchId: 'd', rate: 0.8, meetingsRatio: 0.5, accuracy: 0.9 },
      { branchId: 'e', rate: 0.8, meetingsRatio: 0.5, accuracy: 0.7 },
      { branchId: 'f', rate: null, meetingsRatio: null, accuracy: null },
    ]);
    expect(ranked.map((r) => [r.branchId, r.rank])).toEqual([
      ['c', 1],
      ['b', 2],
      ['a', 3],
      ['d', 3],
      ['e', 5],
      ['f', 6],
    ]);
  });
});

describe('issue 12: 学时 rules', () => {
  it('a session counts attended minutes to the nearest half hour; absence and leave count nothing; self review nothing by default', () => {
    const session = (minutes: number, status: 'present' | 'absent' | 'leave' = 'present') => hoursFor({ kind: 'study_session', sessionKind: 'party_lecture', result: { status, minutes } }, DEFAULT_LEDGER_SETTINGS);
    expect(session(90)).toBe(1.5);
    expect(session(100)).toBe(1.5);
    expect(session(106)).toBe(2);
    expect(session(120, 'absent')).toBe(0);
    expect(session(120, 'leave')).toBe(0);
    expect(hoursFor({ kind: 'live_game', result: {} }, DEFAULT_LEDGER_SETTINGS)).toBe(0.5);
    expect(hoursFor({ kind: 'exam', result: {} }, DEFAULT_LEDGER_SETTINGS)).toBe(1);
    expect(hoursFor({ kind: 'daily_set', result: {} }, DEFAULT_LEDGER_SETTINGS)).toBe(0);
    expect(hoursFor({ kind: 'study_session', sessionKind: 'committee_meeting', result: { status: 'present', minutes: 60 } }, { ...DEFAULT_LEDGER_SETTINGS, sessionKindsCountMinutes: ['party_lecture'] })).toBe(0);
  });
});
