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
  };
}

export type QuestionsService = ReturnType<typeof createQuestionsService>;
