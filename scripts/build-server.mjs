// Bundles the server to plain JavaScript (dependencies stay external) so `npm start` needs no TypeScript at run time.
import { context } from 'esbuild';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** `import x from './script.lua?raw'` (Vite's syntax, used by tests) becomes the file's text. */
const rawPlugin = {
  name: 'raw',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: path.resolve(args.resolveDir, args.path.replace(/\?raw$/, '')),
      namespace: 'raw',
    }));
    b.onLoad({ filter: /.*/, namespace: 'raw' }, async (args) => ({
      contents: await readFile(args.path, 'utf8'),
      loader: 'text',
    }));
  },
};

const ctx = await context({
  entryPoints: {
    index: 'server/index.ts',
    'reset-admin-password': 'server/cli/resetAdminPassword.ts',
    'reload-bank': 'server/cli/reloadBank.ts',
    'ledger-backfill': 'server/cli/ledgerBackfill.ts',
  },
  outdir: 'dist/server',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  plugins: [rawPlugin],
  logLevel: 'warning',
});
if (process.argv.includes('--watch')) {
  await ctx.watch();
  console.log('watching server sources…');
} else {
  await ctx.rebuild();
  await ctx.dispose();
  console.log('built dist/server/');
}
