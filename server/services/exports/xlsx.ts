import { PassThrough, type Writable } from 'node:stream';
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
  /** An array, or an async iterable read as it is written (a ledger export reads the record chunk by chunk). */
  rows: readonly Row[] | AsyncIterable<Row>;
  /** Rows shown in bold (a member's totals line). */
  bold?: (row: Row) => boolean;
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
      const rows = fastRows(workbook, ws, spec.columns, headerRowNumber + 1);
      let i = 0;
      for await (const item of spec.rows) {
        rows.add(spec.columns.map((c) => safeCell(c.value(item))), spec.bold?.(item) ?? false);
        if (i++ % YIELD_EVERY === YIELD_EVERY - 1) {
          rows.flush();
          await yieldToEventLoop();
          await drained(workbook);
        }
      }
      rows.flush();
      ws.commit();
    },
  };
}

/** The stream the workbook is written into (exceljs keeps it as `stream`). */
const outOf = (workbook: ExcelJS.stream.xlsx.WorkbookWriter) => (workbook as unknown as { stream: Writable }).stream;

/**
 * Waits while the reader is behind (a slow download: the rows wait in Redis, not in memory) and stops the export when
 * the reader has gone (a closed download: no point reading the rest of the record).
 */
async function drained(workbook: ExcelJS.stream.xlsx.WorkbookWriter): Promise<void> {
  const out = outOf(workbook);
  if (out.writableNeedDrain && !out.destroyed) {
    await new Promise<void>((resolve) => {
      const done = () => {
        out.off('drain', done);
        out.off('close', done);
        resolve();
      };
      out.on('drain', done);
      out.on('close', done);
    });
  }
  if (out.destroyed) throw new Error('the workbook’s reader went away');
}

/** exceljs's streaming worksheet, as far as the row path below uses its insides (exceljs 4.4, pinned by the lockfile). */
interface SheetInternals {
  stream: { write(xml: string): void };
  startedData: boolean;
}
interface StylesInternals {
  addStyleModel(model: Partial<ExcelJS.Style> | undefined, cellType?: ExcelJS.ValueType): number;
}

/** Characters XML 1.0 does not allow (a user's text may hold them); they are dropped, as exceljs drops them. */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const xmlText = (s: string) => s.replace(NOT_XML, '').replace(/[&<>]/g, (c) => XML_ESCAPES[c]!);

function columnLetters(n: number): string {
  let out = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) out = String.fromCharCode(65 + ((c - 1) % 26)) + out;
  return out;
}

/** Excel's serial day number of a Date's UTC fields (1900 date system), as exceljs writes dates. */
const excelSerial = (d: Date) => 25569 + d.getTime() / 86_400_000;

/**
 * Data rows written as sheet XML straight into exceljs's worksheet stream. exceljs's own path builds a Row and a Cell
 * object per value and merges styles per cell, some 50 µs a row: an organisation's year (a million rows) would take
 * most of a minute. This writes the same XML (inline strings, numbers, dates as serials with the column's format, bold
 * by a style) for a few µs a row. The head and header rows go through exceljs, which opens the sheet's data first.
 */
function fastRows<Row>(workbook: ExcelJS.stream.xlsx.WorkbookWriter, ws: ExcelJS.Worksheet, columns: Column<Row>[], firstRow: number) {
  const sheetWriter = ws as unknown as SheetInternals;
  if (!sheetWriter.startedData) throw new Error('the header row must be committed before the data rows');
  const styles = (workbook as unknown as { styles: StylesInternals }).styles;
  const letters = columns.map((_, i) => columnLetters(i + 1));
  const styleOf = (numFmt: string | undefined, bold: boolean, type: ExcelJS.ValueType) =>
    styles.addStyleModel(numFmt || bold ? { ...(numFmt ? { numFmt } : {}), ...(bold ? { font: { bold: true } } : {}) } : undefined, type);
  // Style ids per column: plain and bold, and for dates (a date needs a date format even in a column without one).
  const plain = columns.map((c) => styleOf(c.numFmt, false, ExcelJS.ValueType.Number));
  const bold = columns.map((c) => styleOf(c.numFmt, true, ExcelJS.ValueType.Number));
  const datePlain = columns.map((c) => styleOf(c.numFmt ?? NUM_FMT.dateTime, false, ExcelJS.ValueType.Date));
  const dateBold = columns.map((c) => styleOf(c.numFmt ?? NUM_FMT.dateTime, true, ExcelJS.ValueType.Date));
  const attr = (s: number) => (s ? ` s="${s}"` : '');
  let rowNumber = firstRow;
  let buffer = '';
  return {
    add(values: ExcelJS.CellValue[], isBold: boolean) {
      let xml = `<row r="${rowNumber}">`;
      values.forEach((v, i) => {
        const ref = `${letters[i]}${rowNumber}`;
        if (typeof v === 'string') xml += `<c r="${ref}"${attr((isBold ? bold : plain)[i]!)} t="inlineStr"><is><t xml:space="preserve">${xmlText(v)}</t></is></c>`;
        else if (typeof v === 'number') xml += `<c r="${ref}"${attr((isBold ? bold : plain)[i]!)}><v>${v}</v></c>`;
        else if (v instanceof Date) xml += `<c r="${ref}"${attr((isBold ? dateBold : datePlain)[i]!)}><v>${excelSerial(v)}</v></c>`;
      });
      buffer += `${xml}</row>`;
      rowNumber += 1;
    },
    /** Hands the rows so far to the zip (every few thousand rows and at the end). */
    flush() {
      if (buffer) sheetWriter.stream.write(buffer);
      buffer = '';
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
  await streamWorkbook(sheets, stream);
  await done;
  return Buffer.concat(chunks);
}

/**
 * Writes the workbook into `out` (an HTTP response) as its sheets produce rows, so an export of any size holds only
 * the rows not yet zipped. Sheets may come from an async iterable: a sheet is made only when the one before it is
 * written. `out` is ended when the workbook is complete.
 */
export async function streamWorkbook(sheets: Iterable<Sheet> | AsyncIterable<Sheet>, out: Writable): Promise<void> {
  // Inline strings (no shared-strings table to hold in memory); styles for the number formats and bold headers.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  for await (const s of sheets) {
    await s.writeTo(workbook);
    await drained(workbook);
  }
  await workbook.commit();
}

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: making one costs far more than using it, and an export formats a date per row. */
function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
  let f = wallClockFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    wallClockFormats.set(timeZone, f);
  }
  return f;
}

/**
 * An instant as the wall-clock time of `timeZone`, for a date cell: Excel dates carry no zone, and exceljs writes
 * a Date's UTC fields, so a game at 09:00 in Beijing must be handed over as 09:00 UTC.
 */
export function wallClock(epochMs: number, timeZone: string): Date {
  const parts = wallClockFormat(timeZone).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return new Date(Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')));
}
