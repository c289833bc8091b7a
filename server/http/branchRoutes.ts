import { Router } from 'express';
import { createBranchSchema, updateBranchSchema } from '../../shared/schemas/branches';
import { idSchema } from '../../shared/schemas/common';
import type { BranchesService } from '../services/branchesService';
import { requireUser } from './session';
import { idParam, validate } from './validate';

export function branchRoutes(branches: BranchesService): Router {
  const router = Router();
  router.param('id', idParam);

  router.get('/branches', async (_req, res) => {
    requireUser(res);
    res.json(await branches.list());
  });

  router.post('/branches', async (req, res) => {
    const actor = requireUser(res, 'admin');
    const branch = await branches.create(actor, validate(createBranchSchema, req.body));
    res.status(201).json({ branch });
  });

  router.patch('/branches/:id', async (req, res) => {
    const actor = requireUser(res, 'admin');
    const input = validate(updateBranchSchema, req.body);
    const branch = await branches.update(actor, validate(idSchema, req.params.id), input);
    res.json({ branch });
  });

  router.delete('/branches/:id', async (req, res) => {
    const actor = requireUser(res, 'admin');
    await branches.remove(actor, validate(idSchema, req.params.id));
    res.status(204).end();
  });

  return router;
}
