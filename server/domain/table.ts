import { invalidInput } from './errors';

/** A spreadsheet read into memory: header names and data rows with their spreadsheet row numbers. */
export interface Table {
  headers: string[];
  rows: { row: number; cells: string[] }[];
}

/** Builds a table from raw rows; the first non-empty row is the header, blank rows are skipped. */
export function toTable(raw: string[][]): Table {
  const firstIndex = raw.findIndex((r) => r.some((c) => c.trim() !== ''));
  if (firstIndex < 0) return { headers: [], rows: [] };
  const headers = (raw[firstIndex] ?? []).map((h) => h.trim());
  const rows: Table['rows'] = [];
  for (let i = firstIndex + 1; i < raw.length; i++) {
    const cells = (raw[i] ?? []).map((c) => c.trim());
    if (cells.some((c) => c !== '')) rows.push({ row: i + 1, cells });
  }
  return { headers, rows };
}

/**
 * Finds each wanted column by any of its accepted header names (Chinese or English, any case).
 * Returns the column index per field, or -1 when absent.
 */
export function locateColumns<F extends string>(headers: string[], aliases: Record<F, readonly string[]>): Record<F, number> {
  const norm = headers.map((h) => h.replace(/[\s*（）()]/g, '').toLowerCase());
  const out = {} as Record<F, number>;
  for (const field of Object.keys(aliases) as F[]) {
    out[field] = norm.findIndex((h) => aliases[field].some((a) => a.toLowerCase() === h));
  }
  return out;
}

/**
 * Refuses a sheet with more data rows than an import takes at once (each user row costs an argon2 hash,
 * each question row a Redis write), before any row is looked at: 400 naming the cap.
 */
export function assertRowCap(table: Table, cap: number, noun: string): void {
  if (table.rows.length <= cap) return;
  throw invalidInput(`一次最多导入 ${cap} ${noun}，这个文件有 ${table.rows.length} 行，请拆分后分批导入`, [
    { path: 'file', message: `最多 ${cap} 行` },
  ]);
}
