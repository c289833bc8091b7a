// `npm run bench:import -- --rows 5000`: times a question import (dry run, real, re-import) against the real app.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuild, ensureNodeModules, root } from './system.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const rows = arg('rows', 5000);
const port = arg('port', 3900 + Math.floor(Math.random() * 90));

ensureNodeModules();
ensureBuild();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tongpin-bench-'));
const server = spawn('node', ['dist/server/index.js'], {
  cwd: root,
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_PASSWORD: 'bench-pass-1', SEED_BANK: '0', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;

async function waitUp() {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

function csv(n) {
  const lines = ['题型,题干,选项A,选项B,选项C,选项D,答案,解析,出处,标签,难度'];
  const types = ['单选', '多选', '判断', '填空'];
  for (let i = 0; i < n; i++) {
    const t = types[i % 4];
    const answer = t === '单选' ? 'B' : t === '多选' ? 'AC' : t === '判断' ? '对' : `答案${i}|答案${i}号`;
    const opts = t === '判断' || t === '填空' ? ',,,' : `甲${i},乙${i},丙${i},丁${i}`;
    lines.push(`${t},第${i}题：党的根本组织原则相关测试题干（${t}）____,${opts},${answer},解析${i},《中国共产党章程》,"党章,测试",${1 + (i % 3)}`);
  }
  return lines.join('\r\n');
}

async function timed(label, fn) {
  const started = performance.now();
  const result = await fn();
  console.log(`${label}: ${(performance.now() - started).toFixed(0)} ms  ${JSON.stringify({ ...result, errors: result.errors?.length })}`);
}

try {
  await waitUp();
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'bench-pass-1' }) });
  const cookie = /sid=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? '';
  const file = csv(rows);
  const upload = (dry) => {
    const form = new FormData();
    form.append('file', new Blob([file]), 'bench.csv');
    return fetch(`${base}/api/questions/import${dry ? '?dryRun=1' : ''}`, { method: 'POST', headers: { cookie }, body: form }).then((r) => r.json());
  };
  console.log(`question import of ${rows} rows, ${os.cpus().length} cores, node ${process.version}`);
  await timed('dry run  ', () => upload(true));
  await timed('import   ', () => upload(false));
  await timed('re-import', () => upload(false));
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
