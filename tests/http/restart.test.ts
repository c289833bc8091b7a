import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, testRedis } from '../helpers/testApp';
import { ApiClient } from '../helpers/api';

describe('a restarted server', () => {
  it('picks up sessions, accounts and branches from Redis: nothing lives only in the Node process', async () => {
    const redis = await testRedis();
    const first = await startTestApp({ redis });
    const api = new ApiClient(first.url);
    await api.login('admin', ADMIN_PASSWORD);
    const branch = (await api.post('/api/branches', { name: '重启支部' })).body.branch;
    await first.close();

    const second = await startTestApp({ redis });
    const again = new ApiClient(second.url);
    again.cookie = api.cookie;
    expect((await again.get('/api/me')).body.user.username).toBe('admin');
    expect((await again.get('/api/branches')).body.items).toContainEqual({ ...branch, memberCount: 0 });
    await second.close();
    await redis.close();
  });
});
