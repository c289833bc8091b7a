// `node scripts/precompress.mjs [dir]` (after `vite build`; dir defaults to dist/client): writes a brotli `.br` and
// a gzip `.gz` beside every text asset worth compressing, so the server sends compressed bytes without spending
// CPU per request (server/http/staticClient.ts picks the variant the browser accepts).
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

const EXTENSIONS = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json']);
/** Below this a compressed copy saves less than a packet; the plain file is served. */
const MIN_BYTES = 1024;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile()) yield full;
  }
}

/** Compresses every eligible file under dir; returns what was written, for the build log and tests. */
export function precompress(dir) {
  const written = [];
  for (const file of files(dir)) {
    if (!EXTENSIONS.has(path.extname(file)) || statSync(file).size < MIN_BYTES) continue;
    const data = readFileSync(file);
    // Maximum quality: this runs once per build, and every phone downloads the result.
    const br = zlib.brotliCompressSync(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    });
    const gz = zlib.gzipSync(data, { level: zlib.constants.Z_BEST_COMPRESSION });
    writeFileSync(`${file}.br`, br);
    writeFileSync(`${file}.gz`, gz);
    written.push({ file: path.relative(dir, file), bytes: data.length, br: br.length, gz: gz.length });
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', 'dist', 'client'));
  const written = precompress(dir);
  const sum = (k) => written.reduce((n, w) => n + w[k], 0);
  const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
  console.log(`[precompress] ${written.length} files in ${path.relative(process.cwd(), dir) || '.'}: ${kb(sum('bytes'))} -> brotli ${kb(sum('br'))}, gzip ${kb(sum('gz'))}`);
}
