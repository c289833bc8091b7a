import type { LedgerSettings, PeriodQuery } from '../../../shared/schemas/ledger';
import type { AppNotification, CatchUpItem, CatchUpReason } from '../../../shared/schemas/ledgerReports';
import type { User } from '../../../shared/schemas/users';
import { conflict, notFound } from '../../domain/errors';
import { proRatedTarget, round } from '../../domain/ledger/participation';
import type { Period } from '../../domain/ledger/period';
import type { Clock } from '../../infra/clock';
import { newId } from '../../store/ids';
import type { NotificationsStore } from '../../store/ledger/notificationsStore';
import type { BranchesStore } from '../../store/branchesStore';
import type { UsersStore } from '../../store/usersStore';
import { assertBranchReader } from './access';
import type { ParticipationService } from './participation';

export interface CatchUpDeps {
  participation: ParticipationService;
  notifications: NotificationsStore;
  users: UsersStore;
  branches: BranchesStore;
  settings: () => Promise<LedgerSettings>;
  clock: Clock;
  period: (q: PeriodQuery) => Period;
}

/** A secretary may remind a member once a day: a reminder is help, not pressure. */
const REMIND_EVERY_MS = 24 * 3600_000;

const DEFAULT_MESSAGE = '近期还没有参加学习，欢迎参加支部的学习活动；如需帮助请联系支部书记。';

/** 需补学: who in a branch could use a hand (no activity, behind the 学时 pace, a missed meeting), and reminders. */
export function createCatchUpService(d: CatchUpDeps) {
  async function list(actor: User, branchId: string, q: PeriodQuery): Promise<CatchUpItem[]> {
    if (!(await d.branches.get(branchId))) throw notFound('支部');
    assertBranchReader(actor, branchId);
    const period = d.period(q);
    const rules = await d.settings();
    const [detail] = await d.participation.details([branchId], period);
    const target = proRatedTarget(rules.yearlyTargetHours, period);
    const ids = [...detail!.shares.keys()];
    const [users, reminded] = await Promise.all([d.users.getMany(ids), Promise.all(ids.map(async (id) => [id, (await d.notifications.list(id)).find((n) => n.kind === 'reminder')?.at ?? null] as const))]);
    const names = new Map(users.filter((u) => !u.disabled).map((u) => [u.id, u.displayName]));
    const lastReminder = new Map(reminded);
    const out: CatchUpItem[] = [];
    for (const id of ids) {
      if (!names.has(id)) continue;
      const share = detail!.shares.get(id)!;
      const a = detail!.members.get(id);
      const pace = round(target * share, 1);
      const hours = round(a?.hours ?? 0, 1);
      const reasons: CatchUpReason[] = [];
      if (!a || a.activities === 0) reasons.push('no_activity');
      if (hours < pace) reasons.push('behind_pace');
      if ((a?.missed ?? 0) > 0) reasons.push('missed_meeting');
      if (reasons.length > 0) out.push({ memberId: id, name: names.get(id)!, reasons, hours, pace, missedMeetings: a?.missed ?? 0, lastReminderAt: lastReminder.get(id) ?? null });
    }
    return out.sort((x, y) => y.reasons.length - x.reasons.length || x.name.localeCompare(y.name, 'zh-CN'));
  }

  return {
    list,

    async remind(actor: User, memberId: string, message?: string): Promise<AppNotification> {
      const member = await d.users.get(memberId);
      if (!member || member.disabled) throw notFound('党员');
      if (!member.branchId) throw notFound('党员');
      assertBranchReader(actor, member.branchId);
      const note: AppNotification = { id: newId(), kind: 'reminder', at: d.clock.now(), fromName: actor.displayName, message: message ?? DEFAULT_MESSAGE, read: false };
      if (!(await d.notifications.addReminder(memberId, note, REMIND_EVERY_MS))) throw conflict('今天已经提醒过这位党员了');
      return note;
    },

    async mine(member: User): Promise<{ items: AppNotification[]; unread: number }> {
      const items = await d.notifications.list(member.id);
      return { items, unread: items.filter((n) => !n.read).length };
    },

    async markRead(member: User): Promise<void> {
      await d.notifications.markAllRead(member.id);
    },
  };
}

export type CatchUpService = ReturnType<typeof createCatchUpService>;
