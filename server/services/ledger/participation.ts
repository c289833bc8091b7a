import { LEDGER_KINDS, type LedgerKind, type LedgerSettings } from '../../../shared/schemas/ledger';
import type { BranchParticipation, ParticipationReport } from '../../../shared/schemas/ledgerReports';
import { dueWindows, meetingsHeld, participation, proRatedTarget, rankBranches, rollShare, round, type RollInterval } from '../../domain/ledger/participation';
import { periodBuckets, periodSpan, type Period } from '../../domain/ledger/period';
import { dayKey } from '../../domain/review/day';
import type { BranchesStore } from '../../store/branchesStore';
import type { LedgerRecordStore, MemberAggregate } from '../../store/ledger/recordStore';
import type { LedgerRollStore } from '../../store/ledger/rollStore';
import type { StudySessionKind } from '../../../shared/schemas/study';

export interface ParticipationDeps {
  store: LedgerRecordStore;
  roll: LedgerRollStore;
  branches: BranchesStore;
  settings: () => Promise<LedgerSettings>;
  timeZone: string;
}

export interface ReportContext {
  rules: LedgerSettings;
  rolls: Map<string, Map<string, RollInterval[]>>;
  names: Map<string, string>;
}

/** One branch's figures for a period, with what a member list or the catch-up list needs. */
export interface BranchDetail extends Omit<BranchParticipation, 'rank'> {
  shares: Map<string, number>;
  members: Map<string, MemberAggregate>;
}

/** Participation, meetings held vs due, 学时 and accuracy per branch, read from the aggregates and the roll. */
export function createParticipationService(d: ParticipationDeps) {
  /** What every period of a report shares (a trend of 12 periods reads the roll and the rules once). */
  async function context(branchIds: string[], known?: { id: string; name: string }[]): Promise<ReportContext> {
    const [rules, rolls, branches] = await Promise.all([d.settings(), d.roll.of(branchIds), known ?? d.branches.list()]);
    return { rules, rolls, names: new Map(branches.map((b) => [b.id, b.name])) };
  }

  async function details(branchIds: string[], period: Period, shared?: ReportContext): Promise<BranchDetail[]> {
    const { rules, rolls, names } = shared ?? (await context(branchIds));
    const span = periodSpan(period, d.timeZone);
    const windows = dueWindows(rules.cadence, period);
    const earliest = windows.reduce((min, w) => (w.from < min ? w.from : min), period.from);
    const [aggs, meetings] = await Promise.all([
      d.store.aggregatesMany(branchIds, periodBuckets(period)),
      d.store.meetings(branchIds, periodSpan({ from: earliest, to: period.to }, d.timeZone).start, span.end),
    ]);
    const target = proRatedTarget(rules.yearlyTargetHours, period);
    return branchIds.map((branchId) => {
      const members = aggs.get(branchId) ?? new Map<string, MemberAggregate>();
      const shares = new Map<string, number>();
      for (const [memberId, stretches] of rolls.get(branchId) ?? []) {
        const share = rollShare(stretches, span);
        if (share > 0) shares.set(memberId, share);
      }
      const took = (kind?: LedgerKind) => [...members].filter(([, a]) => (kind ? (a.kinds[kind] ?? 0) > 0 : a.activities > 0)).map(([m]) => m);
      const overall = participation(shares, took());
      const byKind = Object.fromEntries(LEDGER_KINDS.map((k) => [k, participation(shares, took(k)).rate])) as Record<LedgerKind, number | null>;
      let hours = 0;
      let correct = 0;
      let total = 0;
      for (const [memberId, a] of members) {
        if (!shares.has(memberId)) continue;
        hours += a.hours;
        correct += a.correct;
        total += a.total;
      }
      const held = meetingsHeld(windows, (meetings.get(branchId) ?? []).map((m) => ({ kind: m.kind as StudySessionKind, day: dayKey(m.at, d.timeZone) })));
      return {
        branchId,
        name: names.get(branchId) ?? '',
        onRoll: overall.onRoll,
        tookPart: overall.tookPart,
        rate: overall.rate,
        byKind,
        meetings: held,
        meetingsRatio: held.due > 0 ? round(held.held / held.due, 4) : null,
        hoursPerMember: overall.onRoll > 0 ? round(hours / overall.onRoll, 2) : 0,
        targetPerMember: target,
        accuracy: total > 0 ? round(correct / total, 4) : null,
        shares,
        members,
      };
    });
  }

  /** Participation rates only, per period and branch, from the sets of who took part (a trend's 12 periods). */
  async function rates(branchIds: string[], periods: Period[], shared: ReportContext): Promise<{ branches: Map<string, (number | null)[]>; org: (number | null)[] }> {
    const perPeriod = await Promise.all(periods.map((p) => d.store.participantsMany(branchIds, periodBuckets(p))));
    const branches = new Map<string, (number | null)[]>(branchIds.map((b) => [b, []]));
    const org: (number | null)[] = [];
    periods.forEach((p, i) => {
      const span = periodSpan(p, d.timeZone);
      let onRoll = 0;
      let tookPart = 0;
      for (const branchId of branchIds) {
        const shares = new Map<string, number>();
        for (const [memberId, stretches] of shared.rolls.get(branchId) ?? []) {
          const share = rollShare(stretches, span);
          if (share > 0) shares.set(memberId, share);
        }
        const figures = participation(shares, perPeriod[i]!.get(branchId) ?? []);
        branches.get(branchId)!.push(figures.rate);
        onRoll += figures.onRoll;
        tookPart += figures.tookPart;
      }
      org.push(onRoll > 0 ? round(tookPart / onRoll, 4) : null);
    });
    return { branches, org };
  }

  return {
    details,
    context,
    rates,

    /** Every branch asked for, ranked, with the organisation's figures (each member once, weighted by roll share). */
    async report(branchIds: string[], period: Period, shared?: ReportContext): Promise<ParticipationReport> {
      const rows = await details(branchIds, period, shared);
      const ranked = rankBranches(rows.map(({ shares: _s, members: _m, ...row }) => row));
      const onRoll = rows.reduce((s, r) => s + r.onRoll, 0);
      const tookPart = rows.reduce((s, r) => s + r.tookPart, 0);
      const held = rows.reduce((s, r) => s + r.meetings.held, 0);
      const due = rows.reduce((s, r) => s + r.meetings.due, 0);
      return {
        period,
        branches: ranked,
        org: { onRoll: round(onRoll, 3), tookPart: round(tookPart, 3), rate: onRoll > 0 ? round(tookPart / onRoll, 4) : null, meetings: { held, due } },
      };
    },
  };
}

export type ParticipationService = ReturnType<typeof createParticipationService>;
