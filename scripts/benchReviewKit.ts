/**
 * The parts of `npm run bench:review` that run the server's own code in the bench process (bundled on the fly by
 * scripts/bench-review.mjs with esbuild, like benchStudyKit.ts): members and their login sessions through the real
 * users and sessions stores, 300 FSRS cards each in the cards store's own encoding and keys, failure counts through
 * the failures store, and Redis's own measure of what the cards take.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../server/config';
import type { ReviewGrade } from '../server/domain/review/grade';
import { createLogger } from '../server/infra/logger';
import { connectRedis } from '../server/infra/redis';
import { createScheduler, type CardFields } from '../server/services/review/scheduler';
import { hashPassword } from '../server/services/passwords';
import { keys } from '../server/store/keys';
import { createQuestionsStore } from '../server/store/questionsStore';
import { createCardsStore, encodeCard, type StoredCard } from '../server/store/review/cardsStore';
import { createFailuresStore } from '../server/store/review/failuresStore';
import { newId } from '../server/store/ids';
import { createSessionsStore } from '../server/store/sessionsStore';
import { createUsersStore } from '../server/store/usersStore';
import { usedMemory } from './benchRedisInfo';

const DAY = 86_400_000;
const logger = createLogger('warn');

/** A small deterministic PRNG (mulberry32): the same seed gives the same bank of cards on every run. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Real cards from the server's scheduler (ts-fsrs), first seen 30 to 150 days ago and reviewed around each due date
 * (80 % right). About 70 % of members' cards are kept up to date (due in the future); the rest were left when the
 * member stopped reviewing them up to three weeks ago and are overdue now, as a member's backlog is.
 */
function cardPool(size: number, now: number, rand: () => number): CardFields[] {
  const scheduler = createScheduler();
  const pool: CardFields[] = [];
  for (let i = 0; i < size; i++) {
    const until = rand() < 0.7 ? now : now - Math.floor(rand() * 21 * DAY);
    let at = now - Math.floor((30 + rand() * 120) * DAY);
    let card: CardFields | null = null;
    for (let r = 0; r < 20 && (card === null || at < until); r++) {
      const grade: ReviewGrade = rand() < 0.8 ? 'good' : 'again';
      card = scheduler.review(card, grade, at).card;
      // The member comes back around the due date (a little early or late).
      at = Math.max(card.due + Math.floor((rand() - 0.3) * 2 * DAY), card.lastReview! + 60_000);
    }
    pool.push(card!);
  }
  return pool;
}

export async function openKit(socketPath: string) {
  const redis = await connectRedis({ socketPath }, logger, 0);
  const questions = createQuestionsStore(redis);
  const cards = createCardsStore(redis);
  const failures = createFailuresStore(redis);

  return {
    /** The bank's organisation-wide questions with their keys (the bench answers right or wrong on purpose). */
    async bank() {
      return (await questions.all()).filter((q) => q.branchId === null).map((q) => ({ id: q.id, type: q.type, options: q.options.length, answer: q.answer }));
    },

    /** Members of a branch with one shared password hash (one argon2 run, not N) and a login session each. */
    async seedMembers(branchId: string, count: number, tag: string) {
      const users = createUsersStore(redis);
      const sessions = createSessionsStore(redis, loadConfig({}).sessionIdleMs);
      const passwordHash = await hashPassword(`bench-${tag}-unused`);
      const out: { userId: string; cookie: string }[] = [];
      const now = Date.now();
      for (let start = 0; start < count; start += 500) {
        const batch = Array.from({ length: Math.min(500, count - start) }, (_, j) => start + j);
        out.push(
          ...(await Promise.all(
            batch.map(async (i) => {
              const id = newId();
              const outcome = await users.create({ id, username: `bench_${tag}_${i}`, displayName: `党员${tag}${String(i).padStart(5, '0')}`, role: 'member', branchId, disabled: false, mustChangePassword: false, passwordHash, createdAt: now + i });
              if (outcome !== 'created') throw new Error(`seeding member ${i}: ${outcome}`);
              return { userId: id, cookie: `sid=${(await sessions.create(id, now)).id}` };
            }),
          )),
        );
      }
      return out;
    },

    /**
     * `perMember` cards for each member over a random part of the bank, each one HSET of the whole hash (the value
     * is the cards store's encodeCard, the key keys.reviewCards: the bytes cards.save writes, without 1.5 M MULTI
     * round trips). The review log is left empty here: the answers phase measures what its lines take.
     */
    async seedCards(memberIds: string[], questionIds: string[], perMember: number, now: number) {
      if (perMember > questionIds.length) throw new Error(`${perMember} cards a member need at least as many questions, the bank has ${questionIds.length}`);
      const rand = seeded(20_261_201);
      const pool = cardPool(4000, now, rand);
      let written = 0;
      for (let start = 0; start < memberIds.length; start += 50) {
        const tx = redis.multi();
        for (const memberId of memberIds.slice(start, start + 50)) {
          // A random window of the bank: every question is carded by about the same share of members.
          const offset = Math.floor(rand() * questionIds.length);
          const hash: Record<string, string> = {};
          for (let j = 0; j < perMember; j++) {
            const card: StoredCard = { ...pool[Math.floor(rand() * pool.length)]!, questionVersion: 1 };
            hash[questionIds[(offset + j) % questionIds.length]!] = encodeCard(card);
          }
          tx.hSet(keys.reviewCards(memberId), hash);
          written += perMember;
        }
        await tx.execAsPipeline();
      }
      return written;
    },

    /** What the cards store reads back for one member (the seeded encoding decodes like the server's). */
    async cardCount(memberId: string) {
      return (await cards.all(memberId)).size;
    },

    /** Answers across members through the failures store (学员常错题's counts, wrong answers, some leeches). */
    async seedFailures(bank: { id: string; type: string; options: number; answer: unknown }[], answers: number) {
      const rand = seeded(7);
      let left = answers;
      const worker = async () => {
        while (left-- > 0) {
          // A few questions are much harder than the rest (the list has something to rank).
          const q = bank[Math.floor(rand() ** 2 * bank.length)]!;
          const correct = rand() < 0.75;
          const wrong = q.options > 0 ? Math.floor(rand() * q.options) : '错误的填空';
          await failures.note(q.id, correct, correct ? q.answer : wrong);
        }
      };
      await Promise.all(Array.from({ length: 64 }, worker));
      for (const q of bank.slice(0, 20)) await failures.markLeech(q.id);
    },

    /**
     * Where a first call of the day goes, step by step as server/services/review/daily.ts does it on the same stores
     * (read-only: nothing is written): the member's cards, the due questions fetched, the whole bank when the due
     * cards do not fill the set, and the per-member hash order of the new candidates.
     */
    async dailyCost(memberIds: string[], count: number, now: number) {
      const rows: { cardsAll: number; due: number; dueFetch: number; bankAll: number; mixSort: number; bank: number }[] = [];
      for (const memberId of memberIds) {
        let t0 = performance.now();
        const all = await cards.all(memberId);
        const cardsAll = performance.now() - t0;
        const due = [...all].filter(([, c]) => c.due <= now).sort(([, a], [, b]) => a.due - b.due).map(([id]) => id);
        t0 = performance.now();
        await questions.getMany(due);
        const dueFetch = performance.now() - t0;
        let bankAll = NaN;
        let mixSort = NaN;
        let bank = 0;
        if (due.length < count) {
          t0 = performance.now();
          const ids = (await questions.all()).map((q) => q.id);
          bankAll = performance.now() - t0;
          bank = ids.length;
          t0 = performance.now();
          const mix = (id: string) => createHash('sha1').update(`${memberId}:${id}`).digest('hex');
          ids.filter((id) => !all.has(id)).sort((a, b) => mix(a).localeCompare(mix(b)));
          mixSort = performance.now() - t0;
        }
        rows.push({ cardsAll, due: due.length, dueFetch, bankAll, mixSort, bank });
      }
      return rows;
    },

    /** MEMORY USAGE (all samples) of each sampled member's cards hash, its length and encoding. */
    async cardMemory(memberIds: string[]) {
      const rows: { bytes: number; cards: number; encoding: string }[] = [];
      for (const id of memberIds) {
        const key = keys.reviewCards(id);
        const [bytes, cardsN, encoding] = await Promise.all([redis.memoryUsage(key, { SAMPLES: 0 }), redis.hLen(key), redis.objectEncoding(key)]);
        rows.push({ bytes: Number(bytes ?? 0), cards: Number(cardsN), encoding: String(encoding) });
      }
      return rows;
    },

    /** MEMORY USAGE of the sampled members' review logs and their line counts. */
    async logMemory(memberIds: string[]) {
      let bytes = 0;
      let lines = 0;
      for (const id of memberIds) {
        const key = keys.reviewLog(id);
        const n = await redis.lLen(key);
        if (n === 0) continue;
        bytes += Number((await redis.memoryUsage(key, { SAMPLES: 0 })) ?? 0);
        lines += n;
      }
      return { bytes, lines };
    },

    /** Commands Redis has processed so far (INFO stats), to count what one request costs in round trips. */
    async commands() {
      return Number(/^total_commands_processed:(\d+)/m.exec(await redis.info('stats'))?.[1] ?? NaN);
    },

    /** INFO memory's used_memory and used_memory_dataset (bytes). */
    usedMemory: () => usedMemory(redis),

    async close() {
      await redis.quit();
    },
  };
}

export type BenchReviewKit = Awaited<ReturnType<typeof openKit>>;
