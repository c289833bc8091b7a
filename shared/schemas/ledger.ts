import { z } from 'zod';
import { cleanText, idSchema } from './common';
import { ATTENDANCE_STATUSES, STUDY_SESSION_KINDS, type RecordAttendanceStatus, type StudySessionKind } from './study';

// ---------------------------------------------------------------- the study record (学习记录)

/** What a member did. One entry per (kind, refId, member), written once by the service that owns the activity. */
export const LEDGER_KINDS = ['live_game', 'study_session', 'daily_set', 'practice', 'exam', 'reflection', 'task'] as const;
export const ledgerKindSchema = z.enum(LEDGER_KINDS);
export type LedgerKind = z.infer<typeof ledgerKindSchema>;

/** The outcome, as far as the kind has one. */
export interface LedgerResult {
  /** Live game points; exam score (percent). */
  score?: number;
  /** Live game place. */
  rank?: number;
  /** Right answers and questions asked (live games, daily sets, practice, exams): quiz and exam accuracy. */
  correct?: number;
  total?: number;
  /** A study session's attendance. */
  status?: RecordAttendanceStatus;
  /** Minutes present in a study session: evidence for the ledger, never a score. */
  minutes?: number;
}

export interface LedgerEntry {
  /** `${kind}:${refId}:${memberId}`: the same activity can never be a second entry. */
  id: string;
  memberId: string;
  /** The member's branch when the entry was written (a later move does not move the history). */
  branchId: string | null;
  kind: LedgerKind;
  /** The game, session, date (daily set, YYYY-MM-DD), practice sitting, exam attempt, reflection or task. */
  refId: string;
  at: number;
  /** 学时 under the organisation's rules when the entry was written. */
  hours: number;
  /** 学习内容: the quiz, session, material or exam title. */
  title: string;
  result: LedgerResult;
  note: string;
  /** Study sessions: which of 三会一课 (for meetings held and tasks "attend a 党课"). */
  sessionKind?: StudySessionKind;
  /** The material studied (study sessions), so tasks "study this material" see it. */
  materialId?: string;
  /** Exams: which exam (the refId is the attempt), so tasks "take this exam" see it. */
  examId?: string;
  /** Live games: which quiz was played, so tasks "play this quiz" see it. */
  quizId?: string;
}

/** A session entry counts as taking part unless the member was absent or on leave. */
export const ABSENT_STATUSES: readonly RecordAttendanceStatus[] = ['absent', 'leave'];
export function isQualifying(entry: Pick<LedgerEntry, 'kind' | 'result'>): boolean {
  return !(entry.kind === 'study_session' && entry.result.status !== undefined && ABSENT_STATUSES.includes(entry.result.status));
}

export const attendanceStatusSchema = z.enum(ATTENDANCE_STATUSES);

// ---------------------------------------------------------------- settings (the organisation's rules)

/** 三会一课 cadence: a kind is due once every N months (0 = no cadence). */
export const cadenceSchema = z.object(Object.fromEntries(STUDY_SESSION_KINDS.map((k) => [k, z.number().int().min(0).max(12)])) as Record<StudySessionKind, z.ZodNumber>);
export type Cadence = Record<StudySessionKind, number>;

export const ledgerSettingsSchema = z.object({
  /** 学时 for a study session: attended minutes / 60, rounded to the nearest 0.5 (per session kind: on/off). */
  sessionKindsCountMinutes: z.array(z.enum(STUDY_SESSION_KINDS)).max(STUDY_SESSION_KINDS.length),
  liveGameHours: z.number().min(0).max(8).multipleOf(0.5),
  examHours: z.number().min(0).max(8).multipleOf(0.5),
  dailySetHours: z.number().min(0).max(8).multipleOf(0.5),
  practiceHours: z.number().min(0).max(8).multipleOf(0.5),
  reflectionHours: z.number().min(0).max(8).multipleOf(0.5),
  /** Yearly 学时 target per member. */
  yearlyTargetHours: z.number().int().min(0).max(500),
  cadence: cadenceSchema,
  /** A member sees their rank within their branch (off by default: no points race). */
  showMemberRank: z.boolean(),
  /** An organisation-wide list of individuals (off by default; when off, asking for it is 403). */
  orgWideIndividuals: z.boolean(),
});
export type LedgerSettings = z.infer<typeof ledgerSettingsSchema>;
export const ledgerSettingsPatchSchema = ledgerSettingsSchema.partial().strict();

export const DEFAULT_LEDGER_SETTINGS: LedgerSettings = {
  sessionKindsCountMinutes: [...STUDY_SESSION_KINDS],
  liveGameHours: 0.5,
  examHours: 1,
  dailySetHours: 0,
  practiceHours: 0,
  reflectionHours: 0,
  yearlyTargetHours: 32,
  cadence: { branch_general_meeting: 3, party_lecture: 3, committee_meeting: 1, group_meeting: 1, theme_day: 1, collective_study: 0 },
  showMemberRank: false,
  orgWideIndividuals: false,
};

// ---------------------------------------------------------------- periods

export const PERIOD_KINDS = ['week', 'month', 'quarter', 'year', 'custom'] as const;
const dayString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 YYYY-MM-DD');

/**
 * A period in the organisation's time zone: `period` and a day inside it (default today), or custom `from`..`to`
 * (both days included).
 */
export const periodQuerySchema = z
  .object({
    period: z.enum(PERIOD_KINDS).default('month'),
    date: dayString.optional(),
    from: dayString.optional(),
    to: dayString.optional(),
  })
  .refine((q) => q.period !== 'custom' || (q.from !== undefined && q.to !== undefined && q.from <= q.to), { message: '自定义时段需要起止日期', path: ['from'] });
export type PeriodQuery = z.infer<typeof periodQuerySchema>;

export const ledgerScopeQuerySchema = z.object({
  scope: z.enum(['member', 'branch', 'org']),
  id: idSchema.optional(),
  from: dayString,
  to: dayString,
});

export const reminderSchema = z.object({
  memberId: idSchema,
  message: cleanText(200).optional(),
});

/** The year-end evaluation (评先评优): a year, and optionally one branch for its members' lines. */
export const evaluationQuerySchema = z.object({
  year: z.string().regex(/^\d{4}$/, '年份格式为 YYYY').transform(Number).pipe(z.number().int().min(2000).max(2100)),
  branchId: idSchema.optional(),
});
