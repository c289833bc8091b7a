import { Router } from 'express';
import { examAnswerIndexSchema, examAnswerSchema, examPublishSchema, examResultsQuerySchema } from '../../shared/schemas/exams';
import { contentDisposition } from '../services/exports/download';
import type { ExamResultsService } from '../services/review/examResults';
import type { ExamsService } from '../services/review/exams';
import { requireUser } from './session';
import { XLSX_TYPE } from './upload';
import { idParam, validate } from './validate';

/**
 * Mock exams (模拟考试, issue 11). Staff publish and read results; members start, answer and hand in their own
 * attempts. `GET /api/exams/:id/results?format=xlsx` downloads the results as a workbook.
 */
export function examRoutes(exams: ExamsService, results: ExamResultsService): Router {
  const router = Router();
  router.param('id', idParam);

  router.get('/exams', async (_req, res) => {
    const items = await exams.list(requireUser(res));
    res.json({ items, total: items.length });
  });

  router.post('/exams', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    const input = validate(examPublishSchema, req.body);
    res.status(201).json({ exam: await exams.publish(actor, input) });
  });

  router.get('/exams/:id', async (req, res) => {
    res.json({ exam: await exams.get(requireUser(res), req.params.id) });
  });

  router.post('/exams/:id/attempts', async (req, res) => {
    const { created, ...view } = await exams.start(requireUser(res), req.params.id);
    res.status(created ? 201 : 200).json(view);
  });

  router.get('/exams/attempts/:id', async (req, res) => {
    res.json(await exams.attempt(requireUser(res), req.params.id));
  });

  router.put('/exams/attempts/:id/answers/:index', async (req, res) => {
    const actor = requireUser(res);
    const index = validate(examAnswerIndexSchema, req.params.index);
    const { answer } = validate(examAnswerSchema, req.body);
    res.json(await exams.answer(actor, req.params.id, index, answer));
  });

  router.post('/exams/attempts/:id/submit', async (req, res) => {
    res.json(await exams.submit(requireUser(res), req.params.id));
  });

  router.get('/exams/:id/results', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    const { format } = validate(examResultsQuerySchema, req.query);
    if (format === 'json') {
      res.json(await results.results(actor, req.params.id));
      return;
    }
    const file = await results.workbook(actor, req.params.id);
    res.setHeader('Content-Type', XLSX_TYPE);
    res.setHeader('Content-Disposition', contentDisposition(file.filename, 'exam-results'));
    // Members' names and scores: not for shared caches.
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(file.body);
  });

  return router;
}
