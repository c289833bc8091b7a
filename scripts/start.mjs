// `npm start`: install what is missing, build what is stale, then run the server (with its private Redis).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuild, ensureDebianPackages, ensureNodeModules, root } from './system.mjs';

try {
  ensureNodeModules();
  if (!process.env.REDIS_URL) ensureDebianPackages([{ bin: 'redis-server', pkg: 'redis-server' }]);
  ensureBuild();
} catch (err) {
  console.error(`[tongpin] cannot start: ${err.message}`);
  process.exit(1);
}
process.chdir(root);
await import(pathToFileURL(path.join(root, 'dist/server/index.js')).href);
