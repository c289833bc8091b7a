import type { Question, QuestionContent } from '../../shared/schemas/questions';
import { normaliseForCompare } from '../../shared/text';
import type { RedisClient } from '../infra/redis';
import { keys } from './keys';
import { LuaScript } from './scripts';
import saveQuestionLua from './scripts/saveQuestion.lua?raw';
import deleteQuestionLua from './scripts/deleteQuestion.lua?raw';

const saveScript = new LuaScript(saveQuestionLua);
const deleteScript = new LuaScript(deleteQuestionLua);

/** Two questions are the same when their texts match after trimming, width and case folding. */
export const questionTextKey = (text: string) => normaliseForCompare(text);

/** What a stored question keeps besides its content; no branchId means organisation-wide. */
type Meta = Pick<Question, 'id' | 'createdBy'> & { branchId?: string | null };

function fromHash(h: Record<string, string>): Question | null {
  if (!h.id || !h.json) return null;
  const body = JSON.parse(h.json) as QuestionContent & { createdBy: string; branchId?: string | null };
  // Questions stored before owner scopes existed have no branchId: they are organisation-wide.
  return { ...body, branchId: body.branchId ?? null, id: h.id, version: Number(h.version), updatedAt: Number(h.updatedAt) };
}

/** A question's content alone (what an edit writes), without its id, owner or version. */
export function contentOf(q: Question): QuestionContent {
  const { id: _id, createdBy: _by, branchId: _b, updatedAt: _at, version: _v, ...content } = q;
  return content;
}

/** Tag counts, most used first, then by name. */
export const byTagCount = (a: { tag: string; count: number }, b: { tag: string; count: number }) => b.count - a.count || a.tag.localeCompare(b.tag, 'zh-CN');

export type SaveOutcome = { ok: true; version: number } | { ok: false; reason: 'missing' | 'stale' | 'duplicate' };

export function createQuestionsStore(redis: RedisClient) {
  async function getMany(ids: string[]): Promise<Question[]> {
    if (ids.length === 0) return [];
    const multi = redis.multi();
    for (const id of ids) multi.hGetAll(keys.question(id));
    const replies = (await multi.execAsPipeline()) as unknown as Record<string, string>[];
    return replies.map(fromHash).filter((q): q is Question => q !== null);
  }

  async function save(meta: Meta, content: QuestionContent, previous: Question | null, expectedVersion: number, now: number): Promise<SaveOutcome> {
    const oldTags = previous?.tags ?? [];
    const result = Number(
      await saveScript.run(
        redis,
        [keys.question(meta.id), keys.questionsAll(), keys.questionsByText(), keys.questionTags(), ...content.tags.map(keys.questionTag), ...oldTags.map(keys.questionTag)],
        [
          meta.id,
          expectedVersion,
          questionTextKey(content.text),
          previous ? questionTextKey(previous.text) : '',
          now,
          JSON.stringify({ ...content, createdBy: meta.createdBy, branchId: meta.branchId ?? null }),
          content.tags.length,
          ...content.tags,
          ...oldTags,
        ],
      ),
    );
    if (result > 0) return { ok: true, version: result };
    return { ok: false, reason: result === 0 ? 'missing' : result === -1 ? 'stale' : 'duplicate' };
  }

  return {
    create: (meta: Meta, content: QuestionContent, now: number) => save(meta, content, null, 0, now),
    /** Edits content (and the owner scope when `branchId` is given; otherwise it is kept). */
    update: (previous: Question, content: QuestionContent, expectedVersion: number, now: number, branchId = previous.branchId) =>
      save({ id: previous.id, createdBy: previous.createdBy, branchId }, content, previous, expectedVersion, now),

    async get(id: string): Promise<Question | null> {
      return fromHash(await redis.hGetAll(keys.question(id)));
    },

    async findIdByText(text: string): Promise<string | null> {
      return (await redis.hGet(keys.questionsByText(), questionTextKey(text))) ?? null;
    },

    /** Every question, newest edit first. */
    async all(): Promise<Question[]> {
      return getMany(await redis.zRange(keys.questionsAll(), 0, -1, { REV: true }));
    },

    /** The questions with these ids that exist, in one round trip. */
    getMany,

    count: () => redis.zCard(keys.questionsAll()),

    async idsWithTag(tag: string): Promise<string[]> {
      return redis.sMembers(keys.questionTag(tag));
    },

    async tagCounts(): Promise<{ tag: string; count: number }[]> {
      const tags = await redis.sMembers(keys.questionTags());
      const counts = await Promise.all(tags.map((t) => redis.sCard(keys.questionTag(t))));
      return tags.map((tag, i) => ({ tag, count: counts[i] ?? 0 })).sort(byTagCount);
    },

    async remove(q: Question): Promise<boolean> {
      const result = await deleteScript.run(
        redis,
        [keys.question(q.id), keys.questionsAll(), keys.questionsByText(), keys.questionTags(), ...q.tags.map(keys.questionTag)],
        [q.id, questionTextKey(q.text), ...q.tags],
      );
      return result === 1;
    },

    /** Marks the starter bank as loaded (or the bank as used) so a restart never loads it again. */
    markSeeded: (now: number) => redis.set(keys.bankSeeded(), String(now)),
    isSeeded: async () => (await redis.exists(keys.bankSeeded())) === 1,
  };
}

export type QuestionsStore = ReturnType<typeof createQuestionsStore>;
