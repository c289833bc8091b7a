import { Router } from 'express';
import { z } from 'zod';
import { idSchema } from '../../shared/schemas/common';
import type { LiveStudyService } from '../services/study/liveStudy';
import { requireUser } from './session';
import { idParam, validate } from './validate';

const pollSearchSchema = z.object({ q: z.string().trim().max(100).default('') });

/** `GET /api/study-sessions/:id/poll-questions?q=`: what the session's presenter may ask the room (no answer keys). */
export function studyPollRoutes(live: Pick<LiveStudyService, 'pollQuestions'>): Router {
  const router = Router();
  router.param('id', idParam);
  router.get('/study-sessions/:id/poll-questions', async (req, res) => {
    const { q } = validate(pollSearchSchema, req.query);
    res.json({ items: await live.pollQuestions(requireUser(res), validate(idSchema, req.params.id), q) });
  });
  return router;
}
