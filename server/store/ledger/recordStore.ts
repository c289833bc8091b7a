import { LEDGER_KINDS, type LedgerEntry, type LedgerKind } from '../../../shared/schemas/ledger';
import type { RedisClient } from '../../infra/redis';
import { bucketsOfDay } from '../../domain/ledger/period';
import { keys } from '../keys';
import { LuaScript } from '../scripts';
import ledgerRecordLua from '../scripts/ledgerRecord.lua?raw';

const recordScript = new LuaScript(ledgerRecordLua);

/** What a report needs of one member in a span of days: counted from the aggregates, never from the record. */
export interface MemberAggregate {
  /** Qualifying activities, and per kind. */
  activities: number;
  kinds: Partial<Record<LedgerKind, number>>;
  hours: number;
  /** Right answers / questions in live games and exams (quiz and exam accuracy). */
  correct: number;
  total: number;
  /** Meetings missed (缺席 or 请假 in a study session). */
  missed: number;
}

export const emptyAggregate = (): MemberAggregate => ({ activities: 0, kinds: {}, hours: 0, correct: 0, total: 0, missed: 0 });

/**
 * Adds one aggregate hash (a field per member: `activities,hours,correct,total,missed,<count per kind>`, kinds in
 * LEDGER_KINDS order; see ledgerRecord.lua) into `into`.
 */
function addHash(into: Map<string, MemberAggregate>, hash: Record<string, string>): void {
  for (const [member, raw] of Object.entries(hash)) {
    const v = raw.split(',').map(Number);
    let agg = into.get(member);
    if (!agg) into.set(member, (agg = emptyAggregate()));
    agg.activities += v[0] ?? 0;
    agg.hours += v[1] ?? 0;
    agg.correct += v[2] ?? 0;
    agg.total += v[3] ?? 0;
    agg.missed += v[4] ?? 0;
    LEDGER_KINDS.forEach((kind, k) => {
      const n = v[5 + k] ?? 0;
      if (n > 0) agg.kinds[kind] = (agg.kinds[kind] ?? 0) + n;
    });
  }
}

export interface StoredEntryWrite {
  entry: LedgerEntry;
  day: string;
  qualifying: boolean;
  /** Counts towards quiz and exam accuracy. */
  scored: boolean;
  missedMeeting: boolean;
}

const CHUNK = 500;

function parseEntry(id: string, raw: string | null): LedgerEntry | null {
  if (!raw) return null;
  return { ...(JSON.parse(raw) as Omit<LedgerEntry, 'id'>), id };
}

export function createLedgerRecordStore(redis: RedisClient) {
  async function entriesByIds(ids: string[]): Promise<LedgerEntry[]> {
    const out: LedgerEntry[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const slice = ids.slice(i, i + CHUNK);
      const raws = await redis.hmGet(keys.ledgerEntries(), slice);
      slice.forEach((id, j) => {
        const e = parseEntry(id, raws[j] ?? null);
        if (e) out.push(e);
      });
    }
    return out;
  }

  return {
    /** Writes each entry unless its id is there already; returns the entries that were new. */
    async write(writes: StoredEntryWrite[]): Promise<LedgerEntry[]> {
      const results = await Promise.all(
        writes.map(({ entry, day, qualifying, scored, missedMeeting }) => {
          const { id, ...rest } = entry;
          return recordScript.run(
            redis,
            [keys.ledgerEntries(), keys.ledgerMember(entry.memberId), keys.ledgerBranch(entry.branchId), ...bucketsOfDay(day).flatMap((b) => [keys.ledgerAgg(entry.branchId, b), keys.ledgerWho(entry.branchId, b)])],
            [id, JSON.stringify(rest), entry.at, entry.memberId, LEDGER_KINDS.indexOf(entry.kind) + 1, qualifying ? 1 : 0, entry.hours, scored ? entry.result.correct ?? 0 : 0, scored ? entry.result.total ?? 0 : 0, missedMeeting ? 1 : 0],
          );
        }),
      );
      return writes.filter((_, i) => results[i] === 1).map((w) => w.entry);
    },

    async has(id: string): Promise<boolean> {
      return (await redis.hExists(keys.ledgerEntries(), id)) === 1;
    },

    async isEmpty(): Promise<boolean> {
      return (await redis.hLen(keys.ledgerEntries())) === 0;
    },

    /** A member's entries in [start, end), oldest first. */
    async ofMember(memberId: string, start = 0, end = Number.MAX_SAFE_INTEGER): Promise<LedgerEntry[]> {
      return entriesByIds(await redis.zRangeByScore(keys.ledgerMember(memberId), start, `(${end}`));
    },

    /** A branch's entries in [start, end), oldest first, a chunk at a time (an export streams them). */
    async *ofBranch(branchId: string | null, start: number, end: number): AsyncGenerator<LedgerEntry[]> {
      let offset = 0;
      for (;;) {
        const ids = await redis.zRangeByScore(keys.ledgerBranch(branchId), start, `(${end}`, { LIMIT: { offset, count: CHUNK } });
        if (ids.length === 0) return;
        yield await entriesByIds(ids);
        if (ids.length < CHUNK) return;
        offset += ids.length;
      }
    },

    /** Per branch and member, the sum of the aggregate buckets listed (a period's `periodBuckets`), in one round trip. */
    async aggregatesMany(branchIds: string[], buckets: string[]): Promise<Map<string, Map<string, MemberAggregate>>> {
      const out = new Map<string, Map<string, MemberAggregate>>(branchIds.map((b) => [b, new Map()]));
      if (branchIds.length === 0 || buckets.length === 0) return out;
      const multi = redis.multi();
      for (const b of branchIds) for (const bucket of buckets) multi.hGetAll(keys.ledgerAgg(b, bucket));
      const hashes = (await multi.execAsPipeline()) as unknown as Record<string, string>[];
      branchIds.forEach((b, i) => {
        for (let j = 0; j < buckets.length; j++) addHash(out.get(b)!, hashes[i * buckets.length + j]!);
      });
      return out;
    },

    /** Per branch, who took part in any of the buckets (a trend needs only this, not every figure). */
    async participantsMany(branchIds: string[], buckets: string[]): Promise<Map<string, Set<string>>> {
      const out = new Map<string, Set<string>>(branchIds.map((b) => [b, new Set()]));
      if (branchIds.length === 0 || buckets.length === 0) return out;
      const multi = redis.multi();
      for (const b of branchIds) for (const bucket of buckets) multi.sMembers(keys.ledgerWho(b, bucket));
      const sets = (await multi.execAsPipeline()) as unknown as string[][];
      branchIds.forEach((b, i) => {
        const into = out.get(b)!;
        for (let j = 0; j < buckets.length; j++) for (const m of sets[i * buckets.length + j]!) into.add(m);
      });
      return out;
    },

    /** A meeting the branch held (a study session that ended), once per session. */
    async addMeeting(branchId: string, sessionKind: string, sessionId: string, at: number): Promise<void> {
      await redis.zAdd(keys.ledgerMeetings(branchId), { score: at, value: `${sessionKind}:${sessionId}` }, { NX: true });
    },

    /** Meetings held in [start, end): kind and time. */
    async meetings(branchIds: string[], start: number, end: number): Promise<Map<string, { kind: string; at: number }[]>> {
      const multi = redis.multi();
      for (const b of branchIds) multi.zRangeByScoreWithScores(keys.ledgerMeetings(b), start, `(${end}`);
      const replies = (await multi.execAsPipeline()) as unknown as { value: string; score: number }[][];
      return new Map(branchIds.map((b, i) => [b, (replies[i] ?? []).map((r) => ({ kind: r.value.slice(0, r.value.indexOf(':')), at: r.score }))]));
    },
  };
}

export type LedgerRecordStore = ReturnType<typeof createLedgerRecordStore>;
