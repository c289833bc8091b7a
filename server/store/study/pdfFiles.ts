import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * PDFs of study materials live on disk under $DATA_DIR/files/<sha256>.pdf, never in Redis (Redis keeps the metadata).
 * Named by content, so the same file uploaded twice is stored once and a name can never be chosen by a client.
 */
export function createPdfFiles(dataDir: string) {
  const dir = path.join(dataDir, 'files');
  const pathOf = (sha256: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256');
    return path.join(dir, `${sha256}.pdf`);
  };

  return {
    pathOf,

    /** Writes the file (temp file, then rename: a crash never leaves half a PDF under its final name). */
    async put(buffer: Buffer): Promise<{ sha256: string; size: number }> {
      const sha256 = createHash('sha256').update(buffer).digest('hex');
      const target = pathOf(sha256);
      await mkdir(dir, { recursive: true });
      const exists = await stat(target).then((s) => s.size === buffer.length, () => false);
      if (!exists) {
        const temp = path.join(dir, `.${sha256}.${randomBytes(4).toString('hex')}.tmp`);
        await writeFile(temp, buffer);
        await rename(temp, target);
      }
      return { sha256, size: buffer.length };
    },

    async exists(sha256: string): Promise<boolean> {
      return stat(pathOf(sha256)).then(() => true, () => false);
    },
  };
}

export type PdfFiles = ReturnType<typeof createPdfFiles>;
