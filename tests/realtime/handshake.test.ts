import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient } from '../helpers/api';
import { connected, liveSocket, waitFor, type LiveClient } from '../helpers/sockets';

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
