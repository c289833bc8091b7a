import { isQualifying, type LedgerEntry } from '../../../shared/schemas/ledger';
import { hoursFor } from '../../domain/ledger/hours';
import { dayKey } from '../../domain/review/day';
import type { Logger } from '../../infra/logger';
import type { LedgerRecordStore } from '../../store/ledger/recordStore';
import type { LedgerSettingsStore } from '../../store/ledger/settingsStore';
import type { UsersStore } from '../../store/usersStore';
import type { Activity, ActivitySink } from './activity';

export interface LedgerRecordDeps {
  store: LedgerRecordStore;
  settings: LedgerSettingsStore;
  users: UsersStore;
  timeZone: string;
  logger: Logger;
}

export type RecordedListener = (entries: LedgerEntry[]) => Promise<void>;

export const entryId = (a: Pick<Activity, 'kind' | 'refId' | 'memberId'>): string => `${a.kind}:${a.refId}:${a.memberId}`;

/**
 * The study record (学习记录): every service hands it what members did; it keeps one entry per (kind, refId, member)
 * with the member's branch at the time and the 学时 under the rules at the time, and keeps the aggregates reports read.
 */
export function createLedgerRecord(d: LedgerRecordDeps) {
  const listeners: RecordedListener[] = [];

  const record = async (activities: Activity[]): Promise<LedgerEntry[]> => {
    if (activities.length === 0) return [];
    const rules = await d.settings.get();
    const members = new Map((await d.users.getMany([...new Set(activities.map((a) => a.memberId))])).map((u) => [u.id, u]));
    const writes = activities
      .filter((a) => members.has(a.memberId))
      .map((a) => {
        const entry: LedgerEntry = { ...a, id: entryId(a), branchId: members.get(a.memberId)!.branchId, hours: hoursFor(a, rules), note: a.note ?? '' };
        const qualifying = isQualifying(entry);
        return {
          entry,
          day: dayKey(a.at, d.timeZone),
          qualifying,
          scored: a.kind === 'live_game' || a.kind === 'exam',
          missedMeeting: a.kind === 'study_session' && !qualifying,
        };
      });
    const fresh = await d.store.write(writes);
    for (const listener of listeners) {
      // A listener (task completion) failing must not undo or fail the record: the entry is written.
      await listener(fresh).catch((err: unknown) => d.logger.error({ err }, 'a study-record listener failed'));
    }
    return fresh;
  };

  const sink: ActivitySink = { record: async (activities) => void (await record(activities)) };

  return {
    sink,
    record,
    /** Runs after new entries land (only the new ones: a replay calls no listener twice for an entry). */
    onRecorded(listener: RecordedListener): void {
      listeners.push(listener);
    },
    ofMember: d.store.ofMember,
    has: d.store.has,
    isEmpty: d.store.isEmpty,
    addMeeting: d.store.addMeeting,
  };
}

export type LedgerRecord = ReturnType<typeof createLedgerRecord>;
