import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/testApp';

// A client build of our own (a hashed script, a small stylesheet and the shell), precompressed by the real build
// step, served by the real app: the test needs no `vite build` and cannot be fooled by a stale dist/.
const ASSET = '/assets/player-Ab12Cd34.js';
const SMALL = '/assets/tiny-Ef56Gh78.css';
const SCRIPT = Buffer.from(Array.from({ length: 400 }, (_, i) => `export const answer${i} = "同频 ${i}";\n`).join(''));
const SHELL = '<!doctype html><html lang="zh-CN"><head><title>同频</title></head><body><div id="app"></div></body></html>';

let dir: string;
let t: TestApp;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tongpin-static-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, ASSET), SCRIPT);
  writeFileSync(path.join(dir, SMALL), 'a{color:red}');
  writeFileSync(path.join(dir, 'index.html'), SHELL);
  const r = spawnSync(process.execPath, ['scripts/precompress.mjs', dir], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  t = await startTestApp({ config: { clientDir: dir } });
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw GET: node's fetch would add its own Accept-Encoding and decompress, hiding what the server sent. */
function get(urlPath: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${t.url}${urlPath}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

describe('issue 9 item 21: the client is served compressed and cached by the content hash', () => {
  it('the build step writes a brotli and a gzip twin beside a script, none beside a file too small to gain', () => {
    expect(existsSync(path.join(dir, `${ASSET}.br`))).toBe(true);
    expect(existsSync(path.join(dir, `${ASSET}.gz`))).toBe(true);
    expect(existsSync(path.join(dir, `${SMALL}.br`))).toBe(false);
  });

  it('a hashed script goes out as brotli when the browser accepts br, immutable for a year, varying on Accept-Encoding', async () => {
    const res = await get(ASSET, { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(res.body.length).toBeLessThan(SCRIPT.length / 4);
    expect(zlib.brotliDecompressSync(res.body).equals(SCRIPT)).toBe(true);
  });

  it('as gzip when the browser accepts gzip but not br, and as is when it accepts neither', async () => {
    const gz = await get(ASSET, { 'accept-encoding': 'gzip, deflate' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(zlib.gunzipSync(gz.body).equals(SCRIPT)).toBe(true);

    const plain = await get(ASSET);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.body.equals(SCRIPT)).toBe(true);
  });

  it('index.html and the app shell on client routes are revalidated on every load (no-cache)', async () => {
    for (const urlPath of ['/index.html', '/', '/join', '/games/abc?x=1']) {
      const res = await get(urlPath, { 'accept-encoding': 'gzip, deflate, br' });
      expect(res.status, urlPath).toBe(200);
      expect(res.headers['content-type'], urlPath).toMatch(/^text\/html/);
      expect(res.headers['cache-control'], urlPath).toBe('no-cache');
      expect(res.body.toString(), urlPath).toBe(SHELL);
    }
  });

  it('a script hash no build has is a 404, not the HTML shell under a JavaScript name; the API keeps its envelope', async () => {
    const gone = await get('/assets/player-Old00000.js');
    expect(gone.status).toBe(404);
    expect(gone.headers['content-type']).not.toMatch(/html/);

    const api = await get('/api/no-such-route');
    expect(api.status).toBe(404);
    expect(JSON.parse(api.body.toString())).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
