import type { Writable } from 'node:stream';
import type { z } from 'zod';
import type { LedgerEntry, ledgerScopeQuerySchema } from '../../../shared/schemas/ledger';
import type { User } from '../../../shared/schemas/users';
import { forbidden, invalidInput, notFound } from '../../domain/errors';
import { addDays, daysIn, formatDay, parseDay, periodSpan } from '../../domain/ledger/period';
import type { BranchesStore } from '../../store/branchesStore';
import type { LedgerRecordStore } from '../../store/ledger/recordStore';
import type { UsersStore } from '../../store/usersStore';
import { safeFileName } from '../exports/download';
import { NUM_FMT, sheet, streamWorkbook, type Sheet } from '../exports/xlsx';
import { assertBranchReader, assertMemberReader } from './access';
import { branchRows, ledgerColumns, sheetNamer, sumHours, type LedgerRow } from './ledgerRows';

export type LedgerScopeQuery = z.infer<typeof ledgerScopeQuerySchema>;

export interface LedgerExportDeps {
  store: Pick<LedgerRecordStore, 'ofMember' | 'ofBranch'>;
  users: Pick<UsersStore, 'get' | 'getMany'>;
  branches: Pick<BranchesStore, 'get' | 'list'>;
  timeZone: string;
}

/** What the route needs to answer: the file's names, then the workbook written straight into the response. */
export interface LedgerExportFile {
  filename: string;
  asciiName: string;
  write(out: Writable): Promise<void>;
}

/** The longest span one export covers: an inspection reads a term, not the whole history in one file. */
export const MAX_EXPORT_YEARS = 3;
const NO_BRANCH = '未分配支部';
const SUMMARY = '汇总';

interface BranchTally {
  name: string;
  members: number;
  entries: number;
  hours: number;
}

/** A real calendar day (the schema checks only the shape: 2026-02-31 is not one). */
const isDay = (day: string) => formatDay(parseDay(day)) === day;

function checkSpan(from: string, to: string): void {
  if (!isDay(from) || !isDay(to)) throw invalidInput('日期不存在', [{ path: isDay(from) ? 'to' : 'from', message: '日期不存在' }]);
  if (from > to) throw invalidInput('开始日期晚于结束日期', [{ path: 'from', message: '开始日期晚于结束日期' }]);
  const limit = addDays(`${Number(from.slice(0, 4)) + MAX_EXPORT_YEARS}${from.slice(4)}`, -1);
  if (to > limit || daysIn({ from, to }) > MAX_EXPORT_YEARS * 366) {
    throw invalidInput(`一次最多导出 ${MAX_EXPORT_YEARS} 年`, [{ path: 'to', message: `一次最多导出 ${MAX_EXPORT_YEARS} 年` }]);
  }
}

/**
 * The study ledger as a workbook (学习台账): one sheet per branch, members by name with their entries by date and a
 * totals line, then a summary sheet. A branch's entries are read from the record a chunk at a time and one branch is
 * held at once (it must be sorted by member), so an organisation's year never sits in memory; rows are streamed out.
 */
export function createLedgerExports(d: LedgerExportDeps) {
  const columns = ledgerColumns(d.timeZone);

  async function namesOf(memberIds: Iterable<string>): Promise<Map<string, string>> {
    const users = await d.users.getMany([...new Set(memberIds)]);
    return new Map(users.map((u) => [u.id, u.displayName]));
  }

  /** One branch's sheet, tallied into `tallies` as it is written. */
  function branchSheet(name: string, branchName: string, rows: LedgerRow[], tallies: BranchTally[]): Sheet {
    const tally: BranchTally = { name: branchName, members: 0, entries: 0, hours: 0 };
    for (const r of rows) {
      if (r.type !== 'total') continue;
      tally.members += 1;
      tally.entries += r.count;
      tally.hours += r.hours;
    }
    tally.hours = sumHours([tally.hours]);
    tallies.push(tally);
    return sheet<LedgerRow>({ name, columns, rows, bold: (r) => r.type === 'total' });
  }

  function summarySheet(name: string, tallies: BranchTally[]): Sheet {
    const all: BranchTally = {
      name: '全部',
      members: tallies.reduce((s, t) => s + t.members, 0),
      entries: tallies.reduce((s, t) => s + t.entries, 0),
      hours: sumHours(tallies.map((t) => t.hours)),
    };
    const average = (t: BranchTally) => (t.members > 0 ? Math.round((t.hours / t.members) * 100) / 100 : null);
    return sheet<BranchTally>({
      name,
      columns: [
        { header: '支部', width: 20, value: (t) => t.name },
        { header: '有记录的党员', width: 14, numFmt: NUM_FMT.integer, value: (t) => t.members },
        { header: '记录条数', width: 10, numFmt: NUM_FMT.integer, value: (t) => t.entries },
        { header: '学时合计', width: 10, numFmt: '0.0', value: (t) => t.hours },
        { header: '人均学时', width: 10, numFmt: '0.00', value: average },
      ],
      // Read when this sheet is written: after every branch sheet has tallied itself.
      rows: (async function* () {
        yield* tallies;
        yield all;
      })(),
      bold: (t) => t === all,
    });
  }

  async function readBranch(branchId: string | null, start: number, end: number): Promise<LedgerEntry[]> {
    const entries: LedgerEntry[] = [];
    for await (const chunk of d.store.ofBranch(branchId, start, end)) entries.push(...chunk);
    return entries;
  }

  /** Sheets of an organisation or one branch, each made only when the one before it is written. */
  async function* branchSheets(branches: { id: string | null; name: string }[], start: number, end: number, tallies: BranchTally[], nameSheet: (n: string) => string) {
    for (const b of branches) {
      const entries = await readBranch(b.id, start, end);
      // Entries without a branch get a sheet only when there are some; every real branch gets one (an empty sheet says "none").
      if (b.id === null && entries.length === 0) continue;
      const names = await namesOf(entries.map((e) => e.memberId));
      yield branchSheet(nameSheet(b.name), b.name, branchRows(entries, names, b.name), tallies);
    }
  }

  async function memberSheets(member: User, start: number, end: number, tallies: BranchTally[], nameSheet: (n: string) => string): Promise<Sheet[]> {
    const entries = await d.store.ofMember(member.id, start, end);
    // A member who moved has entries under each branch they were in: a sheet per branch, as the paper files are kept.
    const byBranch = new Map<string | null, LedgerEntry[]>();
    if (entries.length === 0) byBranch.set(member.branchId, []);
    for (const e of entries) byBranch.set(e.branchId, [...(byBranch.get(e.branchId) ?? []), e]);
    const branchNames = new Map((await d.branches.list()).map((b) => [b.id, b.name]));
    const names = new Map([[member.id, member.displayName]]);
    return [...byBranch].map(([branchId, list]) => {
      const branchName = branchId === null ? NO_BRANCH : branchNames.get(branchId) ?? branchId;
      return branchSheet(nameSheet(branchName), branchName, branchRows(list, names, branchName), tallies);
    });
  }

  return {
    /**
     * Checks the scope and the actor's right to it (member: self, the member's secretary, admin; branch: its
     * secretary, admin; org: admin) and returns the file to stream. Nothing is written before every check passed.
     */
    async plan(actor: User, query: LedgerScopeQuery): Promise<LedgerExportFile> {
      const { scope, from, to } = query;
      checkSpan(from, to);
      const { start, end } = periodSpan({ from, to }, d.timeZone);
      const tallies: BranchTally[] = [];
      const nameSheet = sheetNamer([SUMMARY, 'History']);
      let label: string;
      let sheets: Iterable<Sheet> | AsyncIterable<Sheet>;

      if (scope === 'member') {
        const id = query.id ?? actor.id;
        const member = id === actor.id ? actor : await d.users.get(id);
        if (!member) throw notFound('党员');
        assertMemberReader(actor, member);
        label = member.displayName;
        sheets = await memberSheets(member, start, end, tallies, nameSheet);
      } else if (scope === 'branch') {
        if (actor.role === 'member') throw forbidden('只有支部书记和管理员可以导出支部学习台账');
        const id = query.id ?? actor.branchId;
        if (!id) throw invalidInput('请选择支部', [{ path: 'id', message: '请选择支部' }]);
        const branch = await d.branches.get(id);
        if (!branch) throw notFound('支部');
        assertBranchReader(actor, branch.id);
        label = branch.name;
        sheets = branchSheets([branch], start, end, tallies, nameSheet);
      } else {
        if (actor.role !== 'admin') throw forbidden('只有管理员可以导出全部支部的学习台账');
        label = '全部';
        const branches = (await d.branches.list()).map((b) => ({ id: b.id as string | null, name: b.name }));
        sheets = branchSheets([...branches, { id: null, name: NO_BRANCH }], start, end, tallies, nameSheet);
      }

      return {
        filename: safeFileName(`学习台账_${label}_${from}_${to}`, 'xlsx'),
        asciiName: `ledger_${scope}_${from}_${to}`,
        async write(out) {
          async function* all() {
            yield* sheets;
            // Reserved up front, so no branch took the name.
            yield summarySheet(SUMMARY, tallies);
          }
          await streamWorkbook(all(), out);
        },
      };
    },
  };
}

export type LedgerExports = ReturnType<typeof createLedgerExports>;
