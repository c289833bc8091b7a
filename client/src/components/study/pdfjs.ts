import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * pdf.js, loaded on first use only: this module is imported dynamically by PdfPageView, so pages without a PDF
 * (the join page above all) never fetch it. The legacy build is used on purpose: it carries the polyfills that
 * the phones of older members may lack (the modern build needs very recent Map and Promise methods).
 * The worker is a file of this same origin (Vite's ?url import), which the CSP's script-src 'self' allows as a
 * worker (worker-src falls back to it): no blob: worker and no eval.
 */
let loading: Promise<typeof import('pdfjs-dist/legacy/build/pdf.mjs')> | null = null;

function pdfjs() {
  loading ??= Promise.all([import('pdfjs-dist/legacy/build/pdf.mjs'), import('pdfjs-dist/legacy/build/pdf.worker.min.mjs?url')]).then(
    ([lib, worker]) => {
      lib.GlobalWorkerOptions.workerSrc = worker.default;
      return lib;
    },
  );
  return loading;
}

/** Opens a PDF by URL (same origin, the session cookie goes along); pdf.js fetches it in ranges. */
export async function openPdf(url: string): Promise<PDFDocumentProxy> {
  const lib = await pdfjs();
  // isEvalSupported false: pdf.js would otherwise probe `new Function`, which the CSP blocks (and reports).
  return lib.getDocument({ url, isEvalSupported: false, enableXfa: false }).promise;
}

export type { PDFDocumentProxy };
