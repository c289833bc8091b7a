import { Router } from 'express';
import { idSchema } from '../../shared/schemas/common';
import { quizInputSchema } from '../../shared/schemas/quizzes';
import type { QuizzesService } from '../services/quizzesService';
import { requireUser } from './session';
import { idParam, validate } from './validate';

export function quizRoutes(quizzes: QuizzesService): Router {
  const router = Router();
  router.param('id', idParam);

  router.get('/quizzes', async (_req, res) => {
    res.json(await quizzes.list(requireUser(res, 'admin', 'secretary')));
  });

  router.post('/quizzes', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    res.status(201).json({ quiz: await quizzes.create(actor, validate(quizInputSchema, req.body)) });
  });

  router.get('/quizzes/:id', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    res.json({ quiz: await quizzes.get(actor, validate(idSchema, req.params.id)) });
  });

  router.put('/quizzes/:id', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    const input = validate(quizInputSchema, req.body);
    res.json({ quiz: await quizzes.update(actor, validate(idSchema, req.params.id), input) });
  });

  router.delete('/quizzes/:id', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    await quizzes.remove(actor, validate(idSchema, req.params.id));
    res.status(204).end();
  });

  return router;
}
