import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient } from '../helpers/api';
import { connected, liveSocket, waitFor, type LiveClient } from '../helpers/sockets';

/** A socket as a TLS-terminating proxy would pass it on: with the browser's Origin and X-Forwarded-Proto. */
function proxied(url: string, origin: string, proto: string): LiveClient {
  return io(`${url}/live`, { transports: ['websocket'], extraHeaders: { origin, 'x-forwarded-proto': proto }, reconnection: false, forceNew: true });
}

let t: TestApp;
const open: LiveClient[] = [];
const track = (s: LiveClient) => (open.push(s), s);

beforeAll(async () => {
  t = await startTestApp({ config: { allowedOrigins: ['https://partner.example'] } });
});
afterAll(async () => {
  open.forEach((s) => s.disconnect());
  await t.close();
});

describe('/live handshake', () => {
  it('a socket without a session is a guest', async () => {
    const s = track(liveSocket(t.url));
    await connected(s);
    expect(await s.emitWithAck('session:whoami', {})).toEqual({ ok: true, user: null });
  });

  it('the sid cookie attaches the user', async () => {
    const api = new ApiClient(t.url);
    await api.login('admin', ADMIN_PASSWORD);
    const s = track(liveSocket(t.url, { cookie: api.cookie }));
    await connected(s);
    const answer = await s.emitWithAck('session:whoami', {});
    expect(answer.ok && answer.user?.username).toBe('admin');
  });

  it('refuses a foreign Origin with connect_error FORBIDDEN, accepts its own and allowlisted ones', async () => {
    const foreign = track(liveSocket(t.url, { origin: 'https://evil.example' }));
    await expect(connected(foreign)).rejects.toMatchObject({ message: 'FORBIDDEN' });
    const own = track(liveSocket(t.url, { origin: t.url }));
    await connected(own);
    const partner = track(liveSocket(t.url, { origin: 'https://partner.example' }));
    await connected(partner);
  });

  it('issue 9 item 18: the Origin must match scheme, host and port, not just the host', async () => {
    const { hostname: host, port } = new URL(t.url);
    const https = track(liveSocket(t.url, { origin: `https://${host}:${port}` }));
    await expect(connected(https)).rejects.toMatchObject({ message: 'FORBIDDEN' });
    const otherPort = track(liveSocket(t.url, { origin: `http://${host}:${Number(port) + 1}` }));
    await expect(connected(otherPort)).rejects.toMatchObject({ message: 'FORBIDDEN' });
    // Without a trusted proxy, a client's own X-Forwarded-Proto does not make https its origin.
    const claimed = track(proxied(t.url, `https://${host}:${port}`, 'https'));
    await expect(connected(claimed)).rejects.toMatchObject({ message: 'FORBIDDEN' });
    const same = track(liveSocket(t.url, { origin: `http://${host}:${port}` }));
    await connected(same);
  });

  it('issue 9 item 18: behind a trusted proxy, X-Forwarded-Proto https makes the https origin the own one', async () => {
    const behind = await startTestApp({ redis: t.redis, config: { trustProxy: 1 } });
    try {
      const { hostname: host, port } = new URL(behind.url);
      await connected(track(proxied(behind.url, `https://${host}:${port}`, 'https')));
      await expect(connected(track(proxied(behind.url, `http://${host}:${port}`, 'https')))).rejects.toMatchObject({ message: 'FORBIDDEN' });
      await connected(track(proxied(behind.url, `http://${host}:${port}`, 'http')));
    } finally {
      await behind.close();
    }
  });

  it('logout disconnects the sockets of that session', async () => {
    const api = new ApiClient(t.url);
    await api.login('admin', ADMIN_PASSWORD);
    const s = track(liveSocket(t.url, { cookie: api.cookie }));
    await connected(s);
    const ended = waitFor(s, 'session:ended');
    const gone = new Promise((resolve) => s.once('disconnect', resolve));
    await api.post('/api/auth/logout');
    expect(await ended).toEqual({ reason: 'logout' });
    expect(await gone).toBe('io server disconnect');
  });
});
