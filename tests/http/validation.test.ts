import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';

let t: TestApp;
let admin: ApiClient;
let branchId = "";
let memberId = "";

/** Every key with its serialised value: equal snapshots mean nothing changed. */
async function snapshot(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of (await t.redis.keys('*')).filter((k) => !k.startsWith('session:') && !k.startsWith('ratelimit:'))) {
    const type = await t.redis.type(key);
    const value =
      type === 'hash' ? await t.redis.hGetAll(key)
      : type === 'set' ? (await t.redis.sMembers(key)).sort()
      : type === 'zset' ? await t.redis.zRange(key, 0, -1)
      : await t.redis.get(key);
    out.set(key, JSON.stringify(value));
  }
  return out;
}

beforeAll(async () => {
  t = await startTestApp();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const seeded = await seedBranch(t.url, admin, '校验支部');
  branchId = seeded.branch.id;
  memberId = seeded.member.id;
});
afterAll(() => t.close());

const cases: [string, string, () => string, unknown][] = [
  ['POST', 'login without password', () => '/api/auth/login', { username: 'admin' }],
  ['POST', 'login with a number as username', () => '/api/auth/login', { username: 5, password: 'x' }],
  ['POST', 'password change too short', () => '/api/me/password', { currentPassword: ADMIN_PASSWORD, newPassword: 'short' }],
  ['POST', 'branch without name', () => '/api/branches', {}],
  ['POST', 'branch with blank name', () => '/api/branches', { name: '   ' }],
  ['POST', 'branch with a too-long name', () => '/api/branches', { name: '支'.repeat(41) }],
  ['PATCH', 'branch with unknown field', () => `/api/branches/${branchId}`, { colour: 'red' }],
  ['PATCH', 'branch with empty body', () => `/api/branches/${branchId}`, {}],
  ['POST', 'user with bad role', () => '/api/users', { username: 'abc', displayName: 'x', password: 'password-1', role: 'king', branchId }],
  ['POST', 'user with short password', () => '/api/users', { username: 'abc', displayName: 'x', password: 'short', role: 'member', branchId }],
  ['POST', 'user with spaces in username', () => '/api/users', { username: 'a b', displayName: 'x', password: 'password-1', role: 'member', branchId }],
  ['POST', 'member without branch', () => '/api/users', { username: 'nobranch', displayName: 'x', password: 'password-1', role: 'member' }],
  ['PATCH', 'user with disabled as string', () => `/api/users/${memberId}`, { disabled: 'yes' }],
  ['PATCH', 'user with unknown field', () => `/api/users/${memberId}`, { passwordHash: 'x' }],
  ['PATCH', 'user with empty body', () => `/api/users/${memberId}`, {}],
  ['GET', 'users with pageSize 0', () => '/api/users?pageSize=0', undefined],
];

describe('malformed input', () => {
  it.each(cases)('%s %s -> 400 INVALID_INPUT, nothing changed', async (method, _name, path, body) => {
    const before = await snapshot();
    const res = await admin.request(method, path(), body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_INPUT');
    expect(typeof res.body.error.message).toBe('string');
    expect(await snapshot()).toEqual(before);
  });

  it.each(['/api/auth/login', '/api/branches', '/api/users', '/api/me/password'])('POST %s with broken JSON -> 400', async (path) => {
    const before = await snapshot();
    const res = await admin.request('POST', path, '{"name":');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_INPUT');
    expect(await snapshot()).toEqual(before);
  });

  it('checks 401 before 403 before 400', async () => {
    expect((await new ApiClient(t.url).post('/api/branches', {})).status).toBe(401);
    const member = new ApiClient(t.url);
    const seeded = await seedBranch(t.url, admin, '顺序支部');
    member.cookie = seeded.memberClient.cookie;
    expect((await member.post('/api/branches', {})).status).toBe(403);
    expect((await admin.post('/api/branches', {})).status).toBe(400);
  });

  it('unknown API routes answer 404 in the envelope', async () => {
    const res = await admin.get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});
