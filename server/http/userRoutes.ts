import { Router } from 'express';
import { idSchema } from '../../shared/schemas/common';
import { createUserSchema, importQuerySchema, listUsersQuerySchema, updateUserSchema } from '../../shared/schemas/users';
import { toCsv } from '../domain/csv';
import { USER_IMPORT_TEMPLATE_EXAMPLE, USER_IMPORT_TEMPLATE_HEADER } from '../domain/userImport';
import { readTable, writeXlsx } from '../services/spreadsheet';
import type { UserImportService } from '../services/userImportService';
import type { UsersService } from '../services/usersService';
import { requireRole, requireUser } from './session';
import { CSV_TYPE, sendFile, singleUpload, uploadedFile, XLSX_TYPE } from './upload';
import { idParam, validate } from './validate';

export function userRoutes(users: UsersService, importer: UserImportService): Router {
  const router = Router();
  router.param('id', idParam);

  router.get('/users', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    res.json(await users.list(actor, validate(listUsersQuerySchema, req.query)));
  });

  router.post('/users', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    const user = await users.create(actor, validate(createUserSchema, req.body));
    res.status(201).json({ user });
  });

  router.get('/users/import/template', async (req, res) => {
    requireUser(res, 'admin', 'secretary');
    const rows = [USER_IMPORT_TEMPLATE_HEADER, USER_IMPORT_TEMPLATE_EXAMPLE];
    if (req.query.format === 'csv') return sendFile(res, toCsv(rows), '党员导入模板.csv', CSV_TYPE);
    sendFile(res, await writeXlsx('党员', rows, [16, 12, 16, 10, 14]), '党员导入模板.xlsx', XLSX_TYPE);
  });

  router.post('/users/import', requireRole('admin', 'secretary'), singleUpload, async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    const { dryRun } = validate(importQuerySchema, req.query);
    const file = uploadedFile(req);
    const table = await readTable(file.buffer, file.name);
    res.json(await importer.importUsers(actor, table, dryRun));
  });

  router.patch('/users/:id', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    const input = validate(updateUserSchema, req.body);
    res.json({ user: await users.update(actor, validate(idSchema, req.params.id), input) });
  });

  return router;
}
