import type { MeetingRecord, RecordAttendanceStatus, StudySessionKind } from '../../../shared/schemas/study';
import { writeDocx, type DocBlock } from '../exports/docx';
import { NUM_FMT, sheet, wallClock, writeWorkbook } from '../exports/xlsx';

/** The organisation's time zone for dates on paper (an organisation setting later). */
export const RECORD_TIME_ZONE = 'Asia/Shanghai';

export const KIND_NAMES: Record<StudySessionKind, string> = {
  branch_general_meeting: '支部党员大会',
  committee_meeting: '支委会',
  group_meeting: '党小组会',
  party_lecture: '党课',
  theme_day: '主题党日',
  collective_study: '集体学习',
};

export const ATTENDANCE_NAMES: Record<RecordAttendanceStatus, string> = { present: '出席', late: '迟到', left_early: '早退', absent: '缺席', leave: '请假' };
const STATUS_NAMES: Record<MeetingRecord['status'], string> = { draft: '草稿', submitted: '待审批', approved: '已批准', returned: '已退回' };

const fmt = (ms: number) =>
  new Intl.DateTimeFormat('zh-CN', { timeZone: RECORD_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));

/** "第1-3、5页" from 0-based pages in showing order. */
export function pagesLabel(pages: number[]): string {
  const sorted = [...new Set(pages)].sort((a, b) => a - b).map((p) => p + 1);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.length ? `第${parts.join('、')}页` : '';
}

const names = (r: MeetingRecord, ...s: RecordAttendanceStatus[]) => r.attendees.filter((a) => s.includes(a.status)).map((a) => a.name).join('、') || '无';

/** The record as the form inspections read. */
export function recordFields(r: MeetingRecord, branchName: string): [string, string][] {
  return [
    ['会议名称', r.title],
    ['会议类型', KIND_NAMES[r.kind]],
    ['所在支部', branchName],
    ['时间', `${fmt(r.startedAt)} 至 ${fmt(r.endedAt)}`],
    ['地点', r.place || '—'],
    ['主持人', r.hostName || '—'],
    ['主讲人', r.presenterName || '—'],
    ['记录人', r.recorderName || '—'],
    ['应到', `${r.expected} 人`],
    ['实到', `${r.attended} 人：${names(r, 'present', 'late', 'left_early')}`],
    ['请假', `${r.onLeave} 人：${r.attendees.filter((a) => a.status === 'leave').map((a) => `${a.name}（${a.leaveReason ?? ''}）`).join('、') || '无'}`],
    ['缺席', `${r.absent} 人：${names(r, 'absent')}`],
    ['列席', r.observers.map((o) => o.name).join('、') || '无'],
    ['学习内容', r.materialTitle ? `${r.materialTitle} ${pagesLabel(r.pagesCovered)}` : '—'],
    ['状态', `${STATUS_NAMES[r.status]}（第 ${r.revision} 版）`],
  ];
}

export async function recordDocx(r: MeetingRecord, branchName: string): Promise<Buffer> {
  const blocks: DocBlock[] = [{ kind: 'title', text: `${branchName}${KIND_NAMES[r.kind]}会议记录` }, { kind: 'fields', rows: recordFields(r, branchName) }];
  if (r.polls.length) {
    blocks.push({ kind: 'heading', text: '随堂提问' }, { kind: 'table', header: ['题目', '作答', '答对', '在场'], rows: r.polls.map((p) => [p.questionText, String(p.answered), String(p.correct), String(p.present)]) });
  }
  blocks.push({ kind: 'heading', text: '讨论发言' });
  blocks.push(...(r.discussion.length ? r.discussion.map((d): DocBlock => ({ kind: 'paragraph', text: `${d.speaker}：${d.text}` })) : [{ kind: 'paragraph' as const, text: '无' }]));
  blocks.push({ kind: 'heading', text: '决议' }, { kind: 'paragraph', text: r.resolutions || '无' });
  blocks.push(
    { kind: 'heading', text: '出勤明细' },
    { kind: 'table', header: ['姓名', '出勤', '在场（分钟）', '备注'], rows: r.attendees.map((a) => [a.name, ATTENDANCE_NAMES[a.status], String(a.minutes), a.leaveReason ?? (a.lateMinutes ? `迟到 ${a.lateMinutes} 分钟` : a.leftEarlyMinutes && a.status !== 'present' ? `早退 ${a.leftEarlyMinutes} 分钟` : '')]) },
  );
  return writeDocx(blocks, r.title);
}

/** One session's record, or a quarter's records of a branch, as a workbook: one summary sheet and attendance rows. */
export async function recordsXlsx(records: MeetingRecord[], branchName: (id: string) => string): Promise<Buffer> {
  const summary = sheet({
    name: '会议记录',
    columns: [
      { header: '会议名称', width: 28, value: (r: MeetingRecord) => r.title },
      { header: '类型', width: 12, value: (r) => KIND_NAMES[r.kind] },
      { header: '支部', width: 14, value: (r) => branchName(r.branchId) },
      { header: '开始', width: 18, numFmt: NUM_FMT.dateTime, value: (r) => wallClock(r.startedAt, RECORD_TIME_ZONE) },
      { header: '结束', width: 18, numFmt: NUM_FMT.dateTime, value: (r) => wallClock(r.endedAt, RECORD_TIME_ZONE) },
      { header: '地点', width: 14, value: (r) => r.place },
      { header: '主持人', width: 10, value: (r) => r.hostName },
      { header: '主讲人', width: 10, value: (r) => r.presenterName },
      { header: '记录人', width: 10, value: (r) => r.recorderName },
      { header: '应到', width: 6, numFmt: NUM_FMT.integer, value: (r) => r.expected },
      { header: '实到', width: 6, numFmt: NUM_FMT.integer, value: (r) => r.attended },
      { header: '请假', width: 6, numFmt: NUM_FMT.integer, value: (r) => r.onLeave },
      { header: '缺席', width: 6, numFmt: NUM_FMT.integer, value: (r) => r.absent },
      { header: '学习内容', width: 30, value: (r) => (r.materialTitle ? `${r.materialTitle} ${pagesLabel(r.pagesCovered)}` : '') },
      { header: '决议', width: 40, value: (r) => r.resolutions },
      { header: '状态', width: 8, value: (r) => STATUS_NAMES[r.status] },
    ],
    rows: records,
  });
  const rows = records.flatMap((r) => r.attendees.map((a) => ({ r, a })));
  const attendance = sheet({
    name: '出勤明细',
    columns: [
      { header: '会议名称', width: 28, value: (x: (typeof rows)[number]) => x.r.title },
      { header: '日期', width: 12, numFmt: NUM_FMT.date, value: (x) => wallClock(x.r.startedAt, RECORD_TIME_ZONE) },
      { header: '姓名', width: 10, value: (x) => x.a.name },
      { header: '出勤', width: 8, value: (x) => ATTENDANCE_NAMES[x.a.status] },
      { header: '在场（分钟）', width: 12, numFmt: NUM_FMT.integer, value: (x) => x.a.minutes },
      { header: '请假事由', width: 20, value: (x) => x.a.leaveReason ?? '' },
    ],
    rows,
  });
  return writeWorkbook([summary, attendance]);
}
