import { z } from 'zod';
import { cleanText, idSchema } from './common';
import { tagNameSchema } from './questions';

// ---------------------------------------------------------------- materials (学习资料)

export const materialKindSchema = z.enum(['markdown', 'pdf']);
export type MaterialKind = z.infer<typeof materialKindSchema>;

/** Markdown sources are stored in Redis; 200,000 characters is a long book chapter. PDFs go to the data folder. */
export const MAX_MARKDOWN_CHARS = 200_000;
/** A PDF upload's limit (multipart), from the issue: 30 MB. */
export const MAX_PDF_BYTES = 30 * 1024 * 1024;

const tagsSchema = z.array(tagNameSchema).max(10).transform((t) => [...new Set(t)]);

export const materialCreateSchema = z
  .object({
    title: cleanText(100),
    tags: tagsSchema.default([]),
    /** null: organisation-wide (admins only); a secretary's material always belongs to their branch. */
    branchId: idSchema.nullable().optional(),
    kind: materialKindSchema,
    /** Markdown source (kind markdown); a PDF's file is uploaded afterwards with POST /api/materials/:id/file. */
    body: z.string().max(MAX_MARKDOWN_CHARS).optional(),
    /** Where the text comes from, e.g. 《中国共产党章程》（2022年10月22日修改）. */
    source: z.string().trim().max(200).optional(),
  })
  .refine((m) => m.kind !== 'markdown' || (m.body ?? '').trim() !== '', { message: '请填写资料正文', path: ['body'] })
  .refine((m) => m.kind !== 'pdf' || m.body === undefined, { message: 'PDF 资料请上传文件', path: ['body'] });
export type MaterialCreateInput = z.infer<typeof materialCreateSchema>;

/** PUT carries the version the editor started from; a stale one is 409 CONFLICT. */
export const materialUpdateSchema = z.object({
  version: z.number().int().min(1),
  title: cleanText(100),
  tags: tagsSchema.default([]),
  body: z.string().max(MAX_MARKDOWN_CHARS).optional(),
  source: z.string().trim().max(200).optional(),
});
export type MaterialUpdateInput = z.infer<typeof materialUpdateSchema>;

export const materialListQuerySchema = z.object({
  q: z.string().trim().max(50).optional(),
  tag: tagNameSchema.optional(),
  branchId: idSchema.optional(),
});

export interface MaterialFile {
  sha256: string;
  size: number;
  name: string;
}

/** A study material. `body` only on GET /api/materials/:id (lists leave it out). */
export interface Material {
  id: string;
  title: string;
  tags: string[];
  branchId: string | null;
  kind: MaterialKind;
  /** Pages: Markdown split by shared/markdownPages.ts, a PDF's page count (0 until its file is uploaded). */
  pages: number;
  source: string;
  createdBy: string;
  updatedAt: number;
  version: number;
  body?: string;
  file?: MaterialFile | null;
}

// ---------------------------------------------------------------- sessions (学习会)

/** 三会一课 and the other kinds a branch holds. */
export const STUDY_SESSION_KINDS = ['branch_general_meeting', 'committee_meeting', 'group_meeting', 'party_lecture', 'theme_day', 'collective_study'] as const;
export const studySessionKindSchema = z.enum(STUDY_SESSION_KINDS);
export type StudySessionKind = z.infer<typeof studySessionKindSchema>;

export const STUDY_SESSION_STATUSES = ['planned', 'live', 'ended'] as const;
export type StudySessionStatus = (typeof STUDY_SESSION_STATUSES)[number];

/** A time as epoch milliseconds, or an ISO 8601 string with an offset (e.g. 2026-12-01T09:00:00+08:00). */
export const instantSchema = z.union([z.number().int().min(0).max(8_640_000_000_000), z.iso.datetime({ offset: true })]).transform((v) => (typeof v === 'number' ? v : Date.parse(v)));

const placeSchema = z.string().trim().max(100);

export const studySessionCreateSchema = z.object({
  title: cleanText(100),
  kind: studySessionKindSchema,
  branchId: idSchema,
  materialId: idSchema.optional(),
  plannedAt: instantSchema,
  place: placeSchema.optional(),
  presenterId: idSchema.optional(),
  recorderId: idSchema.optional(),
  allowObservers: z.boolean().optional().default(false),
});
export type StudySessionCreateInput = z.infer<typeof studySessionCreateSchema>;

/** PATCH: any of these; the branch is fixed once planned. `null` clears an optional field. */
export const studySessionPatchSchema = z
  .object({
    title: cleanText(100),
    kind: studySessionKindSchema,
    materialId: idSchema.nullable(),
    plannedAt: instantSchema,
    place: placeSchema,
    presenterId: idSchema.nullable(),
    recorderId: idSchema.nullable(),
    allowObservers: z.boolean(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, { message: '没有要修改的内容' });
export type StudySessionPatchInput = z.infer<typeof studySessionPatchSchema>;

/** In a query string a time arrives as text: epoch ms digits, or ISO 8601. */
const queryInstantSchema = z.union([z.string().regex(/^\d{1,15}$/).transform(Number), z.iso.datetime({ offset: true }).transform((v) => Date.parse(v))]);

export const studySessionListQuerySchema = z.object({
  branchId: idSchema.optional(),
  from: queryInstantSchema.optional(),
  to: queryInstantSchema.optional(),
  status: z.enum(STUDY_SESSION_STATUSES).optional(),
});

export interface StudySession {
  id: string;
  title: string;
  kind: StudySessionKind;
  branchId: string;
  materialId: string | null;
  plannedAt: number;
  place: string;
  presenterId: string | null;
  recorderId: string | null;
  allowObservers: boolean;
  status: StudySessionStatus;
  startedAt: number | null;
  endedAt: number | null;
  createdBy: string;
  createdAt: number;
}

// ---------------------------------------------------------------- the meeting record (会议记录)

/** 出席, 迟到, 早退, 缺席, and 请假 (marked by the recorder, with a reason). */
export const ATTENDANCE_STATUSES = ['present', 'late', 'left_early', 'absent', 'leave'] as const;
export type RecordAttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export const RECORD_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export interface RecordAttendee {
  userId: string;
  name: string;
  status: RecordAttendanceStatus;
  /** Minutes actually there (merged stays), kept as evidence for the ledger, never as a score. */
  minutes: number;
  lateMinutes: number;
  leftEarlyMinutes: number;
  /** Why 请假, as the recorder wrote it. */
  leaveReason?: string;
}

export interface RecordObserver {
  userId: string;
  name: string;
  minutes: number;
}

export interface RecordPoll {
  pollId: string;
  questionText: string;
  answered: number;
  present: number;
  correct: number;
}

export interface DiscussionEntry {
  speaker: string;
  text: string;
}

/** What a revision changed, for the history an inspection reads. */
export interface RecordHistoryEntry {
  at: number;
  by: string;
  byName: string;
  action: 'drafted' | 'edited' | 'submitted' | 'approved' | 'returned' | 'revised';
  revision: number;
  /** The fields an edit changed, or the reason a record was returned. */
  note: string;
}

export interface MeetingRecord {
  sessionId: string;
  status: RecordStatus;
  /** Starts at 1; a correction of an approved record opens revision n+1. */
  revision: number;
  version: number;
  title: string;
  kind: StudySessionKind;
  branchId: string;
  startedAt: number;
  endedAt: number;
  place: string;
  hostName: string;
  presenterName: string;
  recorderName: string;
  /** 应到: the branch's roll at the start. */
  expected: number;
  /** 实到: present, late or left early. */
  attended: number;
  onLeave: number;
  absent: number;
  attendees: RecordAttendee[];
  observers: RecordObserver[];
  materialTitle: string;
  pageCount: number;
  /** 0-based pages the presenter showed, in order of first showing. */
  pagesCovered: number[];
  polls: RecordPoll[];
  discussion: DiscussionEntry[];
  resolutions: string;
  returnReason: string;
  history: RecordHistoryEntry[];
}

export const recordUpdateSchema = z.object({
  version: z.number().int().min(1),
  place: placeSchema.optional(),
  discussion: z.array(z.object({ speaker: cleanText(40), text: cleanText(500) })).max(100).optional(),
  resolutions: z.string().trim().max(5000).optional(),
  /** 请假: members the recorder marks as on leave, with a reason; a member not listed keeps the computed status. */
  leave: z.array(z.object({ userId: idSchema, reason: cleanText(100) })).max(500).optional(),
});
export type RecordUpdateInput = z.infer<typeof recordUpdateSchema>;

export const recordReturnSchema = z.object({ reason: cleanText(500) });
