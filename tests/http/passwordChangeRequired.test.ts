import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPasswordChanged } from '../../server/domain/permissions';
import { ApiClient } from '../helpers/api';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';

let t: TestApp;
let admin: ApiClient;
beforeAll(async () => {
  t = await startTestApp();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
});
afterAll(() => t.close());

/** A new staff account, signed in with the password an admin gave it (so it must change it). */
async function freshAccount(username: string): Promise<ApiClient> {
  expect((await admin.post('/api/users', { username, displayName: username, password: 'given-pass-1', role: 'admin' })).status).toBe(201);
  const api = new ApiClient(t.url);
  expect((await api.login(username, 'given-pass-1', { keepMustChange: true })).mustChangePassword).toBe(true);
  return api;
}

describe('issue 9 item 14: mustChangePassword is enforced by the server', () => {
  it('issue 9 item 14: protected routes answer 403 PASSWORD_CHANGE_REQUIRED and change nothing', async () => {
    const api = await freshAccount('mustchange1');
    const before = (await admin.get('/api/branches')).body;
    for (const [method, path, body] of [
      ['GET', '/api/users', undefined],
      ['GET', '/api/branches', undefined],
      ['POST', '/api/branches', { name: '不该建成的支部' }],
      ['GET', '/api/me/games', undefined],
      ['GET', '/api/questions', undefined],
      ['PATCH', '/api/users/whoever', { displayName: 'x' }],
    ] as const) {
      const res = await api.request(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code, `${method} ${path}`).toBe('PASSWORD_CHANGE_REQUIRED');
    }
    expect((await admin.get('/api/branches')).body).toEqual(before);
  });

  it('issue 9 item 14: GET /api/me, POST /api/me/password and POST /api/auth/logout still work', async () => {
    const api = await freshAccount('mustchange2');
    const me = await api.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ username: 'mustchange2', mustChangePassword: true });
    // A wrong current password is the ordinary 400, not the gate's 403.
    expect((await api.post('/api/me/password', { currentPassword: 'not-it-123', newPassword: 'chosen-pass-1' })).status).toBe(400);
    expect((await api.post('/api/me/password', { currentPassword: 'given-pass-1', newPassword: 'chosen-pass-1' })).status).toBe(204);
    expect((await api.get('/api/users')).status).toBe(200);

    const other = await freshAccount('mustchange3');
    expect((await other.post('/api/auth/logout')).status).toBe(204);
    expect((await other.get('/api/me')).body).toEqual({ user: null });
  });

  it('issue 9 item 14: a password reset by an admin puts the gate back', async () => {
    const api = new ApiClient(t.url);
    const user = (await admin.post('/api/users', { username: 'resetme', displayName: 'resetme', password: 'given-pass-1', role: 'admin' })).body.user;
    await api.login('resetme', 'given-pass-1');
    expect((await api.get('/api/users')).status).toBe(200);
    expect((await admin.patch(`/api/users/${user.id}`, { password: 'reset-pass-1' })).status).toBe(200);
    await api.login('resetme', 'reset-pass-1', { keepMustChange: true });
    expect((await api.get('/api/users')).body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
  });
});

describe('assertPasswordChanged (the check staff socket commands share)', () => {
  it('issue 9 item 14: throws PASSWORD_CHANGE_REQUIRED only while the flag is set', () => {
    expect(() => assertPasswordChanged({ mustChangePassword: true })).toThrow(expect.objectContaining({ code: 'PASSWORD_CHANGE_REQUIRED' }));
    expect(() => assertPasswordChanged({ mustChangePassword: false })).not.toThrow();
    expect(() => assertPasswordChanged(null)).not.toThrow();
  });
});
