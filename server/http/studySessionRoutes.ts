import { Router } from 'express';
import { idSchema } from '../../shared/schemas/common';
import { studySessionCreateSchema, studySessionListQuerySchema, studySessionPatchSchema } from '../../shared/schemas/study';
import type { StudySessionsService } from '../services/study/sessions';
import { requireUser } from './session';
import { idParam, validate } from './validate';

export function studySessionRoutes(sessions: StudySessionsService): Router {
  const router = Router();
  router.param('id', idParam);

  router.get('/study-sessions', async (req, res) => {
    res.json(await sessions.list(requireUser(res), validate(studySessionListQuerySchema, req.query)));
  });

  router.post('/study-sessions', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    res.status(201).json({ session: await sessions.create(actor, validate(studySessionCreateSchema, req.body)) });
  });

  router.get('/study-sessions/:id', async (req, res) => {
    res.json({ session: await sessions.get(requireUser(res), validate(idSchema, req.params.id)) });
  });

  router.patch('/study-sessions/:id', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    const patch = validate(studySessionPatchSchema, req.body);
    res.json({ session: await sessions.patch(actor, validate(idSchema, req.params.id), patch) });
  });

  router.delete('/study-sessions/:id', async (req, res) => {
    await sessions.remove(requireUser(res, 'admin', 'secretary'), validate(idSchema, req.params.id));
    res.status(204).end();
  });

  return router;
}
