import { Router } from 'express';
import { z } from 'zod';
import { idSchema } from '../../shared/schemas/common';
import { ledgerSettingsPatchSchema, periodQuerySchema, reminderSchema } from '../../shared/schemas/ledger';
import type { LedgerServices } from '../services/ledger';
import { requireUser } from './session';
import { idParam, validate } from './validate';

const dayString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 YYYY-MM-DD');
const yearQuerySchema = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });
const rangeQuerySchema = z.object({ from: dayString, to: dayString }).refine((q) => q.from <= q.to, { message: '开始日期不能晚于结束日期', path: ['from'] });
const trendQuerySchema = z.intersection(periodQuerySchema, z.object({ count: z.coerce.number().int().min(2).max(24).default(12) }));
const catchUpQuerySchema = z.intersection(periodQuerySchema, z.object({ branchId: idSchema.optional() }));

/**
 * The ledger's reading side (issue 12): the member's own record, participation and rankings of branches, the catch-up
 * list and reminders, the leader dashboard, the organisation's rules. Exports and tasks have their own routers.
 */
export function ledgerRoutes(ledger: Pick<LedgerServices, 'reports' | 'catchUp' | 'dashboard' | 'settings'>): Router {
  const router = Router();
  router.param('id', idParam);

  router.get('/ledger/settings', async (_req, res) => {
    requireUser(res);
    res.json(await ledger.settings.get());
  });
  router.put('/ledger/settings', async (req, res) => {
    res.json(await ledger.settings.update(requireUser(res), validate(ledgerSettingsPatchSchema, req.body)));
  });

  router.get('/ledger/me', async (req, res) => {
    res.json(await ledger.reports.me(requireUser(res), validate(yearQuerySchema, req.query).year));
  });
  router.get('/ledger/members/:id/entries', async (req, res) => {
    res.json(await ledger.reports.memberEntries(requireUser(res), req.params.id, validate(rangeQuerySchema, req.query)));
  });

  router.get('/ledger/participation', async (req, res) => {
    res.json(await ledger.reports.participation(requireUser(res), validate(periodQuerySchema, req.query)));
  });
  router.get('/ledger/trend', async (req, res) => {
    const q = validate(trendQuerySchema, req.query);
    res.json(await ledger.reports.trend(requireUser(res), q, q.count));
  });
  router.get('/ledger/branches/:id/members', async (req, res) => {
    res.json(await ledger.reports.branchMembers(requireUser(res), req.params.id, validate(periodQuerySchema, req.query)));
  });
  router.get('/ledger/individuals', async (req, res) => {
    res.json(await ledger.reports.individuals(requireUser(res), validate(periodQuerySchema, req.query)));
  });

  router.get('/ledger/catch-up', async (req, res) => {
    const actor = requireUser(res);
    const q = validate(catchUpQuerySchema, req.query);
    const branchId = q.branchId ?? actor.branchId;
    if (!branchId) {
      res.json({ items: [] });
      return;
    }
    res.json({ items: await ledger.catchUp.list(actor, branchId, q) });
  });
  router.post('/ledger/reminders', async (req, res) => {
    const { memberId, message } = validate(reminderSchema, req.body);
    res.status(201).json({ notification: await ledger.catchUp.remind(requireUser(res), memberId, message) });
  });
  router.get('/me/notifications', async (_req, res) => {
    res.json(await ledger.catchUp.mine(requireUser(res)));
  });
  router.post('/me/notifications/read', async (_req, res) => {
    await ledger.catchUp.markRead(requireUser(res));
    res.status(204).end();
  });

  router.get('/ledger/dashboard', async (_req, res) => {
    res.json(await ledger.dashboard.get(requireUser(res)));
  });
  return router;
}
