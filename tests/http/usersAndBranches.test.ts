import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';

let t: TestApp;
let admin: ApiClient;
let one: Awaited<ReturnType<typeof seedBranch>>;
let two: Awaited<ReturnType<typeof seedBranch>>;

beforeAll(async () => {
  t = await startTestApp();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  one = await seedBranch(t.url, admin, '第一支部');
  two = await seedBranch(t.url, admin, '第二支部');
});
afterAll(() => t.close());

describe('branches', () => {
  it('creates with 201 { branch }, lists with { items, total }, refuses duplicates with 409', async () => {
    const created = await admin.post('/api/branches', { name: '机关第三支部' });
    expect(created.status).toBe(201);
    expect(created.body.branch).toEqual({ id: expect.any(String), name: '机关第三支部', secretaryId: null });
    expect((await admin.post('/api/branches', { name: ' 机关第三支部 ' })).status).toBe(409);
    const list = await admin.get('/api/branches');
    expect(list.body.total).toBe(3);
    expect(list.body.items.map((b: { name: string }) => b.name)).toContain('机关第三支部');
  });

  it('made the first secretary of a branch its secretaryId', async () => {
    const list = await admin.get('/api/branches');
    const branch = list.body.items.find((b: { id: string }) => b.id === one.branch.id);
    expect(branch.secretaryId).toBe(one.secretary.id);
  });

  it('renames, refuses to delete a branch with members, deletes an empty one with 204', async () => {
    const b = (await admin.post('/api/branches', { name: '临时支部' })).body.branch;
    expect((await admin.patch(`/api/branches/${b.id}`, { name: '临时支部（改）' })).body.branch.name).toBe('临时支部（改）');
    expect((await admin.delete(`/api/branches/${one.branch.id}`)).status).toBe(409);
    expect((await admin.delete(`/api/branches/${b.id}`)).status).toBe(204);
    expect((await admin.delete(`/api/branches/${b.id}`)).status).toBe(404);
  });

  it('assigning a secretary promotes the member and demotes the previous secretary', async () => {
    const res = await admin.patch(`/api/branches/${two.branch.id}`, { secretaryId: two.member.id });
    expect(res.status).toBe(200);
    const users = (await admin.get(`/api/users?branchId=${two.branch.id}`)).body.items;
    expect(users.find((u: { id: string }) => u.id === two.member.id).role).toBe('secretary');
    expect(users.find((u: { id: string }) => u.id === two.secretary.id).role).toBe('member');
    await admin.patch(`/api/branches/${two.branch.id}`, { secretaryId: two.secretary.id });
  });

  it('refuses a secretary from another branch with 400 and changes nothing', async () => {
    const res = await admin.patch(`/api/branches/${one.branch.id}`, { secretaryId: two.member.id });
    expect(res.status).toBe(400);
    const member = (await admin.get(`/api/users?branchId=${two.branch.id}`)).body.items.find((u: { id: string }) => u.id === two.member.id);
    expect(member.role).toBe('member');
  });

  it('branch management is admin only', async () => {
    expect((await one.secretaryClient.post('/api/branches', { name: 'x支部' })).status).toBe(403);
    expect((await one.memberClient.patch(`/api/branches/${one.branch.id}`, { name: 'y' })).status).toBe(403);
    expect((await one.secretaryClient.delete(`/api/branches/${two.branch.id}`)).status).toBe(403);
  });
});

describe('users', () => {
  it('never returns password hashes and refuses duplicate usernames (any case) with 409', async () => {
    const list = await admin.get('/api/users');
    for (const u of list.body.items) expect(Object.keys(u).sort()).toEqual(['branchId', 'disabled', 'displayName', 'id', 'mustChangePassword', 'role', 'username']);
    const dup = await admin.post('/api/users', { username: one.member.username.toUpperCase(), displayName: '重名', password: 'password-1', role: 'member', branchId: one.branch.id });
    expect(dup.status).toBe(409);
  });

  it('searches by name and filters by branch', async () => {
    const res = await admin.get(`/api/users?q=${encodeURIComponent('第二支部党')}`);
    expect(res.body.items.map((u: { id: string }) => u.id)).toEqual([two.member.id]);
    const byBranch = await admin.get(`/api/users?branchId=${one.branch.id}`);
    expect(byBranch.body.total).toBe(2);
  });

  it('a secretary sees and manages only their own branch', async () => {
    const own = await one.secretaryClient.get('/api/users');
    expect(own.body.items.every((u: { branchId: string }) => u.branchId === one.branch.id)).toBe(true);
    expect((await one.secretaryClient.get(`/api/users?branchId=${two.branch.id}`)).status).toBe(403);
    expect((await one.secretaryClient.patch(`/api/users/${two.member.id}`, { displayName: '越权' })).status).toBe(403);
    expect((await one.secretaryClient.patch(`/api/users/${two.member.id}`, { disabled: true })).status).toBe(403);
    const create = await one.secretaryClient.post('/api/users', { username: 'intruder', displayName: '越权', password: 'password-1', role: 'member', branchId: two.branch.id });
    expect(create.status).toBe(403);
    const promote = await one.secretaryClient.post('/api/users', { username: 'boss', displayName: '越权', password: 'password-1', role: 'admin', branchId: one.branch.id });
    expect(promote.status).toBe(403);
    const untouched = (await admin.get(`/api/users?branchId=${two.branch.id}`)).body.items.find((u: { id: string }) => u.id === two.member.id);
    expect(untouched).toMatchObject({ displayName: '第二支部党员', disabled: false });
    expect((await admin.get('/api/users?q=intruder')).body.total).toBe(0);
  });

  it('a secretary adds and edits members of their own branch', async () => {
    const res = await one.secretaryClient.post('/api/users', { username: 'newbie', displayName: '新党员', password: 'password-1', role: 'member', branchId: one.branch.id });
    expect(res.status).toBe(201);
    expect(res.body.user.mustChangePassword).toBe(true);
    const edit = await one.secretaryClient.patch(`/api/users/${res.body.user.id}`, { displayName: '新党员甲' });
    expect(edit.body.user.displayName).toBe('新党员甲');
  });

  it('members cannot list or manage users', async () => {
    expect((await one.memberClient.get('/api/users')).status).toBe(403);
    expect((await one.memberClient.post('/api/users', {})).status).toBe(403);
  });

  it("disabling a user ends their session at once; they cannot log in again until enabled", async () => {
    const victim = (await admin.post('/api/users', { username: 'tobedisabled', displayName: '停用', password: 'password-1', role: 'member', branchId: one.branch.id })).body.user;
    const client = new ApiClient(t.url);
    await client.login('tobedisabled', 'password-1');
    expect((await client.get('/api/me')).body.user.username).toBe('tobedisabled');
    expect((await one.secretaryClient.patch(`/api/users/${victim.id}`, { disabled: true })).body.user.disabled).toBe(true);
    // Signed out: /api/me says nobody (issue 9 item 10), and the routes that need a session answer 401.
    expect((await client.get('/api/me')).body).toEqual({ user: null });
    expect((await client.get('/api/me/games')).status).toBe(401);
    expect((await new ApiClient(t.url).post('/api/auth/login', { username: 'tobedisabled', password: 'password-1' })).status).toBe(403);
    await admin.patch(`/api/users/${victim.id}`, { disabled: false });
    expect((await new ApiClient(t.url).post('/api/auth/login', { username: 'tobedisabled', password: 'password-1' })).status).toBe(200);
  });

  it('a password reset by the admin ends sessions and forces a change at next login', async () => {
    const client = new ApiClient(t.url);
    await client.login(two.member.username, 'password-1');
    await admin.patch(`/api/users/${two.member.id}`, { password: 'reset-pass-1' });
    expect((await client.get('/api/me')).body).toEqual({ user: null });
    expect((await client.login(two.member.username, 'reset-pass-1', { keepMustChange: true })).mustChangePassword).toBe(true);
  });

  it('the last admin cannot be disabled or demoted', async () => {
    const me = (await admin.get('/api/me')).body.user;
    expect((await admin.patch(`/api/users/${me.id}`, { role: 'member', branchId: one.branch.id })).status).toBe(409);
  });

  it('unknown ids give 404', async () => {
    expect((await admin.patch('/api/users/nope', { displayName: 'x' })).status).toBe(404);
    expect((await admin.patch('/api/branches/nope', { name: 'x' })).status).toBe(404);
  });
});
