import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, seedBranch } from '../helpers/api';
import { connected, liveSocket, waitFor, type LiveClient } from '../helpers/sockets';

let t: TestApp;
let admin: ApiClient;
const open: LiveClient[] = [];

beforeAll(async () => {
  t = await startTestApp();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
});
afterAll(async () => {
  open.forEach((s) => s.disconnect());
  await t.close();
});

async function socketOf(client: ApiClient): Promise<LiveClient> {
  const s = liveSocket(t.url, { cookie: client.cookie });
  open.push(s);
  await connected(s);
  return s;
}

/** Resolves with what the server said and why the socket closed. */
function endOf(s: LiveClient) {
  return Promise.all([waitFor(s, 'session:ended'), new Promise((resolve) => s.once('disconnect', resolve))]);
}

async function whoami(s: LiveClient) {
  const answer = await s.emitWithAck('session:whoami', {});
  return answer.ok ? answer.user : null;
}

describe('issue 9 item 13: open sockets do not keep old privileges', () => {
  it('issue 9 item 13: demoting a secretary ends their open socket; a new socket carries the new role', async () => {
    const { secretary, secretaryClient } = await seedBranch(t.url, admin, '降级支部');
    const s = await socketOf(secretaryClient);
    expect((await whoami(s))?.role).toBe('secretary');
    const ended = endOf(s);
    expect((await admin.patch(`/api/users/${secretary.id}`, { role: 'member' })).status).toBe(200);
    expect(await ended).toEqual([{ reason: 'account-changed' }, 'io server disconnect']);

    // The REST session lives on; a new socket sees the member.
    expect((await secretaryClient.get('/api/me')).body.user.role).toBe('member');
    expect((await whoami(await socketOf(secretaryClient)))?.role).toBe('member');
  });

  it('issue 9 item 13: moving a member to another branch ends their open socket', async () => {
    const one = await seedBranch(t.url, admin, '甲支部');
    const two = await seedBranch(t.url, admin, '乙支部');
    const s = await socketOf(one.memberClient);
    const ended = endOf(s);
    expect((await admin.patch(`/api/users/${one.member.id}`, { branchId: two.branch.id })).status).toBe(200);
    expect(await ended).toEqual([{ reason: 'account-changed' }, 'io server disconnect']);
  });

  it('issue 9 item 13: demoting an admin ends every open socket of that admin', async () => {
    const user = (await admin.post('/api/users', { username: 'second_admin', displayName: '二号管理员', password: 'password-1', role: 'admin' })).body.user;
    const [a, b] = [new ApiClient(t.url), new ApiClient(t.url)];
    await a.login('second_admin', 'password-1');
    await b.login('second_admin', 'password-1');
    const sockets = [await socketOf(a), await socketOf(b)];
    const ended = sockets.map(endOf);
    const branch = (await admin.post('/api/branches', { name: '降级管理员支部' })).body.branch;
    expect((await admin.patch(`/api/users/${user.id}`, { role: 'member', branchId: branch.id })).status).toBe(200);
    for (const e of ended) expect(await e).toEqual([{ reason: 'account-changed' }, 'io server disconnect']);
  });

  it('a change that keeps role and branch (the display name) leaves the socket open', async () => {
    const { member, memberClient } = await seedBranch(t.url, admin, '改名支部');
    const s = await socketOf(memberClient);
    let ended = false;
    s.once('session:ended', () => (ended = true));
    expect((await admin.patch(`/api/users/${member.id}`, { displayName: '新名字' })).status).toBe(200);
    // The socket still answers after the change was made (an ack is a round trip behind any end).
    expect((await whoami(s))?.username).toBe(member.username);
    expect(ended).toBe(false);
    expect(s.connected).toBe(true);
  });
});
