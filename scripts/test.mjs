// `npm test`: install what is missing, build the app for browser tests, then run every test against real services.
import { spawnSync } from 'node:child_process';
import { ensureBuild, ensureDebianPackages, ensureNodeModules, root } from './system.mjs';

try {
  ensureNodeModules();
  ensureDebianPackages([
    { bin: 'redis-server', pkg: 'redis-server' },
    { bin: 'chromium', pkg: 'chromium' },
  ]);
  ensureBuild();
} catch (err) {
  console.error(`[tongpin] cannot run tests: ${err.message}`);
  process.exit(1);
}
const r = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
