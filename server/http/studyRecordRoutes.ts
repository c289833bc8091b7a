import { Router, type Response } from 'express';
import { z } from 'zod';
import { idSchema } from '../../shared/schemas/common';
import { recordReturnSchema, recordUpdateSchema, RECORD_STATUSES } from '../../shared/schemas/study';
import type { BranchesStore } from '../store/branchesStore';
import { contentDisposition } from '../services/exports/download';
import { DOCX_TYPE } from '../services/exports/docx';
import { KIND_NAMES, recordDocx, recordsXlsx } from '../services/study/recordExport';
import type { RecordsService } from '../services/study/records';
import { requireUser } from './session';
import { XLSX_TYPE } from './upload';
import { idParam, validate } from './validate';

const exportQuery = z.object({ format: z.enum(['docx', 'xlsx']).default('docx') });
const queryInstant = z.string().regex(/^\d{1,15}$/).transform(Number);
const listQuery = z.object({ branchId: idSchema.optional(), from: queryInstant.optional(), to: queryInstant.optional(), status: z.enum(RECORD_STATUSES).optional() });
const reflectionSchema = z.object({ text: z.string().trim().min(1, '请填写心得体会').max(2000, '心得体会最多 2000 字') });

function sendDownload(res: Response, body: Buffer, type: string, filename: string) {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', contentDisposition(filename, 'study-record'));
  // Names and attendance of members: not for shared caches.
  res.setHeader('Cache-Control', 'private, no-store');
  res.send(body);
}

/** The meeting record (会议记录) of a study session: read, complete, submit, approve or return, export. */
export function studyRecordRoutes(records: RecordsService, branches: BranchesStore): Router {
  const router = Router();
  router.param('id', idParam);
  const branchName = async (id: string) => (await branches.get(id))?.name ?? '';
  const sessionId = (raw: unknown) => validate(idSchema, raw);

  router.get('/study-sessions/:id/record', async (req, res) => {
    res.json({ record: await records.get(requireUser(res), sessionId(req.params.id)) });
  });

  router.put('/study-sessions/:id/record', async (req, res) => {
    const actor = requireUser(res);
    const input = validate(recordUpdateSchema, req.body);
    res.json({ record: await records.update(actor, sessionId(req.params.id), input) });
  });

  for (const action of ['submit', 'approve', 'revise'] as const) {
    router.post(`/study-sessions/:id/record/${action}`, async (req, res) => {
      res.json({ record: await records[action](requireUser(res), sessionId(req.params.id)) });
    });
  }

  router.post('/study-sessions/:id/record/return', async (req, res) => {
    const actor = requireUser(res);
    const { reason } = validate(recordReturnSchema, req.body);
    res.json({ record: await records.returnRecord(actor, sessionId(req.params.id), reason) });
  });

  router.get('/study-sessions/:id/record/export', async (req, res) => {
    const actor = requireUser(res);
    const { format } = validate(exportQuery, req.query);
    const record = await records.get(actor, sessionId(req.params.id));
    const branch = await branchName(record.branchId);
    const date = new Date(record.startedAt).toISOString().slice(0, 10);
    const name = `${branch}${KIND_NAMES[record.kind]}会议记录-${date}`;
    if (format === 'docx') sendDownload(res, await recordDocx(record, branch), DOCX_TYPE, `${name}.docx`);
    else sendDownload(res, await recordsXlsx([record], () => branch), XLSX_TYPE, `${name}.xlsx`);
  });

  router.get('/study-sessions/:id/reflections', async (req, res) => {
    res.json({ items: await records.reflections(requireUser(res), sessionId(req.params.id)) });
  });

  router.put('/study-sessions/:id/reflection', async (req, res) => {
    const actor = requireUser(res);
    const { text } = validate(reflectionSchema, req.body);
    res.json({ reflection: await records.reflect(actor, sessionId(req.params.id), text) });
  });

  router.get('/study-records', async (req, res) => {
    const items = await records.list(requireUser(res), validate(listQuery, req.query));
    res.json({ items, total: items.length });
  });

  router.get('/study-records/export.xlsx', async (req, res) => {
    const actor = requireUser(res);
    const query = validate(listQuery, req.query);
    const items = await records.list(actor, query);
    const names = new Map<string, string>();
    for (const id of new Set(items.map((r) => r.branchId))) names.set(id, await branchName(id));
    const label = query.branchId ? (names.get(query.branchId) ?? (await branchName(query.branchId))) : '全部支部';
    sendDownload(res, await recordsXlsx(items, (id) => names.get(id) ?? ''), XLSX_TYPE, `${label}会议记录.xlsx`);
  });

  return router;
}
