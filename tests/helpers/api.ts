/** A tiny HTTP client that keeps the session cookie like a browser would. */
export class ApiClient {
  cookie = '';
  constructor(
    readonly baseUrl: string,
    readonly headers: Record<string, string> = {},
  ) {}

  async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
    const isForm = body instanceof FormData;
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...this.headers,
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(body !== undefined && !isForm ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : isForm ? body : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const match = /sid=([^;]*)/.exec(setCookie);
      this.cookie = match && match[1] ? `sid=${match[1]}` : '';
    }
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, body: type.includes('json') && text ? JSON.parse(text) : text, headers: res.headers };
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, body?: unknown) => this.request('POST', path, body);
  patch = (path: string, body?: unknown) => this.request('PATCH', path, body);
  delete = (path: string) => this.request('DELETE', path);

  /**
   * Logs in and returns the user as the login answered (mustChangePassword included). The server refuses nearly
   * everything until a set-by-someone-else password is changed, so by default this then changes it away and back
   * to the same one, as the member would at first login; `{ keepMustChange: true }` leaves the account as it is.
   */
  async login(username: string, password: string, options: { keepMustChange?: boolean } = {}) {
    const res = await this.post('/api/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    if (res.body.user.mustChangePassword && !options.keepMustChange) {
      for (const [currentPassword, newPassword] of [[password, `${password}#tmp`], [`${password}#tmp`, password]]) {
        const changed = await this.post('/api/me/password', { currentPassword, newPassword });
        if (changed.status !== 204) throw new Error(`password change for ${username} failed: ${changed.status} ${JSON.stringify(changed.body)}`);
      }
    }
    return res.body.user;
  }
}

/** Logs in as admin, creates a branch with a secretary and a member; returns clients for each. */
export async function seedBranch(baseUrl: string, admin: ApiClient, name: string) {
  const branch = (await admin.post('/api/branches', { name })).body.branch;
  const suffix = Math.random().toString(36).slice(2, 8);
  const secretary = (
    await admin.post('/api/users', { username: `sec_${suffix}`, displayName: `${name}书记`, password: 'password-1', role: 'secretary', branchId: branch.id })
  ).body.user;
  const member = (
    await admin.post('/api/users', { username: `mem_${suffix}`, displayName: `${name}党员`, password: 'password-1', role: 'member', branchId: branch.id })
  ).body.user;
  const secretaryClient = new ApiClient(baseUrl);
  await secretaryClient.login(secretary.username, 'password-1');
  const memberClient = new ApiClient(baseUrl);
  await memberClient.login(member.username, 'password-1');
  return { branch, secretary, member, secretaryClient, memberClient };
}

/** A multipart form with one file in the field `file`, as the import dialogs send it. */
export function fileForm(content: Buffer | string, name: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  return form;
}
