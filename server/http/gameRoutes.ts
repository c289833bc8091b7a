import { Router } from 'express';
import { idSchema } from '../../shared/schemas/common';
import type { GameReportsService } from '../services/gameReportsService';
import { requireUser } from './session';
import { sendFile, XLSX_TYPE } from './upload';
import { validate } from './validate';

/** Live-game results: reports for hosts and leaders, and each member's own results. */
export function gameRoutes(reports: GameReportsService): Router {
  const router = Router();

  router.get('/games', async (_req, res) => {
    res.json(await reports.list(requireUser(res)));
  });

  router.get('/games/:id/export.xlsx', async (req, res) => {
    const actor = requireUser(res);
    const { filename, body } = await reports.exportXlsx(actor, validate(idSchema, req.params.id));
    sendFile(res, body, filename, XLSX_TYPE);
  });

  router.get('/games/:id', async (req, res) => {
    const actor = requireUser(res);
    res.json({ game: await reports.get(actor, validate(idSchema, req.params.id)) });
  });

  router.get('/me/games', async (_req, res) => {
    res.json(await reports.myGames(requireUser(res)));
  });

  return router;
}
