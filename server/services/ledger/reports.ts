import type { LedgerEntry, LedgerSettings, PeriodQuery } from '../../../shared/schemas/ledger';
import type { MemberParticipation, MyLedger, ParticipationReport, TrendReport } from '../../../shared/schemas/ledgerReports';
import type { User } from '../../../shared/schemas/users';
import { forbidden, notFound } from '../../domain/errors';
import { proRatedTarget, round } from '../../domain/ledger/participation';
import { periodSpan, periodsBack, resolvePeriod, type Period } from '../../domain/ledger/period';
import { dayKey } from '../../domain/review/day';
import type { Clock } from '../../infra/clock';
import type { BranchesStore } from '../../store/branchesStore';
import type { LedgerRecordStore } from '../../store/ledger/recordStore';
import type { UsersStore } from '../../store/usersStore';
import { assertBranchReader, assertMemberReader, readableBranches } from './access';
import type { BranchDetail, ParticipationService, ReportContext } from './participation';

export interface LedgerReportsDeps {
  store: LedgerRecordStore;
  participation: ParticipationService;
  users: UsersStore;
  branches: BranchesStore;
  settings: () => Promise<LedgerSettings>;
  clock: Clock;
  timeZone: string;
}

const sum = (entries: LedgerEntry[]) => round(entries.reduce((s, e) => s + e.hours, 0), 1);

function memberLines(detail: BranchDetail, names: Map<string, string>): MemberParticipation[] {
  const ids = new Set([...detail.shares.keys()]);
  return [...ids]
    .map((memberId) => {
      const a = detail.members.get(memberId);
      return {
        memberId,
        name: names.get(memberId) ?? '',
        branchId: detail.branchId,
        share: round(detail.shares.get(memberId) ?? 0, 3),
        activities: a?.activities ?? 0,
        kinds: a?.kinds ?? {},
        hours: round(a?.hours ?? 0, 1),
        accuracy: a && a.total > 0 ? round(a.correct / a.total, 4) : null,
        missedMeetings: a?.missed ?? 0,
      };
    })
    .sort((x, y) => x.name.localeCompare(y.name, 'zh-CN'));
}

/** What leaders and members read of the ledger; every figure from the aggregates or one member's own entries. */
export function createLedgerReports(d: LedgerReportsDeps) {
  const today = () => dayKey(d.clock.now(), d.timeZone);
  const period = (q: PeriodQuery): Period => resolvePeriod(q, today());
  const allBranchIds = async () => (await d.branches.list()).map((b) => b.id);
  const names = async (ids: string[]) => new Map((await d.users.getMany(ids)).map((u) => [u.id, u.displayName]));

  /** The branches the actor's reports cover, with what every period of a report shares (one read each). */
  async function scope(actor: User): Promise<{ branchIds: string[]; shared: ReportContext }> {
    const branches = await d.branches.list();
    const branchIds = readableBranches(actor, branches.map((b) => b.id));
    return { branchIds, shared: await d.participation.context(branchIds, branches) };
  }

  async function trendOf({ branchIds, shared }: { branchIds: string[]; shared: ReportContext }, q: PeriodQuery, count: number): Promise<TrendReport> {
    const periods = periodsBack(q, today(), count);
    const { branches, org } = await d.participation.rates(branchIds, periods, shared);
    return {
      periods,
      branches: branchIds.map((b) => ({ branchId: b, name: shared.names.get(b) ?? '', rates: branches.get(b)! })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')),
      org,
    };
  }

  async function rankWithinBranch(member: User, year: Period): Promise<{ rank: number; of: number } | undefined> {
    if (!member.branchId) return undefined;
    const [detail] = await d.participation.details([member.branchId], year);
    if (!detail) return undefined;
    const hours = [...detail.shares.keys()].map((id) => ({ id, h: detail.members.get(id)?.hours ?? 0 }));
    const mine = hours.find((x) => x.id === member.id)?.h ?? 0;
    return { rank: hours.filter((x) => x.h > mine).length + 1, of: hours.length };
  }

  return {
    period,

    async me(member: User, year?: number): Promise<MyLedger> {
      const rules = await d.settings();
      const y = year ?? Number(today().slice(0, 4));
      const span = periodSpan({ from: `${y}-01-01`, to: `${y}-12-31` }, d.timeZone);
      const entries = await d.store.ofMember(member.id, span.start, span.end);
      const soFar: Period = { from: `${y}-01-01`, to: today() < `${y}-12-31` ? today() : `${y}-12-31` };
      const out: MyLedger = { year: y, entries, hours: sum(entries), target: rules.yearlyTargetHours, pace: soFar.to < soFar.from ? 0 : proRatedTarget(rules.yearlyTargetHours, soFar) };
      if (rules.showMemberRank) {
        const rank = await rankWithinBranch(member, { from: `${y}-01-01`, to: `${y}-12-31` });
        if (rank) out.rank = rank;
      }
      return out;
    },

    async memberEntries(actor: User, memberId: string, range: Period) {
      const member = await d.users.get(memberId);
      if (!member) throw notFound('党员');
      assertMemberReader(actor, member);
      const span = periodSpan(range, d.timeZone);
      const entries = await d.store.ofMember(memberId, span.start, span.end);
      const branch = member.branchId ? await d.branches.get(member.branchId) : null;
      return { member: { id: member.id, displayName: member.displayName, branchId: member.branchId, branchName: branch?.name ?? '' }, entries, hours: sum(entries) };
    },

    async participation(actor: User, q: PeriodQuery): Promise<ParticipationReport> {
      const { branchIds, shared } = await scope(actor);
      return d.participation.report(branchIds, period(q), shared);
    },

    async trend(actor: User, q: PeriodQuery, count: number): Promise<TrendReport> {
      return trendOf(await scope(actor), q, count);
    },

    /** The dashboard's two figures from one read of the branches, the roll and the rules. */
    async overview(actor: User, q: PeriodQuery, count: number): Promise<{ participation: ParticipationReport; trend: TrendReport }> {
      const s = await scope(actor);
      const [participation, trend] = await Promise.all([d.participation.report(s.branchIds, period(q), s.shared), trendOf(s, q, count)]);
      return { participation, trend };
    },

    async branchMembers(actor: User, branchId: string, q: PeriodQuery): Promise<{ items: MemberParticipation[] }> {
      if (!(await d.branches.get(branchId))) throw notFound('支部');
      assertBranchReader(actor, branchId);
      const [detail] = await d.participation.details([branchId], period(q));
      return { items: memberLines(detail!, await names([...detail!.shares.keys()])) };
    },

    /** The organisation-wide list of individuals: only when the organisation opted in, and only for admins. */
    async individuals(actor: User, q: PeriodQuery): Promise<{ items: MemberParticipation[] }> {
      if (!(await d.settings()).orgWideIndividuals) throw forbidden('本组织未开启全组织个人名单');
      if (actor.role !== 'admin') throw forbidden('只有管理员可以查看全组织个人名单');
      const details = await d.participation.details(await allBranchIds(), period(q));
      const ids = details.flatMap((x) => [...x.shares.keys()]);
      const n = await names(ids);
      return { items: details.flatMap((x) => memberLines(x, n)) };
    },
  };
}

export type LedgerReports = ReturnType<typeof createLedgerReports>;
