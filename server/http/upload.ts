import multer from 'multer';
import type { Request } from 'express';
import { invalidInput } from '../domain/errors';

/** One spreadsheet per request, kept in memory (imports are small and parsed at once). */
export const singleUpload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 10 },
}).single('file');

export function uploadedFile(req: Request): { buffer: Buffer; name: string } {
  const file = req.file;
  if (!file || file.size === 0) throw invalidInput('请选择要导入的 .xlsx 或 .csv 文件（表单字段 file）');
  // Browsers send non-ASCII file names as latin1 in multipart headers.
  const name = Buffer.from(file.originalname, 'latin1').toString('utf8');
  return { buffer: file.buffer, name };
}

export function sendFile(res: import('express').Response, buffer: Buffer | string, filename: string, type: string) {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`);
  res.send(buffer);
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';
