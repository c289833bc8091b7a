// `npm run dev`: server rebuilt on change and restarted (node --watch), plus Vite's dev server with hot reload.
import { spawn } from 'node:child_process';
import { ensureDebianPackages, ensureNodeModules, root } from './system.mjs';

ensureNodeModules();
if (!process.env.REDIS_URL) ensureDebianPackages([{ bin: 'redis-server', pkg: 'redis-server' }]);
const children = [
  spawn('node', ['scripts/build-server.mjs', '--watch'], { cwd: root, stdio: 'inherit' }),
  spawn('node', ['--watch', 'dist/server/index.js'], { cwd: root, stdio: 'inherit' }),
  spawn('npx', ['vite', '--host'], { cwd: root, stdio: 'inherit' }),
];
const stop = () => children.forEach((c) => c.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
