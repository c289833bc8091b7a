import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { neutraliseCell } from '../../domain/csv';

/**
 * The one .xlsx writer every export uses (game reports today; records, exam results and the ledger next).
 * Sheets are declared as typed columns; numbers stay numbers, with a number format where they need one,
 * and every string is neutralised against formula injection on the way out. Rows are streamed (exceljs's
 * WorkbookWriter): a 2,000-player game has 40,000 answer rows, which the in-memory workbook takes seconds and
 * hundreds of MB to write.
 */

/** What a column may put in a cell; null leaves it empty. */
export type Cell = string | number | Date | null;

/** Number formats shared by the exports, so the same kind of figure looks the same in every file. */
export const NUM_FMT = {
  integer: '0',
  percent: '0.0%',
  seconds: '0.0',
  dateTime: 'yyyy-mm-dd hh:mm',
  date: 'yyyy-mm-dd',
} as const;

export interface Column<Row> {
  header: string;
  /** Width in characters (a CJK character counts about two). */
  width?: number;
  numFmt?: string;
  value: (row: Row) => Cell;
}

/** A label and its value above the table: a report's title, date, host... */
export interface HeadLine {
  label: string;
  value: Cell;
  numFmt?: string;
}

export interface SheetSpec<Row> {
  /** At most 31 characters, none of : \ / ? * [ ] (Excel's rule). */
  name: string;
  head?: HeadLine[];
  columns: Column<Row>[];
  rows: readonly Row[];
}

/** A sheet with its row type erased, so sheets of different rows go into one workbook. */
export interface Sheet {
  readonly name: string;
  writeTo(workbook: ExcelJS.stream.xlsx.WorkbookWriter): Promise<void>;
}

/** Rows written between breaks, so a big export does not hold up a live game on the same process. */
const YIELD_EVERY = 2000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A string is neutralised; a number that is not finite is left out rather than written as text. */
export function safeCell(value: Cell): ExcelJS.CellValue {
  if (value === null) return null;
  if (typeof value === 'string') return neutraliseCell(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return value;
}

export function sheet<Row>(spec: SheetSpec<Row>): Sheet {
  const head = spec.head ?? [];
  return {
    name: spec.name,
    async writeTo(workbook) {
      const headerRowNumber = head.length ? head.length + 2 : 1;
      // Keeps the column titles in view while scrolling a long list.
      const ws = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: headerRowNumber }] });
      // Widths and formats per column, set before any row is written (a streamed row cannot be changed later).
      ws.columns = spec.columns.map((c) => ({ width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
      for (const line of head) {
        const row = ws.addRow([safeCell(line.label), safeCell(line.value)]);
        row.getCell(1).font = { bold: true };
        row.getCell(2).numFmt = line.numFmt ?? 'General';
        row.commit();
      }
      if (head.length) ws.addRow([]).commit();
      const headerRow = ws.addRow(spec.columns.map((c) => safeCell(c.header)));
      headerRow.font = { bold: true };
      headerRow.eachCell((cell) => (cell.numFmt = 'General'));
      headerRow.commit();
      for (const [i, item] of spec.rows.entries()) {
        ws.addRow(spec.columns.map((c) => safeCell(c.value(item)))).commit();
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
      }
      ws.commit();
    },
  };
}

export async function writeWorkbook(sheets: readonly Sheet[]): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  // Inline strings (no shared-strings table to hold in memory); styles for the number formats and bold headers.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  for (const s of sheets) await s.writeTo(workbook);
  await workbook.commit();
  await done;
  return Buffer.concat(chunks);
}

/**
 * An instant as the wall-clock time of `timeZone`, for a date cell: Excel dates carry no zone, and exceljs writes
 * a Date's UTC fields, so a game at 09:00 in Beijing must be handed over as 09:00 UTC.
 */
export function wallClock(epochMs: number, timeZone: string): Date {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return new Date(Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')));
}
