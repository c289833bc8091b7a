import { Router } from 'express';
import multer from 'multer';
import { idSchema } from '../../shared/schemas/common';
import { MAX_PDF_BYTES, materialCreateSchema, materialListQuerySchema, materialUpdateSchema } from '../../shared/schemas/study';
import { invalidInput } from '../domain/errors';
import type { MaterialsService } from '../services/study/materials';
import { requireRole, requireUser } from './session';
import { idParam, validate } from './validate';

/** One PDF per request, in memory up to the 30 MB limit (multer answers LIMIT_FILE_SIZE -> 413 beyond it). */
const pdfUpload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_PDF_BYTES, files: 1, fields: 5 } }).single('file');

export function materialRoutes(materials: MaterialsService): Router {
  const router = Router();
  router.param('id', idParam);

  router.get('/materials', async (req, res) => {
    res.json(await materials.list(requireUser(res), validate(materialListQuerySchema, req.query)));
  });

  router.post('/materials', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    res.status(201).json({ material: await materials.create(actor, validate(materialCreateSchema, req.body)) });
  });

  router.get('/materials/:id', async (req, res) => {
    res.json({ material: await materials.get(requireUser(res), validate(idSchema, req.params.id)) });
  });

  router.put('/materials/:id', async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    const input = validate(materialUpdateSchema, req.body);
    res.json({ material: await materials.update(actor, validate(idSchema, req.params.id), input) });
  });

  router.delete('/materials/:id', async (req, res) => {
    await materials.remove(requireUser(res, 'admin', 'secretary'), validate(idSchema, req.params.id));
    res.status(204).end();
  });

  router.post('/materials/:id/file', requireRole('admin', 'secretary'), pdfUpload, async (req, res) => {
    const actor = requireUser(res, 'admin', 'secretary');
    const id = validate(idSchema, req.params.id);
    const file = req.file;
    if (!file || file.size === 0) throw invalidInput('请选择要上传的 PDF 文件（表单字段 file）');
    // Browsers send non-ASCII file names as latin1 in multipart headers.
    const name = Buffer.from(file.originalname, 'latin1').toString('utf8');
    res.json({ material: await materials.attachPdf(actor, id, { buffer: file.buffer, name }) });
  });

  /** The PDF itself: Range requests work (pdf.js streams big files page by page). */
  router.get('/materials/:id/file', async (req, res) => {
    const file = await materials.pdfPath(requireUser(res), validate(idSchema, req.params.id));
    await new Promise<void>((resolve, reject) =>
      res.sendFile(
        file.path,
        {
          headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`, 'Cache-Control': 'private, max-age=3600' },
          acceptRanges: true,
          dotfiles: 'deny',
        },
        // A client that hangs up mid-file is not an error worth an answer (the headers are already out).
        (err) => (err && !res.headersSent ? reject(err) : resolve()),
      ),
    );
  });

  return router;
}
