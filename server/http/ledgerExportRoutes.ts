import { Router, type Response } from 'express';
import { evaluationQuerySchema, ledgerScopeQuerySchema } from '../../shared/schemas/ledger';
import type { Logger } from '../infra/logger';
import { contentDisposition } from '../services/exports/download';
import type { LedgerServices } from '../services/ledger';
import { requireUser } from './session';
import { XLSX_TYPE } from './upload';
import { validate } from './validate';

interface StreamedFile {
  filename: string;
  asciiName: string;
  write(out: Response): Promise<void>;
}

/**
 * Streams a workbook into the response. Every check ran before this (errors so far get the usual envelope); once the
 * first bytes left, a failure can only cut the download short, so the connection is closed and the error logged.
 */
async function sendWorkbook(res: Response, file: StreamedFile, logger: Logger): Promise<void> {
  res.setHeader('Content-Type', XLSX_TYPE);
  res.setHeader('Content-Disposition', contentDisposition(file.filename, file.asciiName));
  // Members' names and records: not for shared caches.
  res.setHeader('Cache-Control', 'private, no-store');
  try {
    await file.write(res);
  } catch (err) {
    logger.error({ err, file: file.asciiName }, 'a streamed ledger workbook failed');
    res.destroy();
  }
}

/**
 * The study ledger's files (issue 12): `GET /api/ledger/export.xlsx` (学习台账, member/branch/org scope),
 * `GET /api/ledger/evaluation` and `GET /api/ledger/evaluation.xlsx` (the year-end evaluation).
 */
export function ledgerExportRoutes(ledger: Pick<LedgerServices, 'exports' | 'evaluation'>, logger: Logger): Router {
  const router = Router();

  router.get('/ledger/export.xlsx', async (req, res) => {
    const actor = requireUser(res);
    const query = validate(ledgerScopeQuerySchema, req.query);
    await sendWorkbook(res, await ledger.exports.plan(actor, query), logger);
  });

  router.get('/ledger/evaluation', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    const { year, branchId } = validate(evaluationQuerySchema, req.query);
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await ledger.evaluation.report(actor, year, branchId));
  });

  router.get('/ledger/evaluation.xlsx', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    const { year } = validate(evaluationQuerySchema, req.query);
    await sendWorkbook(res, await ledger.evaluation.workbook(actor, year), logger);
  });

  return router;
}
