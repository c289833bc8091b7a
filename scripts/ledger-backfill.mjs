// `npm run ledger:backfill`: builds the study record (issue 12) from what exists; idempotent (see server/cli/ledgerBackfill.ts).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuild, ensureNodeModules, root } from './system.mjs';

ensureNodeModules();
ensureBuild();
process.chdir(root);
await import(pathToFileURL(path.join(root, 'dist/server/ledger-backfill.js')).href);
