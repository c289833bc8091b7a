import { Router } from 'express';
import { taskCreateSchema, taskYearQuerySchema } from '../../shared/schemas/tasks';
import { contentDisposition, safeFileName } from '../services/exports/download';
import type { TasksService } from '../services/ledger/tasks';
import { requireUser } from './session';
import { XLSX_TYPE } from './upload';
import { idParam, validate } from './validate';

/** Study tasks (学习任务) and the yearly 责任清单; completion comes from the study record, never from a tick here. */
export function taskRoutes(tasks: TasksService): Router {
  const router = Router();
  router.param('id', idParam);

  router.post('/tasks', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    res.status(201).json({ task: await tasks.create(actor, validate(taskCreateSchema, req.body)) });
  });

  router.get('/tasks', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    res.json({ items: await tasks.list(actor, validate(taskYearQuerySchema, req.query).year) });
  });

  // Before `/tasks/:id`: "checklist" is not a task id.
  router.get('/tasks/checklist', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    res.json({ items: await tasks.checklist(actor, validate(taskYearQuerySchema, req.query).year) });
  });

  router.get('/tasks/:id', async (req, res) => {
    res.json(await tasks.detail(requireUser(res, 'admin', 'secretary'), req.params.id));
  });

  router.get('/tasks/:id/export.xlsx', async (req, res) => {
    const { filename, body } = await tasks.exportXlsx(requireUser(res, 'admin', 'secretary'), req.params.id);
    res.setHeader('Content-Type', XLSX_TYPE);
    res.setHeader('Content-Disposition', contentDisposition(safeFileName(filename, 'xlsx'), 'study-task'));
    // Names of members and what they did: not for shared caches.
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(body);
  });

  router.delete('/tasks/:id', async (req, res) => {
    await tasks.remove(requireUser(res, 'admin', 'secretary'), req.params.id);
    res.status(204).end();
  });

  router.get('/me/tasks', async (_req, res) => {
    res.json({ items: await tasks.mine(requireUser(res)) });
  });

  return router;
}
