import { Router } from 'express';
import { idSchema } from '../../shared/schemas/common';
import { createQuestionSchema, listQuestionsQuerySchema, updateQuestionSchema } from '../../shared/schemas/questions';
import type { QuestionsService } from '../services/questionsService';
import { requireUser } from './session';
import { validate } from './validate';

export function questionRoutes(questions: QuestionsService): Router {
  const router = Router();

  router.get('/questions', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    res.json(await questions.list(actor, validate(listQuestionsQuerySchema, req.query)));
  });

  router.get('/questions/tags', async (_req, res) => {
    res.json(await questions.tags(requireUser(res, 'admin', 'secretary')));
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
