import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../../shared/schemas/ledger';
import { NUM_FMT, sheet, streamWorkbook } from '../../../server/services/exports/xlsx';
import { branchRows, learningForm, ledgerColumns, resultText, sheetNamer } from '../../../server/services/ledger/ledgerRows';

const entry = (over: Partial<LedgerEntry>): LedgerEntry => ({
  id: 'x',
  memberId: 'm1',
  branchId: 'b1',
  kind: 'daily_set',
  refId: 'r',
  at: Date.UTC(2025, 0, 1),
  hours: 0,
  title: '每日一练',
  result: {},
  note: '',
  ...over,
});

describe('issue 12: ledger export rows', () => {
  it('issue 12: 学习形式 and 成绩/结果 as branches write them, per kind', () => {
    expect(learningForm({ kind: 'study_session', sessionKind: 'branch_general_meeting' })).toBe('支部党员大会');
    expect(learningForm({ kind: 'study_session', sessionKind: 'theme_day' })).toBe('主题党日');
    expect(learningForm({ kind: 'study_session' })).toBe('集体学习');
    expect(['live_game', 'daily_set', 'practice', 'exam', 'reflection', 'task'].map((kind) => learningForm({ kind: kind as LedgerEntry['kind'] }))).toEqual([
      '知识竞赛', '自学', '自学', '考试', '心得体会', '学习任务',
    ]);
    expect(resultText({ kind: 'live_game', result: { score: 800, rank: 3, correct: 2, total: 5 } })).toBe('得分 800，第 3 名，答对 2/5');
    expect(resultText({ kind: 'study_session', result: { status: 'late', minutes: 75 } })).toBe('迟到，75 分钟');
    expect(resultText({ kind: 'study_session', result: { status: 'left_early', minutes: 40 } })).toBe('早退，40 分钟');
    expect(resultText({ kind: 'study_session', result: { status: 'absent', minutes: 0 } })).toBe('缺席');
    expect(resultText({ kind: 'exam', result: { score: 60 } })).toBe('60 分');
    expect(resultText({ kind: 'practice', result: { correct: 7, total: 10 } })).toBe('答对 7/10');
  });

  it('issue 12: rows by member name then date, numbered, with a totals line per member', () => {
    const names = new Map([
      ['m1', '王芳'],
      ['m2', '李强'],
    ]);
    const rows = branchRows(
      [
        entry({ id: 'a', memberId: 'm1', at: 3, hours: 1 }),
        entry({ id: 'b', memberId: 'm2', at: 2, hours: 0.5 }),
        entry({ id: 'c', memberId: 'm1', at: 1, hours: 1.5 }),
        entry({ id: 'd', memberId: 'gone', at: 4 }),
      ],
      names,
      '一支部',
    );
    // 李 (lǐ) before 王 (wáng) in pinyin order; an unknown member keeps their entries under their id.
    expect(rows.map((r) => (r.type === 'entry' ? `${r.seq}:${r.name}:${r.entry.id}` : `total:${r.name}:${r.count}:${r.hours}`))).toEqual([
      '1:李强:b',
      'total:李强:1:0.5',
      '2:王芳:c',
      '3:王芳:a',
      'total:王芳:2:2.5',
      '4:gone:d',
      'total:gone:1:0',
    ]);
  });

  it('issue 12: sheet names are unique, at most 31 characters, without []:*?/\\', () => {
    const name = sheetNamer(['汇总', 'History']);
    const long = '中共某某市某某区某某街道某某社区第一党支部委员会机关第二党小组扩展名称';
    const names = [name('汇总'), name('a/b:c*d?e[f]g\\h'), name(long), name(long), name('HISTORY'), name("'quoted'"), name('')];
    expect(names[0]).toBe('汇总(2)');
    expect(names[1]).toBe('a_b_c_d_e_f_g_h');
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(31);
      expect(n).not.toMatch(/[[\]:*?/\\]/);
      expect(n.startsWith("'") || n.endsWith("'")).toBe(false);
    }
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
  });

  it('issue 12: streamed rows keep numbers, org-zone dates, bold totals, and text with markup or control characters', async () => {
    const rows = branchRows(
      [
        // 17:30 UTC on 31 Jan is 01:30 on 1 Feb in Beijing.
        entry({ id: 'a', at: Date.UTC(2025, 0, 31, 17, 30), hours: 1.5, title: 'R&D <党课> \u0001 "引号"', kind: 'exam', result: { score: 90 } }),
      ],
      new Map([['m1', '=SUM(A1)']]),
      '一支部',
    );
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await streamWorkbook([sheet({ name: '一支部', columns: ledgerColumns('Asia/Shanghai'), rows, bold: (r) => r.type === 'total' })], out);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('一支部')!;
    const first = ws.getRow(2);
    expect(first.getCell(1).value).toBe(1);
    expect(first.getCell(2).value).toBe("'=SUM(A1)");
    expect((first.getCell(4).value as Date).toISOString()).toBe('2025-02-01T00:00:00.000Z');
    expect(first.getCell(4).numFmt).toBe(NUM_FMT.date);
    expect(first.getCell(6).value).toBe('R&D <党课>  "引号"');
    expect(first.getCell(7).value).toBe(1.5);
    expect(first.getCell(8).value).toBe('90 分');
    expect(first.getCell(2).font?.bold).toBeFalsy();
    const total = ws.getRow(3);
    expect(total.getCell(5).value).toBe('合计');
    expect(total.getCell(7).value).toBe(1.5);
    expect(total.getCell(7).font?.bold).toBe(true);
    expect(total.getCell(7).numFmt).toBe('0.0');
  });
});
