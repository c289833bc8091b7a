import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/testApp';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('issue 9 item 18: security headers', () => {
  it.each(['/api/me', '/healthz', '/login'])('GET %s carries the CSP, nosniff, a Referrer-Policy and no framing', async (path) => {
    const res = await fetch(`${t.url}${path}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const host = new URL(t.url).host;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain(`connect-src 'self' ws://${host} wss://${host}`);
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('a forged Host header cannot add sources to the CSP', async () => {
    const { request } = await import('node:http');
    const { port } = new URL(t.url);
    const csp = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/me', headers: { host: "evil.example 'unsafe-eval'" } }, (res) => {
        res.resume();
        resolve(String(res.headers['content-security-policy'] ?? ''));
      });
      req.on('error', reject);
      req.end();
    });
    expect(csp).toMatch(/connect-src 'self' ?;/);
    expect(csp).not.toContain('evil');
    expect(csp).not.toContain('unsafe-eval');
  });
});
