import { Router } from 'express';
import { z } from 'zod';
import { idSchema } from '../../shared/schemas/common';
import { createQuestionSchema, listQuestionsQuerySchema, renameTagSchema, tagNameSchema, updateQuestionSchema } from '../../shared/schemas/questions';
import { importQuerySchema } from '../../shared/schemas/users';
import { toCsv } from '../domain/csv';
import { QUESTION_SHEET_HEADER } from '../domain/questionSheet';
import type { QuestionImportService } from '../services/questionImportService';
import type { QuestionsService } from '../services/questionsService';
import { readTable, writeXlsx } from '../services/spreadsheet';
import { requireRole, requireUser } from './session';
import { CSV_TYPE, sendFile, singleUpload, uploadedFile, XLSX_TYPE } from './upload';
import { idParam, validate } from './validate';

const exportQuerySchema = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx'), tag: z.string().trim().max(20).optional() });
const TEMPLATE_EXAMPLE = ['单选', '党的最高领导机关是（ ）。', '党的全国代表大会和它所产生的中央委员会', '中央政治局', '中央书记处', '', '', '', '', '', 'A', '党章第十条规定……', '《中国共产党章程》第十条', '党章、组织制度', '1'];
const WIDTHS = [8, 48, 20, 20, 20, 20, 12, 12, 12, 12, 8, 40, 24, 16, 6];

function sendSheet(res: import('express').Response, rows: string[][], format: 'xlsx' | 'csv', name: string) {
  if (format === 'csv') return sendFile(res, toCsv(rows), `${name}.csv`, CSV_TYPE);
  return writeXlsx('题库', rows, WIDTHS).then((buffer) => sendFile(res, buffer, `${name}.xlsx`, XLSX_TYPE));
}

export function questionRoutes(questions: QuestionsService, importer: QuestionImportService): Router {
  const router = Router();
  router.param('id', idParam);

  router.get('/questions/import/template', async (req, res) => {
    requireUser(res, 'admin', 'secretary');
    await sendSheet(res, [QUESTION_SHEET_HEADER, TEMPLATE_EXAMPLE], req.query.format === 'csv' ? 'csv' : 'xlsx', '题库导入模板');
  });

  router.post('/questions/import', requireRole('admin', 'secretary'), singleUpload, async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    const { dryRun } = validate(importQuerySchema, req.query);
    const file = uploadedFile(req);
    res.json(await importer.importQuestions(actor, await readTable(file.buffer, file.name), dryRun));
  });

  router.get('/questions/export', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    const { format, tag } = validate(exportQuerySchema, req.query);
    await sendSheet(res, await importer.exportRows(actor, tag), format, '题库导出');
  });

  router.get('/questions', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    res.json(await questions.list(actor, validate(listQuestionsQuerySchema, req.query)));
  });

  router.get('/questions/tags', async (_req, res) => {
    res.json(await questions.tags(requireUser(res, 'admin', 'secretary')));
  });

  router.put('/questions/tags/:tag', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    const from = validate(tagNameSchema, req.params.tag);
    const { name } = validate(renameTagSchema, req.body);
    res.json(await questions.renameTag(actor, from, name));
  });

  router.delete('/questions/tags/:tag', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    res.json(await questions.removeTag(actor, validate(tagNameSchema, req.params.tag)));
  });

  router.post('/questions', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    const question = await questions.create(actor, validate(createQuestionSchema, req.body));
    res.status(201).json({ question });
  });

  router.get('/questions/:id', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    res.json({ question: await questions.get(actor, validate(idSchema, req.params.id)) });
  });

  router.put('/questions/:id', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    const input = validate(updateQuestionSchema, req.body);
    res.json({ question: await questions.update(actor, validate(idSchema, req.params.id), input) });
  });

  router.delete('/questions/:id', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    await questions.remove(actor, validate(idSchema, req.params.id));
    res.status(204).end();
  });

  return router;
}
