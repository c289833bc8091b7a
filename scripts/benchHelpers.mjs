// Shared by the benchmarks (bench-live, bench-study): options, timing and statistics, the locally started app with
// its private redis-server, REST calls and socket.io-client sockets. Nothing here knows a game or a study session.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuild, root } from './system.mjs';

// ---------- options ----------
/** `--name value` readers over argv; a missing value or a negative number is an error. */
export function makeOptions(argv) {
  function opt(name, fallback) {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`);
    return v;
  }
  const num = (name, fallback) => {
    const v = Number(opt(name, fallback));
    if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a non-negative number`);
    return v;
  };
  return { opt, num };
}

// ---------- timing and statistics ----------
export const now = () => performance.now();
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Polls a cheap condition; resolves true when it holds, false at the timeout. */
export async function until(cond, timeoutMs, stepMs = 10) {
  const end = now() + timeoutMs;
  while (!cond()) {
    if (now() >= end) return false;
    await sleep(stepMs);
  }
  return true;
}
export function pct(values, p) {
  if (values.length === 0) return NaN;
  const i = Math.min(values.length - 1, Math.max(0, Math.ceil((p / 100) * values.length) - 1));
  return values[i];
}
export function stats(list) {
  const v = Float64Array.from(list).sort();
  return { n: v.length, p50: pct(v, 50), p99: pct(v, 99), max: v.length ? v[v.length - 1] : NaN, min: v.length ? v[0] : NaN };
}
export const f = (x) => (Number.isFinite(x) ? x.toFixed(x >= 100 ? 0 : 1) : '-');
export const pad = (s, n) => String(s).padStart(n);

export function freePort() {
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

/** CPU seconds (user+system) of a process, from /proc; null when unavailable (remote, or not Linux). */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // CLK_TCK is 100 on Linux
  } catch {
    return null;
  }
}
/** Resident memory of a process in bytes, from /proc; null when unavailable. */
export function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
export function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

// ---------- the app ----------
/**
 * The built app on a free loopback port with a private temp data dir (and so its own redis-server, a child of the
 * server). `env` is added to the server's environment; `isStopping()` silences the "exited unexpectedly" message.
 * `build: false` runs dist/ as it is (e.g. while the client sources are mid-edit and would not build).
 */
export function createLocalApp({ prefix, env, isStopping = () => false, build = true }) {
  const app = {
    server: null,
    dataDir: null,
    redisPid: null,
    base: null,
    async start() {
      if (build) ensureBuild();
      const port = await freePort();
      app.dataDir = mkdtempSync(path.join(os.tmpdir(), prefix));
      const server = spawn(process.execPath, ['dist/server/index.js'], {
        cwd: root,
        env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: app.dataDir, REDIS_URL: '', SEED_BANK: '0', LOG_LEVEL: 'warn', ...env },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      app.server = server;
      server.on('exit', (code, signal) => {
        if (!isStopping()) console.error(`[bench] the server exited unexpectedly (code ${code}, signal ${signal})`);
      });
      app.base = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 300; i++) {
        if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode} while starting`);
        try {
          if ((await fetch(`${app.base}/readyz`)).ok) {
            app.redisPid = childPids(server.pid)[0] ?? null;
            return;
          }
        } catch { /* not up yet */ }
        await sleep(100);
      }
      throw new Error('the server did not become ready within 30 s');
    },
    /** The private redis-server's unix socket (see server/infra/managedRedis.ts: short temp paths use dataDir/redis). */
    redisSocket: () => path.join(app.dataDir, 'redis', 'redis.sock'),
    async stop() {
      const server = app.server;
      if (server && server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGTERM');
        const clean = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
        if (!clean) {
          console.error('[bench] the server did not stop within 15 s; killing it');
          server.kill('SIGKILL');
          await exited;
        }
      }
      // The server stops its redis-server on SIGTERM; make sure of it (it would hold the temp dir).
      if (app.redisPid) {
        try {
          process.kill(app.redisPid, 0);
          await sleep(500);
          process.kill(app.redisPid, 'SIGTERM');
        } catch { /* already gone */ }
      }
      if (app.dataDir && existsSync(app.dataDir)) rmSync(app.dataDir, { recursive: true, force: true });
    },
    /** Waits until the server's CPU time stops moving (it is still handling disconnects), at most 15 s. */
    async settle() {
      const server = app.server;
      if (!server || server.exitCode !== null) return;
      let last = cpuSeconds(server.pid);
      let still = 0;
      for (let i = 0; i < 75 && still < 3 && last !== null; i++) {
        await sleep(200);
        const cur = cpuSeconds(server.pid);
        still = cur !== null && cur - last < 0.02 ? still + 1 : 0;
        last = cur;
      }
    },
  };
  return app;
}

// ---------- REST ----------
export async function apiAt(base, method, url, cookie, body) {
  const res = await fetch(base + url, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch { /* not json */ }
  return { status: res.status, body: json ?? text, headers: res.headers };
}

/** Logs in through the REST API; returns the `sid=...` cookie. */
export async function loginAt(base, username, password) {
  const res = await apiAt(base, 'POST', '/api/auth/login', null, { username, password });
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const sid = /sid=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  if (!sid) throw new Error('login gave no sid cookie');
  return sid;
}

// ---------- sockets ----------
/** One socket.io-client socket per call (forceNew), websocket only, no reconnection: a drop counts as a drop. */
export function socketAt(io, url, cookie) {
  return io(url, {
    transports: ['websocket'],
    forceNew: true, // a shared Manager would give every client the same namespace socket
    reconnection: false,
    timeout: 30_000,
    ...(cookie ? { extraHeaders: { cookie } } : {}),
  });
}
export function connectOnce(sock) {
  return new Promise((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('connect_error', reject);
  });
}
/** The command's ack, or `{ ok: false, error: { code: 'TIMEOUT' } }` when none came back in time. */
export function ackOf(sock, event, payload, timeoutMs) {
  return new Promise((resolve) => {
    sock.timeout(timeoutMs).emit(event, payload, (err, res) => resolve(err ? { ok: false, error: { code: 'TIMEOUT', message: String(err.message ?? err) } } : res));
  });
}
export async function must(sock, event, payload, timeoutMs) {
  const res = await ackOf(sock, event, payload, timeoutMs);
  if (!res?.ok) throw new Error(`${event} failed: ${JSON.stringify(res)}`);
  return res;
}

/**
 * A bench kit (scripts/<name>.ts: server code run inside the bench process) bundled like the server, with Lua as
 * text, next to node_modules so its imports resolve; returns the imported module.
 */
export async function loadBenchKit(name) {
  const { build } = await import('esbuild');
  const outfile = path.join(root, `node_modules/.cache/tongpin-bench/${name}.mjs`);
  mkdirSync(path.dirname(outfile), { recursive: true });
  await build({
    entryPoints: [path.join(root, `scripts/${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
    plugins: [
      {
        name: 'raw',
        setup(b) {
          b.onResolve({ filter: /\?raw$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path.replace(/\?raw$/, '')), namespace: 'raw' }));
          b.onLoad({ filter: /.*/, namespace: 'raw' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
        },
      },
    ],
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}
