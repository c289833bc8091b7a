import type { ListResult } from '../../shared/schemas/common';
import type { ListQuestionsQuery, Question, QuestionContent, UpdateQuestionInput } from '../../shared/schemas/questions';
import type { User } from '../../shared/schemas/users';
import { normaliseForCompare } from '../../shared/text';
import { conflict, forbidden, notFound } from '../domain/errors';
import { isStaff } from '../domain/permissions';
import { newId } from '../store/ids';
import type { QuestionsStore } from '../store/questionsStore';
import type { Clock } from '../infra/clock';

/** Text search covers the stem, the options and the explanation; Chinese substrings match. */
function matches(q: Question, query: ListQuestionsQuery): boolean {
  if (query.type && q.type !== query.type) return false;
  if (query.difficulty && q.difficulty !== query.difficulty) return false;
  if (query.tag && !q.tags.includes(query.tag)) return false;
  if (query.q) {
    const needle = normaliseForCompare(query.q);
    return normaliseForCompare([q.text, ...q.options, q.explanation].join('\n')).includes(needle);
  }
  return true;
}

/** The bank holds the answer keys: only admins and secretaries reach it. */
const requireStaff = (actor: User) => {
  if (!isStaff(actor)) throw forbidden('题库仅对管理员和支部书记开放');
};

export function createQuestionsService(questions: QuestionsStore, clock: Clock) {
  /**
   * Rewrites the tags of every question tagged `tag`, each as an ordinary versioned edit (so an editor holding an
   * older version gets CONFLICT, never a silent overwrite). Per question, not all at once: a run cut short leaves
   * some questions done, and running it again finishes the rest.
   */
  async function retag(tag: string, rewrite: (tags: string[]) => string[]): Promise<{ updated: number }> {
    const ids = await questions.idsWithTag(tag);
    if (ids.length === 0) throw notFound('标签');
    let updated = 0;
    for (const id of ids) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const q = await questions.get(id);
        if (!q || !q.tags.includes(tag)) break;
        const { id: _id, createdBy: _by, updatedAt: _at, version, ...content } = q;
        const outcome = await questions.update(q, { ...content, tags: rewrite(q.tags) }, version, clock.now());
        if (outcome.ok) updated++;
        if (outcome.ok || outcome.reason !== 'stale') break;
      }
    }
    return { updated };
  }

  return {
    requireStaff,

    async list(actor: User, query: ListQuestionsQuery): Promise<ListResult<Question>> {
      requireStaff(actor);
      const found = (await questions.all()).filter((q) => matches(q, query));
      const start = (query.page - 1) * query.pageSize;
      return { items: found.slice(start, start + query.pageSize), total: found.length };
    },

    async get(actor: User, id: string): Promise<Question> {
      requireStaff(actor);
      const q = await questions.get(id);
      if (!q) throw notFound('题目');
      return q;
    },

    async create(actor: User, content: QuestionContent): Promise<Question> {
      requireStaff(actor);
      const meta = { id: newId(), createdBy: actor.id };
      const now = clock.now();
      const outcome = await questions.create(meta, content, now);
      if (!outcome.ok) throw conflict('题库中已有题干相同的题目');
      await questions.markSeeded(now);
      return { ...content, ...meta, version: outcome.version, updatedAt: now };
    },

    async update(actor: User, id: string, input: UpdateQuestionInput): Promise<Question> {
      requireStaff(actor);
      const previous = await questions.get(id);
      if (!previous) throw notFound('题目');
      const { version, ...content } = input;
      const now = clock.now();
      const outcome = await questions.update(previous, content, version, now);
      if (!outcome.ok) {
        if (outcome.reason === 'missing') throw notFound('题目');
        if (outcome.reason === 'stale') throw conflict('该题目已被他人修改，请刷新后再编辑', { currentVersion: previous.version });
        throw conflict('题库中已有题干相同的题目');
      }
      return { ...content, id, createdBy: previous.createdBy, version: outcome.version, updatedAt: now };
    },

    async remove(actor: User, id: string): Promise<void> {
      requireStaff(actor);
      const q = await questions.get(id);
      if (!q || !(await questions.remove(q))) throw notFound('题目');
    },

    async tags(actor: User) {
      requireStaff(actor);
      return { items: await questions.tagCounts() };
    },

    /** Renames `from` to `to` on every question that has it (merging when `to` exists). Returns how many changed. */
    renameTag(actor: User, from: string, to: string) {
      requireStaff(actor);
      return retag(from, (tags) => [...new Set(tags.map((t) => (t === from ? to : t)))]);
    },

    /** Takes `tag` off every question (the questions stay). Returns how many changed. */
    removeTag(actor: User, tag: string) {
      requireStaff(actor);
      return retag(tag, (tags) => tags.filter((t) => t !== tag));
    },
  };
}

export type QuestionsService = ReturnType<typeof createQuestionsService>;
