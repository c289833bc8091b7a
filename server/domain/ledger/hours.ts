import type { LedgerKind, LedgerResult, LedgerSettings } from '../../../shared/schemas/ledger';
import type { StudySessionKind } from '../../../shared/schemas/study';
import { hoursForMinutes } from './participation';

/**
 * 学时 of one activity under the organisation's rules: a study session counts its attended minutes (kinds the rules
 * name; none for 缺席/请假), a live game and an exam a fixed amount, self review nothing unless the organisation says so.
 */
export function hoursFor(activity: { kind: LedgerKind; result: LedgerResult; sessionKind?: StudySessionKind }, rules: LedgerSettings): number {
  switch (activity.kind) {
    case 'study_session':
      if (!activity.sessionKind || !rules.sessionKindsCountMinutes.includes(activity.sessionKind)) return 0;
      if (activity.result.status === 'absent' || activity.result.status === 'leave') return 0;
      return hoursForMinutes(activity.result.minutes ?? 0);
    case 'live_game':
      return rules.liveGameHours;
    case 'exam':
      return rules.examHours;
    case 'daily_set':
      return rules.dailySetHours;
    case 'practice':
      return rules.practiceHours;
    case 'reflection':
      return rules.reflectionHours;
    case 'task':
      return 0;
  }
}
