import type { LedgerEntry } from '../../../shared/schemas/ledger';

/**
 * What an owning service hands the study record when one of its activities completes. The record adds the id, the
 * member's branch, and the 学时 under the organisation's rules, and keeps the first write of each (kind, refId, member).
 */
export type Activity = Omit<LedgerEntry, 'id' | 'branchId' | 'hours' | 'note'> & { note?: string };

export interface ActivitySink {
  /** Idempotent: an activity already recorded is skipped, so a replay or retry may call again. */
  record(activities: Activity[]): Promise<void>;
}

/** Until the ledger is wired (and in unit setups that do not need it). */
export const noActivitySink: ActivitySink = { record: async () => {} };
