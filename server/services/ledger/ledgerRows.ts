import type { LedgerEntry, LedgerKind } from '../../../shared/schemas/ledger';
import { NUM_FMT, wallClock, type Cell, type Column } from '../exports/xlsx';
import { ATTENDANCE_NAMES, KIND_NAMES } from '../study/recordExport';

/**
 * The ledger's table as branches keep it on paper (序号, 姓名, 所在支部, 日期, 学习形式, 学习内容, 学时, 成绩/结果, 备注):
 * how one study-record entry reads in it, and a member's totals line under their entries.
 */

export const LEDGER_HEADERS = ['序号', '姓名', '所在支部', '日期', '学习形式', '学习内容', '学时', '成绩/结果', '备注'] as const;

const FORM_NAMES: Record<LedgerKind, string> = {
  study_session: '集体学习',
  live_game: '知识竞赛',
  daily_set: '自学',
  practice: '自学',
  exam: '考试',
  reflection: '心得体会',
  task: '学习任务',
};

/** 学习形式: a study session by which of 三会一课 it was, anything else by its kind. */
export function learningForm(entry: Pick<LedgerEntry, 'kind' | 'sessionKind'>): string {
  if (entry.kind === 'study_session' && entry.sessionKind) return KIND_NAMES[entry.sessionKind];
  return FORM_NAMES[entry.kind];
}

const answered = (r: LedgerEntry['result']) => (r.correct !== undefined && r.total !== undefined ? `答对 ${r.correct}/${r.total}` : '');
const joined = (parts: string[]) => parts.filter(Boolean).join('，');

/** 成绩/结果 as the paper ledger words it. */
export function resultText(entry: Pick<LedgerEntry, 'kind' | 'result'>): string {
  const r = entry.result;
  switch (entry.kind) {
    case 'live_game':
      return joined([r.score !== undefined ? `得分 ${r.score}` : '', r.rank !== undefined ? `第 ${r.rank} 名` : '', answered(r)]);
    case 'study_session':
      return joined([r.status ? ATTENDANCE_NAMES[r.status] : '', r.minutes !== undefined && r.status !== 'absent' && r.status !== 'leave' ? `${r.minutes} 分钟` : '']);
    case 'exam':
      return joined([r.score !== undefined ? `${r.score} 分` : '', answered(r)]);
    case 'daily_set':
    case 'practice':
      return answered(r);
    case 'reflection':
      return '已提交';
    case 'task':
      return '已完成';
  }
}

/** Names in the order a Chinese list is read (pinyin); one collator, not one per comparison. */
export const byName = new Intl.Collator('zh-CN');

/** One line of a branch's sheet: an entry, or the totals of the member whose entries precede it. */
export type LedgerRow =
  | { type: 'entry'; seq: number; name: string; branchName: string; entry: LedgerEntry }
  | { type: 'total'; name: string; branchName: string; count: number; hours: number };

/** 学时 are multiples of 0.5: summed without binary drift. */
export const sumHours = (values: number[]): number => Math.round(values.reduce((s, h) => s + h, 0) * 100) / 100;

const QUARTER_HOUR = 900_000;

/**
 * The org-zone day of an instant as a date cell (that day at 00:00 UTC: Excel dates carry no zone). Every zone's
 * offset is a multiple of 15 minutes, so all instants of a quarter hour share a day: formatting (the costly part of a
 * row) runs once per quarter hour, not per entry.
 */
function dayCells(timeZone: string): (at: number) => Date {
  const memo = new Map<number, Date>();
  return (at) => {
    const slot = Math.floor(at / QUARTER_HOUR);
    let day = memo.get(slot);
    if (!day) {
      const wall = wallClock(slot * QUARTER_HOUR, timeZone);
      day = new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate()));
      memo.set(slot, day);
    }
    return day;
  };
}

export function ledgerColumns(timeZone: string): Column<LedgerRow>[] {
  const dayOf = dayCells(timeZone);
  const entry = <T>(f: (row: Extract<LedgerRow, { type: 'entry' }>) => T, total: Cell = null) => (row: LedgerRow) => (row.type === 'entry' ? (f(row) as Cell) : total);
  return [
    { header: '序号', width: 6, numFmt: NUM_FMT.integer, value: entry((r) => r.seq) },
    { header: '姓名', width: 12, value: (r) => r.name },
    { header: '所在支部', width: 18, value: (r) => r.branchName },
    { header: '日期', width: 12, numFmt: NUM_FMT.date, value: entry((r) => dayOf(r.entry.at)) },
    { header: '学习形式', width: 12, value: (r) => (r.type === 'entry' ? learningForm(r.entry) : '合计') },
    { header: '学习内容', width: 36, value: (r) => (r.type === 'entry' ? r.entry.title : `共 ${r.count} 项`) },
    { header: '学时', width: 8, numFmt: '0.0', value: (r) => (r.type === 'entry' ? r.entry.hours : r.hours) },
    { header: '成绩/结果', width: 28, value: entry((r) => resultText(r.entry)) },
    { header: '备注', width: 20, value: entry((r) => r.entry.note) },
  ];
}

/**
 * A branch's entries (any order) as rows: members by name, each member's entries by date, then their totals line.
 * `names` gives display names; an unknown member shows as their id rather than vanishing from the ledger.
 */
export function branchRows(entries: Iterable<LedgerEntry>, names: Map<string, string>, branchName: string): LedgerRow[] {
  const byMember = new Map<string, LedgerEntry[]>();
  for (const e of entries) {
    const list = byMember.get(e.memberId);
    if (list) list.push(e);
    else byMember.set(e.memberId, [e]);
  }
  const nameOf = (id: string) => names.get(id) ?? id;
  const members = [...byMember.keys()].sort((a, b) => byName.compare(nameOf(a), nameOf(b)) || a.localeCompare(b));
  const rows: LedgerRow[] = [];
  let seq = 0;
  for (const memberId of members) {
    const list = byMember.get(memberId)!.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
    const name = nameOf(memberId);
    for (const entry of list) rows.push({ type: 'entry', seq: ++seq, name, branchName, entry });
    rows.push({ type: 'total', name, branchName, count: list.length, hours: sumHours(list.map((e) => e.hours)) });
  }
  return rows;
}

/** Characters Excel refuses in a sheet name. */
const SHEET_UNSAFE = /[[\]:*?/\\]/g;

/** Unique sheet names (≤ 31 characters, none of []:*?/\, not starting or ending with '), in the order asked. */
export function sheetNamer(reserved: string[] = []) {
  const taken = new Set(reserved.map((n) => n.toLowerCase()));
  return (wanted: string): string => {
    const base = wanted.replace(SHEET_UNSAFE, '_').replace(/^'+|'+$/g, '').trim().slice(0, 31) || '支部';
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) {
      const suffix = `(${n})`;
      name = base.slice(0, 31 - suffix.length) + suffix;
    }
    taken.add(name.toLowerCase());
    return name;
  };
}
