import type { Cadence } from '../../../shared/schemas/ledger';
import type { StudySessionKind } from '../../../shared/schemas/study';
import { addDays, parseDay, type Period } from './period';

/** A stretch a member was on a branch's roll: [from, to) in epoch ms, `to` null while still on it. */
export type RollInterval = [from: number, to: number | null];

/** The share (0..1) of [start, end) the member was on the roll. */
export function rollShare(intervals: RollInterval[], span: { start: number; end: number }): number {
  const length = span.end - span.start;
  if (length <= 0) return 0;
  let covered = 0;
  for (const [from, to] of intervals) {
    const a = Math.max(from, span.start);
    const b = Math.min(to ?? span.end, span.end);
    if (b > a) covered += b - a;
  }
  return Math.min(1, covered / length);
}

export interface Participation {
  /** Members on the roll, each counted for the share of the period they were on it. */
  onRoll: number;
  /** The same weighted count of those with at least one qualifying activity. */
  tookPart: number;
  /** tookPart / onRoll, or null when nobody was on the roll. */
  rate: number | null;
}

/**
 * Participation rate: members who took part / members on the roll. A member on the roll for half the period counts
 * half on both sides, so joining or leaving mid-period neither inflates nor punishes the branch; activity of someone not
 * on the roll at all does not count.
 */
export function participation(shares: Map<string, number>, participants: Iterable<string>): Participation {
  let onRoll = 0;
  for (const share of shares.values()) onRoll += share;
  let tookPart = 0;
  for (const id of new Set(participants)) tookPart += shares.get(id) ?? 0;
  return { onRoll: round(onRoll, 3), tookPart: round(tookPart, 3), rate: onRoll > 0 ? round(tookPart / onRoll, 4) : null };
}

export const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** The yearly 学时 target pro-rated to the period's days (a 31-day month of 32 学时 is 2.7). */
export function proRatedTarget(yearlyTarget: number, period: Period): number {
  const year = Number(period.from.slice(0, 4));
  const daysInYear = (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 86_400_000;
  const days = (parseDay(period.to) - parseDay(period.from)) / 86_400_000 + 1;
  return round((yearlyTarget * days) / daysInYear, 2);
}

/** 学时 for attended minutes: minutes / 60 to the nearest half hour. */
export const hoursForMinutes = (minutes: number): number => Math.round(Math.max(0, minutes) / 30) / 2;

export interface MeetingWindow {
  kind: StudySessionKind;
  from: string;
  to: string;
}

/**
 * 三会一课 windows that end inside the period: a kind due every N months has windows aligned to January (monthly:
 * each month; quarterly: Jan-Mar, ...). A window ending after the period is not yet due.
 */
export function dueWindows(cadence: Cadence, period: Period): MeetingWindow[] {
  const out: MeetingWindow[] = [];
  const firstYear = Number(period.from.slice(0, 4)) - 1;
  const lastYear = Number(period.to.slice(0, 4));
  for (const [kind, months] of Object.entries(cadence) as [StudySessionKind, number][]) {
    if (months <= 0) continue;
    for (let y = firstYear; y <= lastYear; y++) {
      for (let m0 = 0; m0 < 12; m0 += months) {
        const from = new Date(Date.UTC(y, m0, 1)).toISOString().slice(0, 10);
        const to = addDays(new Date(Date.UTC(y, m0 + months, 1)).toISOString().slice(0, 10), -1);
        if (to >= period.from && to <= period.to) out.push({ kind, from, to });
      }
    }
  }
  return out;
}

/** Meetings held vs due: a window counts as held when at least one meeting of its kind fell in it (days, org zone). */
export function meetingsHeld(windows: MeetingWindow[], held: { kind: StudySessionKind; day: string }[]): { held: number; due: number } {
  let met = 0;
  for (const w of windows) if (held.some((h) => h.kind === w.kind && h.day >= w.from && h.day <= w.to)) met++;
  return { held: met, due: windows.length };
}

export interface RankInput {
  branchId: string;
  rate: number | null;
  meetingsRatio: number | null;
  accuracy: number | null;
}

/**
 * Branches by participation rate, ties broken by meetings held vs due, then average accuracy; branches equal on all
 * three share a place (1, 2, 2, 4). Unknown figures sort last.
 */
export function rankBranches<T extends RankInput>(rows: T[]): (T & { rank: number })[] {
  const key = (r: RankInput) => [r.rate ?? -1, r.meetingsRatio ?? -1, r.accuracy ?? -1];
  const sorted = [...rows].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i]! - ka[i]!;
    return a.branchId.localeCompare(b.branchId);
  });
  const out: (T & { rank: number })[] = [];
  sorted.forEach((row, i) => {
    const prev = out[i - 1];
    const same = prev !== undefined && key(prev).every((v, j) => v === key(row)[j]);
    out.push({ ...row, rank: same ? prev.rank : i + 1 });
  });
  return out;
}
