import type { ServerResponse } from 'node:http';
import path from 'node:path';
import express, { type Router } from 'express';
import expressStaticGzip from 'express-static-gzip';

/** Content-hashed by Vite: a new build gives new names, so a phone may keep these for a year without asking. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The shell names the current hashes: always revalidated (an ETag round trip), never used stale after a deploy. */
const REVALIDATE = 'no-cache';

/**
 * The built client (dist/client): assets with the `.br`/`.gz` twin that scripts/precompress.mjs wrote at build time
 * when the browser accepts it (brotli first, `Vary: Accept-Encoding` for caches), and the app shell for every
 * other GET that is not the API or the socket. The compressed twins are found once, when this is created.
 */
export function staticClient(clientDir: string): Router {
  const assetsDir = path.join(clientDir, 'assets') + path.sep;
  const router = express.Router();
  router.use(
    expressStaticGzip(clientDir, {
      enableBrotli: true,
      orderPreference: ['br', 'gzip'],
      index: false,
      serveStatic: {
        index: false,
        cacheControl: false,
        // `file` is the one actually sent (`x.js.br` for `x.js`), still under assets/ when the original is.
        setHeaders: (res: ServerResponse, file: string) => res.setHeader('Cache-Control', file.startsWith(assetsDir) ? IMMUTABLE : REVALIDATE),
      },
    }),
  );
  // A hash no build has (a tab open across a deploy asking for an old chunk) is a 404, not the HTML shell
  // served as JavaScript; the client reloads on a failed chunk (client/src/main.ts).
  router.use('/assets', (_req, res) => {
    res.status(404).setHeader('Cache-Control', REVALIDATE).type('text/plain').send('Not found');
  });
  // Client-side routes: every other GET gets the app shell.
  router.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => {
    res.sendFile(path.join(clientDir, 'index.html'), { cacheControl: false, headers: { 'Cache-Control': REVALIDATE } });
  });
  return router;
}
