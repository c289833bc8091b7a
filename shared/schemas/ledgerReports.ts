import type { LedgerEntry, LedgerKind } from './ledger';

/** Answers of the ledger's REST routes (issue 12); docs/protocol.md lists the routes. */

export interface PeriodRange {
  from: string;
  to: string;
}

export interface BranchParticipation {
  branchId: string;
  name: string;
  /** Members on the roll, weighted by the share of the period they were on it. */
  onRoll: number;
  tookPart: number;
  /** 0..1, null when nobody was on the roll. */
  rate: number | null;
  byKind: Record<LedgerKind, number | null>;
  /** 三会一课 windows ending in the period that had a meeting, of those due. */
  meetings: { held: number; due: number };
  meetingsRatio: number | null;
  /** Average 学时 per member on the roll, and the yearly target pro-rated to the period. */
  hoursPerMember: number;
  targetPerMember: number;
  /** Live game and exam answers right / asked, null without any. */
  accuracy: number | null;
  /** By rate, then meetings, then accuracy; equal branches share a place. */
  rank: number;
}

export interface ParticipationReport {
  period: PeriodRange;
  branches: BranchParticipation[];
  org: { onRoll: number; tookPart: number; rate: number | null; meetings: { held: number; due: number } };
}

export interface TrendReport {
  periods: PeriodRange[];
  branches: { branchId: string; name: string; rates: (number | null)[] }[];
  org: (number | null)[];
}

/** One member's line in a branch's list (secretary of the branch, or admin). */
export interface MemberParticipation {
  memberId: string;
  name: string;
  branchId: string;
  /** Share of the period on the roll (1 = all of it). */
  share: number;
  activities: number;
  kinds: Partial<Record<LedgerKind, number>>;
  hours: number;
  accuracy: number | null;
  missedMeetings: number;
}

export const CATCH_UP_REASONS = ['no_activity', 'behind_pace', 'missed_meeting'] as const;
export type CatchUpReason = (typeof CATCH_UP_REASONS)[number];

/** 需补学: who could use a hand, and why (worded as help on the client). */
export interface CatchUpItem {
  memberId: string;
  name: string;
  reasons: CatchUpReason[];
  hours: number;
  /** 学时 expected by now for their share of the period. */
  pace: number;
  missedMeetings: number;
  lastReminderAt: number | null;
}

export interface MyLedger {
  year: number;
  entries: LedgerEntry[];
  hours: number;
  target: number;
  /** The target pro-rated to today. */
  pace: number;
  /** Only when the organisation shows members their place in the branch. */
  rank?: { rank: number; of: number };
}

export interface AppNotification {
  id: string;
  kind: 'reminder';
  at: number;
  fromName: string;
  message: string;
  read: boolean;
}

/** The year-end evaluation (评先评优, `GET /api/ledger/evaluation`): per branch, and with a branch its members by name (no ranks). */
export interface EvaluationReport {
  year: number;
  period: PeriodRange;
  branches: BranchParticipation[];
  org: ParticipationReport['org'];
  /** Present when one branch was asked for: its members' lines, ordered by name. */
  members?: MemberParticipation[];
}
