import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors';
import { createApp } from '../../server/app';
import { statusFor } from '../../server/http/errorHandler';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';
import { ApiClient, fileForm } from '../helpers/api';

/**
 * Issue 9 item 17: the REST fuzzing that found 500s, kept as a test. Every route gets arbitrary and
 * near-valid bodies, query strings and id params; the answer is never a 5xx, a refusal always carries the
 * envelope, and a refused request leaves Redis exactly as it was.
 */

let t: TestApp;
let admin: ApiClient;
const fixture = { branchId: '', memberId: '', questionId: '', quizId: '', materialId: '', studySessionId: '' };

/**
 * A digest of every key's DUMP (values, not TTLs). Failed-attempt counters and session refreshes are
 * meant to change on a refusal, so keys of those kinds are left out.
 */
const SNAPSHOT_LUA = `
local out = {}
local all = redis.call('KEYS', '*')
table.sort(all)
for _, k in ipairs(all) do
  local skip = false
  for _, prefix in ipairs(ARGV) do
    if string.sub(k, 1, #prefix) == prefix then skip = true end
  end
  if not skip then out[#out + 1] = k .. '=' .. redis.sha1hex(redis.call('DUMP', k)) end
end
return #out .. ':' .. redis.sha1hex(table.concat(out, ';'))
`;
const VOLATILE_PREFIXES = ['session:', 'ratelimit:', 'rlflx', 'auth:'];
/** pino's numeric levels. */
const INFO = 30;
const ERROR = 50;
const snapshot = async () => String(await t.redis.eval(SNAPSHOT_LUA, { keys: [], arguments: VOLATILE_PREFIXES }));

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** A valid body to mutate into near-valid ones. */
  body?: Record<string, unknown>;
  /** A multipart upload route. */
  upload?: boolean;
  /** DELETE with an existing id would (rightly) delete the fixture; those routes get only other ids. */
  destructive?: boolean;
}

// POST /api/auth/logout is left out: it ends the admin session the fuzzing runs in.
const ROUTES: Route[] = [
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/readyz' },
  { method: 'POST', path: '/api/auth/login', body: { username: 'admin', password: 'not-the-password' } },
  { method: 'GET', path: '/api/me' },
  { method: 'POST', path: '/api/me/password', body: { currentPassword: 'not-the-password', newPassword: 'brand-new-pass-1' } },
  { method: 'GET', path: '/api/branches' },
  { method: 'POST', path: '/api/branches', body: { name: '模糊支部', secretaryId: null } },
  { method: 'PATCH', path: '/api/branches/:id', body: { name: '改名支部', secretaryId: null } },
  { method: 'DELETE', path: '/api/branches/:id', destructive: true },
  { method: 'GET', path: '/api/users' },
  { method: 'POST', path: '/api/users', body: { username: 'fuzz_user', displayName: '模糊', password: 'password-1', role: 'member', branchId: ':branch' } },
  { method: 'GET', path: '/api/users/import/template' },
  { method: 'POST', path: '/api/users/import', upload: true },
  { method: 'PATCH', path: '/api/users/:id', body: { displayName: '新名字', role: 'member', branchId: ':branch', disabled: false } },
  { method: 'GET', path: '/api/questions/import/template' },
  { method: 'POST', path: '/api/questions/import', upload: true },
  { method: 'GET', path: '/api/questions/export' },
  { method: 'GET', path: '/api/questions' },
  { method: 'GET', path: '/api/questions/tags' },
  { method: 'PUT', path: '/api/questions/tags/:tag', body: { name: '新标签' } },
  { method: 'DELETE', path: '/api/questions/tags/:tag' },
  { method: 'POST', path: '/api/questions', body: { type: 'single', text: '模糊题干', options: ['甲', '乙'], answer: 0, tags: ['模糊'], difficulty: 1 } },
  { method: 'GET', path: '/api/questions/:id' },
  { method: 'PUT', path: '/api/questions/:id', body: { type: 'judge', text: '判断题', options: ['正确', '错误'], answer: 1, version: 1 } },
  { method: 'DELETE', path: '/api/questions/:id', destructive: true },
  { method: 'GET', path: '/api/quizzes' },
  { method: 'POST', path: '/api/quizzes', body: { title: '模糊试卷', questionIds: [':question'], timeLimitSec: 20 } },
  { method: 'GET', path: '/api/quizzes/:id' },
  { method: 'PUT', path: '/api/quizzes/:id', body: { title: '改过的试卷', draw: { count: 1 }, timeLimitSec: 30 } },
  { method: 'DELETE', path: '/api/quizzes/:id', destructive: true },
  { method: 'GET', path: '/api/games' },
  { method: 'GET', path: '/api/games/:id' },
  { method: 'GET', path: '/api/games/:id/export.xlsx' },
  { method: 'GET', path: '/api/me/games' },
  { method: 'GET', path: '/api/materials' },
  { method: 'POST', path: '/api/materials', body: { title: '模糊资料', kind: 'markdown', body: '# 标题\n\n正文', tags: ['模糊'] } },
  { method: 'GET', path: '/api/materials/:id' },
  { method: 'PUT', path: '/api/materials/:id', body: { version: 1, title: '改过的资料', body: '正文' } },
  { method: 'DELETE', path: '/api/materials/:id', destructive: true },
  { method: 'POST', path: '/api/materials/:id/file', upload: true },
  { method: 'GET', path: '/api/materials/:id/file' },
  { method: 'GET', path: '/api/study-sessions' },
  { method: 'POST', path: '/api/study-sessions', body: { title: '模糊学习会', kind: 'collective_study', branchId: ':branch', plannedAt: 1767225600000 } },
  { method: 'GET', path: '/api/study-sessions/:id' },
  { method: 'PATCH', path: '/api/study-sessions/:id', body: { title: '改过的学习会', allowObservers: true } },
  { method: 'DELETE', path: '/api/study-sessions/:id', destructive: true },
  { method: 'GET', path: '/api/study-sessions/:id/poll-questions' },
  // The ledger (issue 12); tasks have their own fuzz in tests/http/tasks.test.ts.
  { method: 'GET', path: '/api/ledger/settings' },
  { method: 'PUT', path: '/api/ledger/settings', body: { yearlyTargetHours: 32, showMemberRank: false } },
  { method: 'GET', path: '/api/ledger/me' },
  { method: 'GET', path: '/api/ledger/members/:id/entries' },
  { method: 'GET', path: '/api/ledger/participation' },
  { method: 'GET', path: '/api/ledger/trend' },
  { method: 'GET', path: '/api/ledger/branches/:id/members' },
  { method: 'GET', path: '/api/ledger/individuals' },
  { method: 'GET', path: '/api/ledger/catch-up' },
  { method: 'POST', path: '/api/ledger/reminders', body: { memberId: ':member', message: '欢迎参加学习' } },
  { method: 'GET', path: '/api/me/notifications' },
  { method: 'POST', path: '/api/me/notifications/read' },
  { method: 'GET', path: '/api/ledger/dashboard' },
  { method: 'GET', path: '/api/ledger/export.xlsx' },
  { method: 'GET', path: '/api/ledger/evaluation' },
  { method: 'GET', path: '/api/ledger/evaluation.xlsx' },
];

/** Placeholders in templates (':branch' …) become the fixture's real ids. */
function resolve(value: unknown): unknown {
  if (value === ':branch') return fixture.branchId;
  if (value === ':question') return fixture.questionId;
  if (value === ':member') return fixture.memberId;
  if (Array.isArray(value)) return value.map(resolve);
  return value;
}

const MALFORMED_IDS = ['x:sessions', 'x:members', 'a b', '..', '%E0%A4%A', '%00', 'x'.repeat(65), '{game:1}', '*', '\u6d4b\u8bd5'];

const existingId = () => fc.constantFrom(...Object.values(fixture));
const idArb = (destructive: boolean) =>
  fc.oneof(
    ...(destructive ? [] : [{ arbitrary: existingId(), weight: 3 }]),
    { arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/), weight: 2 },
    { arbitrary: existingId().chain((id) => fc.constantFrom(`${id}:sessions`, `${id}:members`, `${id}:games`, `${id} `)), weight: 2 },
    { arbitrary: fc.constantFrom(...MALFORMED_IDS), weight: 2 },
    { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), weight: 2 },
  );

/** Path segment: mostly encoded, sometimes raw (malformed percent escapes reach the router as they are). */
const segment = (arb: fc.Arbitrary<string>) =>
  fc.tuple(arb, fc.boolean()).map(([s, raw]) => (raw && /^[\x21-\x7e]+$/.test(s) && !s.includes('/') && !s.includes('?') && !s.includes('#') ? s : encodeURIComponent(s)));

const QUERY_KEYS = ['page', 'pageSize', 'q', 'tag', 'type', 'difficulty', 'branchId', 'format', 'dryRun', 'period', 'date', 'from', 'to', 'scope', 'id', 'year', 'count'];
const queryArb = fc.option(
  fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 8 }), fc.constantFrom('page[]', 'q[a]', '__proto__')),
      fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('0', '-1', '1e9', 'NaN', '3', 'csv', 'xlsx', '1', 'true', '')),
    ),
    { maxLength: 4 },
  ).map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
  { nil: '' },
);

/** Near-valid: the template with one field replaced, dropped, or one field too many. */
function nearValid(template: Record<string, unknown>): fc.Arbitrary<unknown> {
  const base = resolve(template) as Record<string, unknown>;
  const fields = Object.keys(base);
  return fc.oneof(
    fc.constant(base),
    fc.tuple(fc.constantFrom(...fields), fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => ({ ...base, [k]: v })),
    fc.constantFrom(...fields).map((k) => Object.fromEntries(Object.entries(base).filter(([f]) => f !== k))),
    fc.tuple(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 })).map(([k, v]) => ({ ...base, [k]: v })),
  );
}

type Payload = { kind: 'none' } | { kind: 'json'; body: unknown; contentType: string } | { kind: 'raw'; text: string; contentType: string } | { kind: 'file'; bytes: Uint8Array; name: string };

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded'];

function payloadArb(route: Route): fc.Arbitrary<Payload> {
  const json = (body: fc.Arbitrary<unknown>) =>
    fc.tuple(body, fc.constantFrom(...CONTENT_TYPES)).map(([b, contentType]): Payload => ({ kind: 'json', body: b, contentType }));
  const options: fc.Arbitrary<Payload>[] = [
    fc.constant<Payload>({ kind: 'none' }),
    json(fc.jsonValue({ maxDepth: 3 })),
    fc.tuple(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(...CONTENT_TYPES)).map(([text, contentType]): Payload => ({ kind: 'raw', text, contentType })),
  ];
  if (route.body) options.push(json(nearValid(route.body)), json(nearValid(route.body)));
  if (route.upload) {
    options.push(
      fc.tuple(fc.uint8Array({ maxLength: 200 }), fc.constantFrom('a.xlsx', 'a.csv', 'a.txt', '名单.csv')).map(([bytes, name]): Payload => ({ kind: 'file', bytes, name })),
      fc.string({ maxLength: 120 }).map((text): Payload => ({ kind: 'file', bytes: new TextEncoder().encode(`用户名,姓名,角色\n${text}`), name: 'a.csv' })),
    );
  }
  return fc.oneof(...options);
}

function requestArb(route: Route) {
  const id = segment(idArb(route.destructive ?? false));
  const tag = segment(fc.oneof(fc.constant('模糊'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 })));
  return fc.record({
    route: fc.constant(route),
    path: fc.tuple(id, tag).map(([i, g]) => route.path.replace(':id', i).replace(':tag', g)),
    query: queryArb,
    payload: payloadArb(route),
    anonymous: fc.boolean(),
  });
}

async function send(req: { route: Route; path: string; query: string; payload: Payload; anonymous: boolean }) {
  const headers: Record<string, string> = req.anonymous ? {} : { cookie: admin.cookie };
  let body: RequestInit['body'];
  const p = req.payload;
  if (p.kind === 'json') {
    headers['content-type'] = p.contentType;
    body = JSON.stringify(p.body);
  } else if (p.kind === 'raw') {
    headers['content-type'] = p.contentType;
    body = p.text;
  } else if (p.kind === 'file') {
    body = fileForm(Buffer.from(p.bytes), p.name);
  }
  const method = req.route.method;
  const url = `${t.url}${req.path}${req.query ? `?${req.query}` : ''}`;
  const res = await fetch(url, { method, headers, body: method === 'GET' ? undefined : body });
  const text = await res.text();
  return { status: res.status, text, type: res.headers.get('content-type') ?? '' };
}

beforeAll(async () => {
  t = await startTestApp();
  admin = new ApiClient(t.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const branch = (await admin.post('/api/branches', { name: '模糊测试支部' })).body.branch;
  const member = (await admin.post('/api/users', { username: 'fuzz_member', displayName: '模糊党员', password: 'password-1', role: 'member', branchId: branch.id })).body.user;
  const question = (await admin.post('/api/questions', { type: 'single', text: '模糊测试题', options: ['甲', '乙', '丙'], answer: 1 })).body.question;
  const quiz = (await admin.post('/api/quizzes', { title: '模糊测试卷', questionIds: [question.id] })).body.quiz;
  const material = (await admin.post('/api/materials', { title: '模糊测试资料', kind: 'markdown', body: '# 资料\n\n正文' })).body.material;
  const session = (await admin.post('/api/study-sessions', { title: '模糊测试学习会', kind: 'collective_study', branchId: branch.id, plannedAt: 1767225600000 })).body.session;
  Object.assign(fixture, { branchId: branch.id, memberId: member.id, questionId: question.id, quizId: quiz.id, materialId: material.id, studySessionId: session.id });
  expect(Object.values(fixture).every(Boolean)).toBe(true);
});
afterAll(() => t.close());

describe('issue 9 item 17: malformed ids and charsets', () => {
  it.each([
    ['PATCH', () => `/api/users/${fixture.memberId}:sessions`, { displayName: 'x' }],
    ['PATCH', () => `/api/branches/${fixture.branchId}:members`, { name: 'x' }],
    ['DELETE', () => `/api/branches/${fixture.branchId}:members`, undefined],
    ['GET', () => `/api/questions/${fixture.questionId}:x`, undefined],
    ['PUT', () => `/api/quizzes/${fixture.quizId}%20x`, { title: 'x', draw: { count: 1 } }],
    ['GET', () => `/api/games/${fixture.quizId}:record/export.xlsx`, undefined],
  ] as const)('%s with a malformed id -> 404 NOT_FOUND, nothing changed', async (method, path, body) => {
    const before = await snapshot();
    const res = await admin.request(method, path(), body);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect(await snapshot()).toBe(before);
  });

  it('a malformed id in a body is INVALID_INPUT, not a Redis key', async () => {
    const res = await admin.post('/api/users', { username: 'colon_branch', displayName: '冒号', password: 'password-1', role: 'member', branchId: `${fixture.branchId}:members` });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_INPUT');
  });

  it('JSON in another charset than UTF-8 -> 415 UNSUPPORTED_MEDIA_TYPE with the envelope', async () => {
    const before = await snapshot();
    const res = await fetch(`${t.url}/api/branches`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/json; charset=latin1' },
      body: JSON.stringify({ name: 'Latin' }),
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.any(String) } });
    expect(await snapshot()).toBe(before);
  });

  it('logs such a refusal at info, never as an unhandled error', async () => {
    const lines: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const app = createApp({ redis: t.redis, clock: { now: () => Date.now() }, logger, config: t.config });
    await new Promise<void>((resolve) => app.http.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(app.http.address() as AddressInfo).port}`;
      const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json; charset=latin1' }, body: '{}' });
      expect(res.status).toBe(415);
      const refusal = lines.find((l) => l.msg === 'request refused');
      expect(refusal?.level).toBe(INFO);
      expect(lines.filter((l) => l.level >= ERROR)).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});

describe('issue 9 item 17: REST fuzzing over every route', () => {
  it('never a 5xx; a refusal carries the envelope and changes nothing in Redis', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES).chain(requestArb), async (req) => {
        const before = await snapshot();
        const res = await send(req);
        const label = `${req.route.method} ${req.route.path}`;
        seen.set(label, (seen.get(label) ?? 0) + 1);
        expect(res.status, `${req.route.method} ${req.path}?${req.query} -> ${res.text.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400) {
          const parsed = JSON.parse(res.text) as { error: { code: ErrorCode; message: string } };
          expect(Object.values(ErrorCode)).toContain(parsed.error.code);
          expect(statusFor(parsed.error.code)).toBe(res.status);
          expect(await snapshot(), `${label} was refused (${res.status}) but changed Redis`).toBe(before);
        }
      }),
      // Seeded and modest by default; FUZZ_SEED / FUZZ_RUNS explore further by hand.
      { numRuns: Number(process.env.FUZZ_RUNS ?? 500), seed: Number(process.env.FUZZ_SEED ?? 20260901), endOnFailure: true },
    );
    // Every route was actually exercised.
    expect([...seen.keys()].sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  }, 60_000);
});
