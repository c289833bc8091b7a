// Shared by start and test: makes sure npm dependencies, Debian packages and the build are in place.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

function run(cmd, env = {}) {
  const r = spawnSync(cmd, { cwd: root, stdio: 'inherit', shell: true, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`command failed (${r.status}): ${cmd}`);
}

function which(bin) {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/sbin']) {
    if (dir && existsSync(path.join(dir, bin))) return path.join(dir, bin);
  }
  return null;
}

/** Installs npm dependencies when node_modules is missing or older than package-lock.json. */
export function ensureNodeModules() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('[tongpin] installing npm dependencies (npm ci)…');
  run('npm ci --no-audit --no-fund');
}

/** Installs Debian packages when their binary is missing, as root with apt-get; otherwise explains. */
export function ensureDebianPackages(packages) {
  const missing = packages.filter(({ bin }) => !which(bin));
  if (missing.length === 0) return;
  const names = missing.map((p) => p.pkg).join(' ');
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !which('apt-get')) {
    throw new Error(`missing Debian package(s): ${names}. Install them with: sudo apt-get install ${names}`);
  }
  console.log(`[tongpin] installing Debian package(s): ${names}…`);
  run('apt-get update -qq');
  run(`apt-get install -y -qq --no-install-recommends ${names}`, { DEBIAN_FRONTEND: 'noninteractive' });
}

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Rebuilds client and server when an output is missing or older than its sources. */
export function ensureBuild() {
  const sources = Math.max(
    newestMtime(path.join(root, 'server')),
    newestMtime(path.join(root, 'shared')),
    newestMtime(path.join(root, 'client')),
    statSync(path.join(root, 'package-lock.json')).mtimeMs,
    statSync(path.join(root, 'vite.config.ts')).mtimeMs,
    statSync(path.join(root, 'scripts/precompress.mjs')).mtimeMs,
  );
  const serverOut = path.join(root, 'dist/server/index.js');
  const clientOut = path.join(root, 'dist/client/index.html');
  const stale = (f) => !existsSync(f) || statSync(f).mtimeMs < sources;
  if (stale(clientOut)) {
    console.log('[tongpin] building the client…');
    run('npx vite build --logLevel warn');
    // Brotli and gzip twins of the assets, served by server/http/staticClient.ts.
    run('node scripts/precompress.mjs');
  }
  if (stale(serverOut)) {
    console.log('[tongpin] building the server…');
    run('node scripts/build-server.mjs');
  }
}

export { root, which };
export const hasCommand = (bin) => which(bin) !== null;
export const sh = (cmd) => execSync(cmd, { cwd: root, encoding: 'utf8' });
