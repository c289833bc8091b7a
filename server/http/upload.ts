import multer from 'multer';
import type { Request } from 'express';
import { invalidInput } from '../domain/errors';
import { checkZipBudget, MAX_XLSX_UNPACKED_BYTES } from '../domain/zipBudget';

/** The largest file an import accepts, as uploaded. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** One spreadsheet per request, kept in memory (imports are small and parsed at once). */
export const singleUpload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 },
}).single('file');

export function uploadedFile(req: Request): { buffer: Buffer; name: string } {
  const file = req.file;
  if (!file || file.size === 0) throw invalidInput('请选择要导入的 .xlsx 或 .csv 文件（表单字段 file）');
  // Browsers send non-ASCII file names as latin1 in multipart headers.
  const name = Buffer.from(file.originalname, 'latin1').toString('utf8');
  assertUnpackable(file.buffer);
  return { buffer: file.buffer, name };
}

/** An .xlsx is a zip: its unpacked size is checked before exceljs unpacks it whole in memory. */
function assertUnpackable(buffer: Buffer): void {
  if (buffer[0] !== 0x50 || buffer[1] !== 0x4b) return; // not a zip: read as CSV
  const verdict = checkZipBudget(buffer);
  if (verdict.ok) return;
  if (verdict.reason === 'too-large') {
    throw invalidInput(`Excel 文件解压后超过 ${MAX_XLSX_UNPACKED_BYTES / 1024 / 1024} MB，请拆分后分批导入`);
  }
  throw invalidInput('无法读取该 Excel 文件，请另存为 .xlsx 或 .csv 后重试');
}

export function sendFile(res: import('express').Response, buffer: Buffer | string, filename: string, type: string) {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`);
  res.send(buffer);
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';
