import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { contentDisposition, NUM_FMT, rfc5987, safeCell, safeFileName, sheet, wallClock, writeWorkbook } from '../../../server/services/spreadsheet';

describe('issue 9 item 8: the shared exports module', () => {
  it('issue 9 item 8: names a download per RFC 5987 with an ASCII fallback', () => {
    expect(rfc5987("学习(一)'s*.xlsx")).toBe('%E5%AD%A6%E4%B9%A0%28%E4%B8%80%29%27s%2A.xlsx');
    const header = contentDisposition('第一支部-竞答成绩.xlsx', 'game-report');
    expect(header).toBe(`attachment; filename="game-report.xlsx"; filename*=UTF-8''${encodeURIComponent('第一支部-竞答成绩.xlsx')}`);
    expect(contentDisposition('成绩.xlsx')).toMatch(/^attachment; filename="export\.xlsx"; /);
    expect(contentDisposition('a"b;c.xlsx')).toContain('filename="a_b_c.xlsx"');
  });

  it('issue 9 item 8: file names drop characters no file system accepts', () => {
    expect(safeFileName('党课/学习:第一期?', 'xlsx')).toBe('党课_学习_第一期_.xlsx');
    expect(safeFileName('  ', 'xlsx')).toBe('export.xlsx');
  });

  it('issue 9 item 8: strings are neutralised, numbers stay numbers', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(safeCell(s)).toBe(`'${s}`);
    expect(safeCell('普通文本')).toBe('普通文本');
    expect(safeCell(-3)).toBe(-3);
    expect(safeCell(Number.NaN)).toBeNull();
  });

  it('issue 9 item 8: dates are written as the wall clock of the organisation', () => {
    expect(wallClock(Date.UTC(2026, 11, 1, 1, 30), 'Asia/Shanghai').toISOString()).toBe('2026-12-01T09:30:00.000Z');
  });

  it('issue 9 item 8: typed columns write numbers with their format and a header block above the table', async () => {
    const body = await writeWorkbook([
      sheet<{ name: string; share: number }>({
        name: '测试',
        head: [{ label: '标题', value: '=危险' }],
        rows: [{ name: '-张三', share: 0.5 }],
        columns: [
          { header: '姓名', value: (r) => r.name },
          { header: '比例', numFmt: NUM_FMT.percent, value: (r) => r.share },
        ],
      }),
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet('测试')!;
    expect(ws.getCell('A1').value).toBe('标题');
    expect(ws.getCell('B1').value).toBe("'=危险");
    expect(ws.getCell('A3').value).toBe('姓名');
    expect(ws.getCell('A4').value).toBe("'-张三");
    expect(ws.getCell('B4').value).toBe(0.5);
    expect(ws.getCell('B4').numFmt).toBe('0.0%');
  });
});
