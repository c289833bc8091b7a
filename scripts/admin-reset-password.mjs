// `npm run admin:reset-password`: new password for the "admin" account (ADMIN_PASSWORD or a random one).
// Stop the app first when it uses the private Redis, or point REDIS_URL at the running one.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuild, ensureNodeModules, root } from './system.mjs';

ensureNodeModules();
ensureBuild();
process.chdir(root);
await import(pathToFileURL(path.join(root, 'dist/server/reset-admin-password.js')).href);
