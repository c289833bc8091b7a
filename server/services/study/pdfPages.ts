import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * The page count of a PDF, or null when the bytes are not a PDF that pdf.js can open (a renamed .docx, a truncated
 * file). pdf.js is the same engine the browser renders with, so a file accepted here is a file members can read.
 */
export async function countPdfPages(buffer: Buffer): Promise<number | null> {
  if (buffer.subarray(0, 1024).indexOf('%PDF-') === -1) return null;
  // pdf.js takes ownership of the array it is given: pass a copy so the caller's buffer stays intact.
  const task = getDocument({ data: new Uint8Array(buffer), isEvalSupported: false, disableFontFace: true, stopAtErrors: true, verbosity: 0 });
  try {
    const doc = await task.promise;
    return doc.numPages;
  } catch {
    return null;
  } finally {
    await task.destroy();
  }
}
