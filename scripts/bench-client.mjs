// `npm run bench:client [-- --runs 5 --profiles fast3g,4g --url http://host:port]`
// How fast a member's phone gets the join page: headless Chromium with the cache off and the network throttled
// through CDP loads /join and records the time until the PIN input is visible and enabled, the JavaScript bytes
// transferred (compressed, as on the wire) and all bytes, per profile over several runs (p50 and max), then
// PASS/FAIL against issue 9 item 21. Without --url it builds if stale and starts the built app on a free port
// with a private temp data dir (and so its own redis-server), and removes both afterwards.
// Exits non-zero only when the benchmark itself cannot run; missing the target prints FAIL and exits 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureBuild, ensureNodeModules, root } from './system.mjs';

// ---------- options ----------
const argv = process.argv.slice(2);
function opt(name, fallback) {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`);
  return v;
}
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(`usage: npm run bench:client -- [options]
  --runs N            page loads per profile (default 5)
  --profiles LIST     comma-separated, from: ${'fast3g,4g,none'} (default fast3g,4g)
  --path PATH         the page to load (default /join)
  --url URL           target a running app instead of building and starting one`);
  process.exit(0);
}
const RUNS = Math.max(1, Math.floor(Number(opt('runs', 5))) || 5);
const PAGE_PATH = opt('path', '/join');
const URL_ARG = opt('url', null);

/** Throughputs in bytes per second, latency as added round-trip time (what DevTools' presets mean by it). */
const PROFILES = {
  // The phone: 150 ms RTT, 1.6 Mbps down, 750 kbps up.
  fast3g: { label: 'Fast 3G', latency: 150, downloadThroughput: 200_000, uploadThroughput: 93_750 },
  // A good 4G cell: 40 ms RTT, 12 Mbps down, 4 Mbps up.
  '4g': { label: '4G', latency: 40, downloadThroughput: 1_500_000, uploadThroughput: 500_000 },
  none: { label: 'unthrottled', latency: 0, downloadThroughput: -1, uploadThroughput: -1 },
};
const profileNames = opt('profiles', 'fast3g,4g').split(',').map((s) => s.trim()).filter(Boolean);
for (const p of profileNames) if (!PROFILES[p]) throw new Error(`unknown profile "${p}"; known: ${Object.keys(PROFILES).join(', ')}`);

// Issue 9 item 21: /join usable in under 2 s on Fast 3G, its JavaScript under 150 KB compressed.
const TARGET = { fast3gUsableMs: 2000, jsBytes: 150 * 1024 };
// The PIN input is the first thing a member touches: usable means shown and enabled.
const PIN_SELECTOR = '[data-test=join-pin]';

ensureNodeModules();
const { chromium } = await import('playwright-core');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// ---------- the app ----------
let server = null;
let dataDir = null;

async function startApp() {
  ensureBuild();
  const port = await freePort();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'tongpin-bench-client-'));
  server = spawn(process.execPath, ['dist/server/index.js'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, REDIS_URL: '', ADMIN_PASSWORD: 'bench-pass-1', SEED_BANK: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode} while starting`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) return base;
    } catch { /* not up yet */ }
    await sleep(100);
  }
  throw new Error('the server did not become ready within 30 s');
}

async function stopApp() {
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    if (!(await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]))) server.kill('SIGKILL');
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

// ---------- one page load ----------
/** Loads the page once in a fresh context (empty cache, throttled), returns usable time and bytes. */
async function loadOnce(browser, base, profile) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const types = new Map();
  const urls = new Map();
  const bytes = { js: 0, css: 0, total: 0, requests: 0, scripts: [] };
  const encodings = new Map();
  cdp.on('Network.responseReceived', (e) => {
    types.set(e.requestId, e.type);
    urls.set(e.requestId, e.response.url);
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    encodings.set(e.requestId, h['content-encoding'] ?? 'identity');
  });
  cdp.on('Network.loadingFinished', (e) => {
    const type = types.get(e.requestId);
    bytes.total += e.encodedDataLength;
    bytes.requests += 1;
    if (type === 'Script') {
      bytes.js += e.encodedDataLength;
      bytes.scripts.push(`${new URL(urls.get(e.requestId)).pathname} (${encodings.get(e.requestId)}, ${(e.encodedDataLength / 1024).toFixed(1)} KB)`);
    }
    if (type === 'Stylesheet') bytes.css += e.encodedDataLength;
  });
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: profile.latency,
    downloadThroughput: profile.downloadThroughput,
    uploadThroughput: profile.uploadThroughput,
  });
  await page.goto(`${base}${PAGE_PATH}`, { waitUntil: 'commit' });
  // Measured in the page from navigation start, polled every frame: no round trip to this process in the figure.
  const usable = await page.waitForFunction(
    (sel) => {
      const el = document.querySelector(sel);
      if (!el || el.disabled || el.getClientRects().length === 0 || getComputedStyle(el).visibility === 'hidden') return false;
      return performance.now();
    },
    PIN_SELECTOR,
    { polling: 'raf', timeout: 60_000 },
  );
  const usableMs = await usable.jsonValue();
  // Whatever the page still fetches after it became usable counts too: wait for the network to fall quiet.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await context.close();
  return { usableMs, ...bytes };
}

// ---------- report ----------
function pct(list, p) {
  const v = [...list].sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)] : NaN;
}
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const ms = (x) => `${Math.round(x)} ms`;

function report(results) {
  const rows = [['profile', 'runs', 'usable p50', 'usable max', 'JS p50', 'CSS p50', 'total p50', 'requests']];
  for (const { profile, runs } of results) {
    rows.push([
      profile.label,
      String(runs.length),
      ms(pct(runs.map((r) => r.usableMs), 50)),
      ms(Math.max(...runs.map((r) => r.usableMs))),
      kb(pct(runs.map((r) => r.js), 50)),
      kb(pct(runs.map((r) => r.css), 50)),
      kb(pct(runs.map((r) => r.total), 50)),
      String(pct(runs.map((r) => r.requests), 50)),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(`\n${PAGE_PATH}: time until the PIN input is usable, and bytes on the wire (cache off)\n`);
  for (const [i, row] of rows.entries()) {
    console.log(row.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  console.log(`\nscripts loaded: ${results[0].runs[0].scripts.join(', ') || '(none)'}`);

  const fast3g = results.find((r) => r.profile === PROFILES.fast3g);
  const js = pct(results[0].runs.map((r) => r.js), 50);
  const checks = [[`JavaScript < ${kb(TARGET.jsBytes)} compressed`, js < TARGET.jsBytes, kb(js)]];
  if (fast3g && PAGE_PATH === '/join') {
    const u = pct(fast3g.runs.map((r) => r.usableMs), 50);
    checks.unshift([`usable < ${ms(TARGET.fast3gUsableMs)} on Fast 3G (p50)`, u < TARGET.fast3gUsableMs, ms(u)]);
  }
  console.log('');
  for (const [name, ok, got] of checks) console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}: ${got}`);
}

async function main() {
  const base = URL_ARG ? URL_ARG.replace(/\/+$/, '') : await startApp();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    // One unthrottled load first, so the server's first-request work is not in the figures.
    await loadOnce(browser, base, PROFILES.none);
    const results = [];
    for (const name of profileNames) {
      const profile = PROFILES[name];
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await loadOnce(browser, base, profile));
      results.push({ profile, runs });
      console.error(`[bench] ${profile.label}: ${runs.map((r) => ms(r.usableMs)).join(', ')}`);
    }
    report(results);
  } finally {
    await browser.close();
  }
}

let failed = false;
process.once('SIGINT', () => {
  console.error('[bench] interrupted; cleaning up');
  stopApp().finally(() => process.exit(130));
});
try {
  await main();
} catch (err) {
  failed = true;
  console.error(`[bench] failed: ${err?.stack ?? err}`);
} finally {
  await stopApp();
}
process.exit(failed ? 1 : 0);
