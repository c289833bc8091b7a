// `npm run bench:review -- [--members 5000] [--cards 300] [--answerers 200]`
// Self review (issue 11) at organisation size on the real app and its real Redis: M members with C FSRS cards each
// (1.5 M cards by default), then over REST: the daily set (first call of the day, which assembles it, and a repeat),
// answers (POST /api/review/answers) with 200 members answering at once, Redis memory per card (MEMORY USAGE of a
// sample of members' card hashes, and INFO memory before/after seeding), and the most-failed list (GET
// /api/questions/hard as the admin) after failure counts are seeded. Prints PASS/FAIL per target of the issue.
// It always starts the built app on a free loopback port with a private temp data dir (so its own redis-server, and
// the starter bank loaded as on a first start) and removes both afterwards; members, their login sessions, cards
// and failure counts are seeded through the real stores (scripts/benchReviewKit.ts, bundled on the fly).
// Exits non-zero only when the benchmark itself cannot run; missing a target prints FAIL and exits 0.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { apiAt, cpuSeconds, createLocalApp, f, loginAt, makeOptions, now, sleep, stats, loadBenchKit } from './benchHelpers.mjs';
import { ensureNodeModules } from './system.mjs';

// ---------- options ----------
const argv = process.argv.slice(2);
let started = false;
process.on('uncaughtException', (err) => {
  console.error(`[bench] ${started ? (err?.stack ?? err) : (err?.message ?? err)}`);
  if (!started) process.exit(1);
  cleanup().catch(() => undefined).finally(() => process.exit(1));
});
const { num } = makeOptions(argv);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(`usage: npm run bench:review -- [options]
  --members M            members seeded, each with its cards (default 5000)
  --cards C              cards per member (default 300; the starter bank must have at least C questions)
  --daily-concurrency D  daily-set requests in flight at once (default 4)
  --answerers A          members answering at the same time (default 200)
  --think-ms T           paced answers: mean pause between a member's answers, uniform 0.3T..1.7T (default 3000)
  --waves W              burst: groups of A members answering their whole set with no pause, one after the other (default 2)
  --failures F           answers noted in the failure counts before the most-failed list is timed (default 50000)
  --hard-runs H          times the most-failed list is fetched (default 30)
  --sample S             members whose card hashes MEMORY USAGE measures (default 200)
  --no-build             run dist/ as it is instead of rebuilding stale sources first`);
  process.exit(0);
}
const M = Math.floor(num('members', 5000));
const C = Math.floor(num('cards', 300));
const DAILY_CONC = Math.max(1, Math.floor(num('daily-concurrency', 4)));
const A = Math.max(1, Math.floor(num('answerers', 200)));
const WAVES = Math.max(1, Math.floor(num('waves', 2)));
const THINK_MS = num('think-ms', 3000);
const FAILURES = Math.floor(num('failures', 50_000));
const HARD_RUNS = Math.max(1, Math.floor(num('hard-runs', 30)));
const SAMPLE = Math.max(1, Math.floor(num('sample', 200)));
const PASSWORD = 'bench-pass-1';
if (M < 1 || M > 20_000) throw new Error('--members must be 1..20000');
if (C < 1 || C > 2000) throw new Error('--cards must be 1..2000');
if (A * (WAVES + 1) > M) throw new Error(`--answerers × (--waves + 1) (${A * (WAVES + 1)}) is more than --members (${M})`);
if (FAILURES > 1_000_000) throw new Error('--failures must be at most 1000000');

// The issue's targets on the 2-core machine.
const TARGET = { answerP99: 20, dailyP99: 50, bytesPerCard: 300 };

ensureNodeModules();

// ---------- the app and the kit ----------
let stopping = false;
// The starter bank is loaded at start (SEED_BANK=1): the cards are over real questions.
const app = createLocalApp({ prefix: 'tongpin-bench-review-', env: { ADMIN_PASSWORD: PASSWORD, SEED_BANK: '1' }, isStopping: () => stopping, build: !argv.includes('--no-build') });
const api = (method, url, cookie, body) => apiAt(app.base, method, url, cookie, body);

const loadKit = () => loadBenchKit('benchReviewKit');

/** Runs `job(i)` for i in 0..n-1 with `conc` in flight; returns each call's wall time (ms) and the non-OK statuses. */
async function timedRequests(n, conc, job) {
  const times = [];
  const bad = new Map();
  let next = 0;
  async function worker() {
    while (next < n) {
      const i = next++;
      const t0 = now();
      const res = await job(i);
      const ms = now() - t0;
      if (res.status === 200) times.push(ms);
      else bad.set(`${res.status} ${res.body?.error?.code ?? ''}`.trim(), (bad.get(`${res.status} ${res.body?.error?.code ?? ''}`.trim()) ?? 0) + 1);
    }
  }
  await Promise.all(Array.from({ length: Math.min(conc, n) }, worker));
  return { times, bad };
}

/** CPU seconds of the server and its redis-server while `fn` runs, with its wall time. */
async function withCpu(fn) {
  const c0 = await kit.commands();
  const s0 = cpuSeconds(app.server.pid);
  const r0 = app.redisPid ? cpuSeconds(app.redisPid) : null;
  const t0 = now();
  const out = await fn();
  const wall = now() - t0;
  const commands = (await kit.commands()) - c0 - 1; // less the INFO that read c0
  const s1 = cpuSeconds(app.server.pid);
  const r1 = app.redisPid ? cpuSeconds(app.redisPid) : null;
  return { out, wall, commands, server: s0 !== null && s1 !== null ? s1 - s0 : NaN, redis: r0 !== null && r1 !== null ? r1 - r0 : NaN };
}

/** A right answer (the key) or a wrong one (another option, or other text). */
function answerFor(q, right) {
  if (right) return Array.isArray(q.answer) && q.type === 'blank' ? q.answer[0] : q.answer;
  if (typeof q.answer === 'number') return (q.answer + 1) % Math.max(2, q.options);
  if (Array.isArray(q.answer) && typeof q.answer[0] === 'number') return q.answer.length === 1 ? [(q.answer[0] + 1) % Math.max(2, q.options)] : [q.answer[0]];
  return '错误的答案';
}

let kit = null;

async function cleanup() {
  stopping = true;
  await kit?.close().catch(() => undefined);
  await app.stop();
}

async function main() {
  const loadAtStart = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const [kitModule] = await Promise.all([loadKit(), app.start()]);
  started = true;
  const admin = await loginAt(app.base, 'admin', PASSWORD);
  kit = await kitModule.openKit(app.redisSocket());
  const bank = await kit.bank();
  const byId = new Map(bank.map((q) => [q.id, q]));
  if (bank.length < C) throw new Error(`the starter bank has ${bank.length} organisation-wide questions, fewer than --cards ${C}`);
  const branch = await api('POST', '/api/branches', admin, { name: `压测支部 ${Date.now().toString(36)}` });
  if (branch.status !== 201) throw new Error(`creating the branch failed: ${branch.status} ${JSON.stringify(branch.body)}`);

  console.log(`[bench] app ${app.base}, bank of ${bank.length} questions; seeding ${M} members…`);
  let t0 = now();
  const members = await kit.seedMembers(branch.body.branch.id, M, Date.now().toString(36));
  const membersMs = now() - t0;
  const memBefore = await kit.usedMemory();
  console.log(`[bench] ${M} members in ${f(membersMs / 1000)} s; seeding ${M * C} cards…`);
  t0 = now();
  const written = await kit.seedCards(members.map((m) => m.userId), bank.map((q) => q.id), C, Date.now());
  const cardsMs = now() - t0;
  const memAfter = await kit.usedMemory();
  const check = await kit.cardCount(members[0].userId);
  if (check !== C) throw new Error(`the cards store reads ${check} cards for a seeded member, expected ${C}`);
  const step = Math.max(1, Math.floor(M / SAMPLE));
  const sampleIds = members.filter((_, i) => i % step === 0).slice(0, SAMPLE).map((m) => m.userId);
  const cardRows = await kit.cardMemory(sampleIds);
  const dailyCost = await kit.dailyCost(sampleIds.slice(0, 50), 5, Date.now());
  console.log(`[bench] ${written} cards in ${f(cardsMs / 1000)} s; daily sets (first call of the day) for ${M} members…`);

  // Daily set: the first call of the day assembles it (every member's cards are read, due first, then new ones).
  const first = await withCpu(() => timedRequests(M, DAILY_CONC, (i) => api('GET', '/api/review/daily', members[i].cookie)));
  console.log('[bench] repeat calls…');
  const repeat = await withCpu(() => timedRequests(M, DAILY_CONC, (i) => api('GET', '/api/review/daily', members[i].cookie)));

  // Each answerer's set (the repeat call gives it; the bench keeps it for the answers).
  const sets = new Map();
  await timedRequests(A * (WAVES + 1), 16, async (i) => {
    const res = await api('GET', '/api/review/daily', members[i].cookie);
    if (res.status === 200) sets.set(i, res.body.items.map((it) => it.questionId));
    return res;
  });

  // Answers. Paced: members 0..A-1 all in their set at once, each pausing as a member reads the next question
  // (the issue's "200 members answering concurrently"). Burst: W more groups of A answering with no pause at all,
  // which measures throughput (latency there is mostly queueing: A requests in flight on 2 cores).
  const answerTimes = { paced: [], burst: [] };
  const answerBad = new Map();
  let answered = 0;
  let rightN = 0;
  async function answerSet(i, times, thinkMs) {
    for (const questionId of sets.get(i) ?? []) {
      if (thinkMs > 0) await sleep(thinkMs * (0.3 + 1.4 * Math.random()));
      const right = (i + questionId.length) % 5 !== 0; // about 80 % right
      const body = { attemptId: randomUUID(), mode: 'daily', questionId, answer: answerFor(byId.get(questionId), right) };
      const t = now();
      const res = await api('POST', '/api/review/answers', members[i].cookie, body);
      const ms = now() - t;
      if (res.status === 200) {
        times.push(ms);
        answered++;
        if (res.body.correct) rightN++;
      } else {
        const k = `${res.status} ${res.body?.error?.code ?? ''}`.trim();
        answerBad.set(k, (answerBad.get(k) ?? 0) + 1);
      }
    }
  }
  console.log(`[bench] answers, paced: ${A} members at once, about ${THINK_MS} ms between a member's answers…`);
  const pacedRun = await withCpu(() => Promise.all(Array.from({ length: A }, (_, j) => answerSet(j, answerTimes.paced, THINK_MS))));
  // The floor this machine gives any request at the same pace: /readyz is loopback HTTP and one Redis PING.
  const floorTimes = [];
  const floorRun = await withCpu(() =>
    Promise.all(
      Array.from({ length: A }, async () => {
        for (let k = 0; k < 5; k++) {
          await sleep(THINK_MS * (0.3 + 1.4 * Math.random()));
          const t = now();
          const res = await fetch(`${app.base}/readyz`);
          await res.text();
          if (res.ok) floorTimes.push(now() - t);
        }
      }),
    ),
  );
  console.log(`[bench] answers, burst: ${WAVES} waves of ${A} members with no pause…`);
  const burstRun = await withCpu(async () => {
    for (let w = 1; w <= WAVES; w++) await Promise.all(Array.from({ length: A }, (_, j) => answerSet(w * A + j, answerTimes.burst, 0)));
  });
  const logMem = await kit.logMemory(members.slice(0, A * (WAVES + 1)).map((m) => m.userId));

  // The most-failed list, after failure counts across the bank.
  console.log(`[bench] noting ${FAILURES} answers in the failure counts, then the most-failed list ×${HARD_RUNS}…`);
  await kit.seedFailures(bank, FAILURES);
  const hard = await withCpu(() => timedRequests(HARD_RUNS, 1, () => api('GET', '/api/questions/hard', admin)));
  const hardOnce = await api('GET', '/api/questions/hard', admin);
  const loadAfter = os.loadavg().map((x) => x.toFixed(2)).join(' ');

  report({ loadAtStart, loadAfter, membersMs, cardsMs, written, memBefore, memAfter, cardRows, first, repeat, pacedRun, burstRun, floorTimes, floorRun, answerTimes, dailyCost, answerBad, answered, rightN, logMem, hard, hardItems: hardOnce.body?.items?.length ?? 0, bankSize: bank.length });
}

function badText(map) {
  return map.size ? ` (failed: ${JSON.stringify(Object.fromEntries(map))})` : '';
}

function report(r) {
  const line = '-'.repeat(110);
  console.log('');
  console.log(`self review benchmark: ${M} members × ${C} cards = ${r.written} cards over a bank of ${r.bankSize} questions`);
  console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB, node ${process.version}; load average at start ${r.loadAtStart}, after ${r.loadAfter}; load generator in this same process`);
  console.log(`seeding: ${M} members + login sessions ${f(r.membersMs / 1000)} s, cards ${f(r.cardsMs / 1000)} s`);
  console.log(line);
  const bytes = r.cardRows.reduce((n, x) => n + x.bytes, 0);
  const cardsN = r.cardRows.reduce((n, x) => n + x.cards, 0);
  const perCard = bytes / cardsN;
  const encodings = [...new Set(r.cardRows.map((x) => x.encoding))].join(', ');
  const infoPerCard = (r.memAfter.used - r.memBefore.used) / r.written;
  console.log(`Redis memory: MEMORY USAGE of ${r.cardRows.length} members' card hashes (${encodings}): ${f(bytes / r.cardRows.length / 1024)} KB a member, ${f(perCard)} bytes per card`);
  console.log(`  INFO used_memory ${f(r.memBefore.used / 2 ** 20)} -> ${f(r.memAfter.used / 2 ** 20)} MB (+${f((r.memAfter.used - r.memBefore.used) / 2 ** 20)} MB = ${f(infoPerCard)} bytes per card); dataset ${f(r.memBefore.dataset / 2 ** 20)} -> ${f(r.memAfter.dataset / 2 ** 20)} MB`);
  console.log(`  review log (append-only, one line per card change; not in the figures above): ${r.logMem.lines ? `${f(r.logMem.bytes / r.logMem.lines)} bytes a line (${r.logMem.lines} lines written by the answers below)` : '-'}`);
  console.log(line);
  const D1 = stats(r.first.out.times);
  const D2 = stats(r.repeat.out.times);
  const AP = stats(r.answerTimes.paced);
  const AB = stats(r.answerTimes.burst);
  const H = stats(r.hard.out.times);
  console.log('                                       n      p50      p99      max   wall s  server CPU s  redis CPU s');
  const row = (name, s, run) => console.log(`${name.padEnd(34)} ${String(s.n).padStart(6)} ${f(s.p50).padStart(8)} ${f(s.p99).padStart(8)} ${f(s.max).padStart(8)} ${f(run.wall / 1000).padStart(8)} ${f(run.server).padStart(13)} ${f(run.redis).padStart(12)}`);
  row(`daily set, first call (conc ${DAILY_CONC})`, D1, r.first);
  row(`daily set, repeat (conc ${DAILY_CONC})`, D2, r.repeat);
  row(`answer, paced (${A} at once)`, AP, r.pacedRun);
  row(`floor: GET /readyz, paced (${A})`, stats(r.floorTimes), r.floorRun);
  row(`answer, burst (${A} at once ×${WAVES})`, AB, r.burstRun);
  row('most-failed list (admin)', H, r.hard);
  console.log(`times in ms, request sent -> response read, over REST on loopback. answers: ${r.answered} graded (${r.rightN} right)${badText(r.answerBad)}; daily first${badText(r.first.out.bad)}, repeat${badText(r.repeat.out.bad)}; most-failed list: ${r.hardItems} items from ${FAILURES} noted answers, first fetch ${f(r.hard.out.times[0])} ms${badText(r.hard.out.bad)}`);
  console.log(`  answers: paced ${f(AP.n / (r.pacedRun.wall / 1000))}/s offered, burst ${f(AB.n / (r.burstRun.wall / 1000))}/s (the server's throughput); server CPU ${f((r.burstRun.server * 1000) / Math.max(1, AB.n))} ms and ${f(r.burstRun.commands / Math.max(1, AB.n))} Redis commands an answer`);
  console.log(`  daily set: server CPU ${f((r.first.server * 1000) / Math.max(1, D1.n))} ms and ${f(r.first.commands / Math.max(1, D1.n))} Redis commands a first call; ${f((r.repeat.server * 1000) / Math.max(1, D2.n))} ms and ${f(r.repeat.commands / Math.max(1, D2.n))} commands a repeat`);
  const dc = r.dailyCost;
  const mean = (k) => dc.reduce((n, x) => n + (Number.isFinite(x[k]) ? x[k] : 0), 0) / dc.length;
  const filled = dc.filter((x) => Number.isFinite(x.bankAll)).length;
  console.log(`  a first call's parts on the server's stores (${dc.length} members, from the bench process): cards.all ${f(mean('cardsAll'))} ms; ${f(mean('due'))} due cards whose questions are all fetched ${f(mean('dueFetch'))} ms; ${filled}/${dc.length} had fewer than 5 due and so read the whole bank (${dc.find((x) => x.bank)?.bank ?? '-'} questions) ${f(dc.filter((x) => Number.isFinite(x.bankAll)).reduce((n, x) => n + x.bankAll, 0) / Math.max(1, filled))} ms + sha1 order ${f(dc.filter((x) => Number.isFinite(x.mixSort)).reduce((n, x) => n + x.mixSort, 0) / Math.max(1, filled))} ms`);
  console.log(line);
  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
  const targets = [
    ['answer p99 (paced)', `${f(AP.p99)} ms`, `< ${TARGET.answerP99} ms`, AP.n > 0 && AP.p99 < TARGET.answerP99],
    ['answer p99 (burst, no pause)', `${f(AB.p99)} ms`, `< ${TARGET.answerP99} ms`, AB.n > 0 && AB.p99 < TARGET.answerP99],
    ['daily set p99 (first call)', `${f(D1.p99)} ms`, `< ${TARGET.dailyP99} ms`, D1.n > 0 && D1.p99 < TARGET.dailyP99],
    ['daily set p99 (repeat)', `${f(D2.p99)} ms`, `< ${TARGET.dailyP99} ms`, D2.n > 0 && D2.p99 < TARGET.dailyP99],
    ['Redis bytes per card (MEMORY USAGE)', f(perCard), `< ${TARGET.bytesPerCard}`, perCard < TARGET.bytesPerCard],
    ['Redis bytes per card (INFO delta)', f(infoPerCard), `< ${TARGET.bytesPerCard}`, infoPerCard < TARGET.bytesPerCard],
  ];
  console.log('target                                  measured    target     result');
  for (const [name, got, want, ok] of targets) console.log(`${name.padEnd(38)} ${got.padStart(10)} ${want.padStart(9)}     ${verdict(ok)}`);
  const scale = M === 5000 && C === 300 && A === 200 ? '' : ` (the issue sets the targets for 5,000 members × 300 cards and 200 answering; this run had ${M} × ${C}, ${A})`;
  console.log(targets.every((t) => t[3]) ? `PASS: every target met${scale}` : `FAIL: ${targets.filter((t) => !t[3]).map((t) => t[0]).join(', ')}${scale}`);
}

try {
  await main();
} finally {
  await cleanup();
}
