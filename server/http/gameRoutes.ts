import { Router } from 'express';
import { idSchema } from '../../shared/schemas/common';
import type { GameReportsService } from '../services/gameReportsService';
import { requireUser } from './session';
import { contentDisposition } from '../services/spreadsheet';
import { XLSX_TYPE } from './upload';
import { idParam, validate } from './validate';

/** Live-game results: reports for hosts and leaders, and each member's own results. */
export function gameRoutes(reports: GameReportsService): Router {
  const router = Router();
  router.param('id', idParam);

  router.get('/games', async (_req, res) => {
    res.json(await reports.list(requireUser(res)));
  });

  router.get('/games/:id/export.xlsx', async (req, res) => {
    const actor = requireUser(res);
    const { filename, asciiName, body } = await reports.exportXlsx(actor, validate(idSchema, req.params.id));
    res.setHeader('Content-Type', XLSX_TYPE);
    res.setHeader('Content-Disposition', contentDisposition(filename, asciiName));
    // Names and answers of members: not for shared caches.
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(body);
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
