// `npm run bank:reload`: adds the starter questions (data/question-bank) that the bank does not have yet.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuild, ensureNodeModules, root } from './system.mjs';

ensureNodeModules();
ensureBuild();
process.chdir(root);
await import(pathToFileURL(path.join(root, 'dist/server/reload-bank.js')).href);
