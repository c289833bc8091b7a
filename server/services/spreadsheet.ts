import ExcelJS from 'exceljs';
import { sheet, writeWorkbook, type Column } from './exports/xlsx';
import { invalidInput } from '../domain/errors';
import { parseCsv } from '../domain/csv';
import { toTable, type Table } from '../domain/table';

/**
 * The spreadsheet module: reading imports (below) and, from ./exports, the one writer every export uses
 * (typed columns with number formats, formula neutralisation, dates in the organisation's zone) and the
 * download header with a Chinese file name (RFC 5987).
 */
export { NUM_FMT, safeCell, sheet, wallClock, writeWorkbook, type Cell, type Column, type HeadLine, type Sheet, type SheetSpec } from './exports/xlsx';
export { contentDisposition, rfc5987, safeFileName } from './exports/download';

/** UTF-8 (with or without BOM) first; anything that is not valid UTF-8 is read as GB18030 (Excel/WPS on Chinese Windows). */
export function decodeText(buffer: Buffer): string {
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return buffer.subarray(3).toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return new TextDecoder('gb18030').decode(buffer);
  }
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

const isZip = (b: Buffer) => b[0] === 0x50 && b[1] === 0x4b;

/** Reads the first sheet of an .xlsx (Excel or WPS) or a CSV file into a table. */
export async function readTable(buffer: Buffer, filename: string): Promise<Table> {
  if (isZip(buffer)) {
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
    } catch {
      throw invalidInput('无法读取该 Excel 文件，请另存为 .xlsx 或 .csv 后重试');
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) return { headers: [], rows: [] };
    const raw: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const values = row.values as ExcelJS.CellValue[];
      raw[rowNumber - 1] = values.slice(1).map(cellText);
    });
    for (let i = 0; i < raw.length; i++) raw[i] ??= [];
    return toTable(raw);
  }
  if (/\.xls$/i.test(filename)) throw invalidInput('不支持旧版 .xls 文件，请另存为 .xlsx 或 .csv');
  return toTable(parseCsv(decodeText(buffer)));
}

/** An .xlsx with one sheet of text: the first row is the header; every cell neutralised against formula injection. */
export async function writeXlsx(sheetName: string, rows: string[][], widths: number[] = []): Promise<Buffer> {
  const [header = [], ...body] = rows;
  const count = Math.max(0, ...rows.map((r) => r.length));
  const columns: Column<string[]>[] = Array.from({ length: count }, (_, i) => ({ header: header[i] ?? '', width: widths[i], value: (r) => r[i] ?? null }));
  return writeWorkbook([sheet({ name: sheetName, columns, rows: body })]);
}
