import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseTrustProxy } from '../../server/config';
import { compileTrust, socketClientIp } from '../../server/realtime/clientIp';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient } from '../helpers/api';

const SPOOFED = '6.6.6.6, 7.7.7.7';
const REAL = '203.0.113.9';

describe('issue 9 item 16: TRUST_PROXY is a hop count or a list of proxies', () => {
  it('parses hop counts and address lists, and refuses "true" and nonsense at startup', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('loopback, 10.0.0.1, 10.1.0.0/16')).toEqual(['loopback', '10.0.0.1', '10.1.0.0/16']);
    expect(() => parseTrustProxy('true')).toThrow(/choose its own IP/);
    expect(() => parseTrustProxy('yes')).toThrow(/choose its own IP/);
    expect(() => parseTrustProxy('proxy.example')).toThrow(/TRUST_PROXY must be/);
  });

  it('marks cookies Secure when a proxy is trusted or SECURE_COOKIES is set', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).secureCookies).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).secureCookies).toBe(true);
    expect(loadConfig({}).secureCookies).toBe(false);
    expect(loadConfig({ SECURE_COOKIES: 'true' }).secureCookies).toBe(true);
  });
});

/** A real Express route and a real socket.io server sharing one compiled trust, each reporting the client's address. */
async function echoServer(setting: ReturnType<typeof parseTrustProxy>) {
  const trust = compileTrust(setting);
  const app = express();
  app.set('trust proxy', trust);
  app.get('/ip', (req, res) => void res.json({ ip: req.ip }));
  const http: HttpServer = createServer(app);
  const io = new Server(http);
  io.on('connection', (socket) => socket.emit('ip', socketClientIp(socket.handshake, trust)));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    async restIp(xff: string) {
      return ((await (await fetch(`${url}/ip`, { headers: { 'x-forwarded-for': xff } })).json()) as { ip: string }).ip;
    },
    socketIp(xff: string) {
      const socket = connect(url, { transports: ['websocket'], extraHeaders: { 'x-forwarded-for': xff }, forceNew: true, reconnection: false });
      return new Promise<string>((resolve, reject) => {
        socket.once('ip', (ip: string) => (socket.disconnect(), resolve(ip)));
        socket.once('connect_error', reject);
      });
    },
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}

describe('issue 9 item 16: REST and sockets derive the client IP with the same proxy-addr rules', () => {
  it.each([
    ['one hop', '1', `${SPOOFED}, ${REAL}`, REAL],
    ['the loopback proxy', 'loopback', `${SPOOFED}, ${REAL}`, REAL],
    ['two known proxies', 'loopback, 10.0.0.1', `${SPOOFED}, ${REAL}, 10.0.0.1`, REAL],
    ['no proxy', 'false', `${SPOOFED}, ${REAL}`, '127.0.0.1'],
  ])('with %s trusted, a spoofed X-Forwarded-For yields the right-most untrusted address', async (_name, env, xff, expected) => {
    const server = await echoServer(parseTrustProxy(env));
    try {
      expect(await server.restIp(xff)).toBe(expected);
      expect(await server.socketIp(xff)).toBe(expected);
    } finally {
      await server.close();
    }
  });
});

describe('issue 9 item 16: the app behind one proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { trustProxy: parseTrustProxy('1') } });
  });
  afterAll(() => t.close());

  it('the login limiter counts the proxy-reported address, whatever the client put on the left', async () => {
    const admin = new ApiClient(t.url);
    await admin.login('admin', ADMIN_PASSWORD);
    expect((await admin.post('/api/users', { username: 'spoofer', displayName: '伪造者', password: 'right-pass-1', role: 'admin' })).status).toBe(201);
    for (let i = 0; i < 5; i++) {
      // A fresh made-up address each time on the left; the proxy appended the real one on the right.
      const attacker = new ApiClient(t.url, { 'x-forwarded-for': `198.51.100.${i}, ${REAL}` });
      expect((await attacker.post('/api/auth/login', { username: 'spoofer', password: 'wrong-pass' })).status).toBe(401);
    }
    const again = new ApiClient(t.url, { 'x-forwarded-for': `198.51.100.99, ${REAL}` });
    expect((await again.post('/api/auth/login', { username: 'spoofer', password: 'right-pass-1' })).status).toBe(429);
    // The same account from another real address is not held back by that one (the limit is per account and address).
    const elsewhere = new ApiClient(t.url, { 'x-forwarded-for': `${REAL}, 203.0.113.10` });
    expect((await elsewhere.post('/api/auth/login', { username: 'spoofer', password: 'right-pass-1' })).status).toBe(200);
  });

  it('the socket PIN limiter counts the proxy-reported address too', async () => {
    const join = async (xff: string, times: number) => {
      const socket = connect(`${t.url}/live`, { transports: ['websocket'], extraHeaders: { 'x-forwarded-for': xff }, forceNew: true, reconnection: false });
      const codes: string[] = [];
      for (let i = 0; i < times; i++) {
        const ack = (await socket.emitWithAck('game:join', { pin: '000000', nickname: '试探' })) as { ok: boolean; error?: { code: string } };
        codes.push(ack.error?.code ?? 'OK');
      }
      socket.disconnect();
      return codes;
    };
    // 30 wrong PINs (the limit), each socket with made-up addresses on the left.
    for (let i = 0; i < 3; i++) expect(await join(`198.51.100.${i}, ${REAL}`, 10)).toEqual(Array(10).fill('NOT_FOUND'));
    expect(await join(`198.51.100.77, ${REAL}`, 1)).toEqual(['RATE_LIMITED']);
    expect(await join(`${REAL}, 203.0.113.10`, 1)).toEqual(['NOT_FOUND']);
  });
});
