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

/** What a stored question keeps besides its content. */
type Meta = Pick<Question, 'id' | 'createdBy'>;

function fromHash(h: Record<string, string>): Question | null {
  if (!h.id || !h.json) return null;
  const body = JSON.parse(h.json) as QuestionContent & { createdBy: string };
  return { ...body, id: h.id, version: Number(h.version), updatedAt: Number(h.updatedAt) };
}

export type SaveOutcome = { ok: true; version: number } | { ok: false; reason: 'missing' | 'stale' | 'duplicate' };

export function createQuestionsStore(redis: RedisClient) {
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
          JSON.stringify({ ...content, createdBy: meta.createdBy }),
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
    update: (previous: Question, content: QuestionContent, expectedVersion: number, now: number) =>
      save({ id: previous.id, createdBy: previous.createdBy }, content, previous, expectedVersion, now),

    async get(id: string): Promise<Question | null> {
      return fromHash(await redis.hGetAll(keys.question(id)));
    },

    async findIdByText(text: string): Promise<string | null> {
      return (await redis.hGet(keys.questionsByText(), questionTextKey(text))) ?? null;
    },

    /** Every question, newest edit first. */
    async all(): Promise<Question[]> {
      const ids = await redis.zRange(keys.questionsAll(), 0, -1, { REV: true });
      if (ids.length === 0) return [];
      const multi = redis.multi();
      for (const id of ids) multi.hGetAll(keys.question(id));
      const replies = (await multi.execAsPipeline()) as unknown as Record<string, string>[];
      return replies.map(fromHash).filter((q): q is Question => q !== null);
    },

    count: () => redis.zCard(keys.questionsAll()),

    async idsWithTag(tag: string): Promise<string[]> {
      return redis.sMembers(keys.questionTag(tag));
    },

    async tagCounts(): Promise<{ tag: string; count: number }[]> {
      const tags = await redis.sMembers(keys.questionTags());
      const counts = await Promise.all(tags.map((t) => redis.sCard(keys.questionTag(t))));
      return tags.map((tag, i) => ({ tag, count: counts[i] ?? 0 })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag, 'zh-CN'));
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
