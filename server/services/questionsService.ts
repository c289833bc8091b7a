import type { ListResult } from '../../shared/schemas/common';
import type { CreateQuestionInput, ListQuestionsQuery, Question, UpdateQuestionInput } from '../../shared/schemas/questions';
import type { Quiz } from '../../shared/schemas/quizzes';
import type { User } from '../../shared/schemas/users';
import { normaliseForCompare } from '../../shared/text';
import { conflict, forbidden, notFound } from '../domain/errors';
import { canEditScoped, canSeeScoped, isStaff, scopeIncludes } from '../domain/permissions';
import type { BranchesStore } from '../store/branchesStore';
import { newId } from '../store/ids';
import { byTagCount, contentOf, type QuestionsStore } from '../store/questionsStore';
import type { QuizzesStore } from '../store/quizzesStore';
import type { Clock } from '../infra/clock';
import { ownerBranch } from './ownerScope';

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

/** 《甲》《乙》《丙》等 5 份 */
const quizNames = (quizzes: Quiz[]) => quizzes.slice(0, 3).map((z) => `《${z.title}》`).join('') + (quizzes.length > 3 ? `等 ${quizzes.length} 份` : '');
const quizRefs = (quizzes: Quiz[]) => ({ quizzes: quizzes.map(({ id, title }) => ({ id, title })) });

export function createQuestionsService(questions: QuestionsStore, quizzes: QuizzesStore, branches: BranchesStore, clock: Clock) {
  /** A question the actor may see: other branches' questions are not theirs to read. */
  async function load(actor: User, id: string): Promise<Question> {
    requireStaff(actor);
    const q = await questions.get(id);
    if (!q) throw notFound('题目');
    if (!canSeeScoped(actor, q)) throw forbidden('这是其他支部的题目');
    return q;
  }

  /** A question the actor may change: a secretary only their own branch's. */
  async function loadEditable(actor: User, id: string): Promise<Question> {
    const q = await load(actor, id);
    if (!canEditScoped(actor, q)) throw forbidden(q.branchId === null ? '全组织题目只能由管理员修改或删除' : '这是其他支部的题目，只能由该支部书记或管理员修改');
    return q;
  }

  /** Quizzes whose fixed list names the question (draws are made when a game starts, so they do not hold it). */
  async function quizzesUsing(id: string): Promise<Quiz[]> {
    return (await quizzes.all()).filter((z) => z.questionIds.includes(id));
  }

  /** Moving a question into a branch must not hide it from a quiz that lists it (every quiz's audience sees its questions). */
  async function checkScopeMove(q: Question, branchId: string | null): Promise<void> {
    if (branchId === q.branchId || branchId === null) return;
    const blocked = (await quizzesUsing(q.id)).filter((z) => !scopeIncludes(z.branchId, { branchId }));
    if (blocked.length) throw conflict(`该题目被试卷${quizNames(blocked)}使用，不能改为支部题目`, quizRefs(blocked));
  }

  /**
   * Rewrites the tags of every question tagged `tag` that the actor may edit (a secretary: their branch's), each as
   * an ordinary versioned edit (so an editor holding an older version gets CONFLICT, never a silent overwrite).
   * Per question, not all at once: a run cut short leaves some questions done, and running it again finishes the rest.
   */
  async function retag(actor: User, tag: string, rewrite: (tags: string[]) => string[]): Promise<{ updated: number }> {
    requireStaff(actor);
    const tagged = (await questions.getMany(await questions.idsWithTag(tag))).filter((q) => canSeeScoped(actor, q));
    if (tagged.length === 0) throw notFound('标签');
    const editable = tagged.filter((q) => canEditScoped(actor, q));
    if (editable.length === 0) throw forbidden(`标签「${tag}」只用在全组织题目上；支部书记只能修改本支部题目的标签`);
    let updated = 0;
    for (const { id } of editable) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const q = await questions.get(id);
        if (!q || !q.tags.includes(tag) || !canEditScoped(actor, q)) break;
        const outcome = await questions.update(q, { ...contentOf(q), tags: rewrite(q.tags) }, q.version, clock.now());
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
      const found = (await questions.all()).filter((q) => canSeeScoped(actor, q) && matches(q, query));
      const start = (query.page - 1) * query.pageSize;
      return { items: found.slice(start, start + query.pageSize), total: found.length };
    },

    get: load,

    async create(actor: User, input: CreateQuestionInput): Promise<Question> {
      requireStaff(actor);
      const { branchId: requested, ...content } = input;
      const meta = { id: newId(), createdBy: actor.id, branchId: await ownerBranch(actor, requested, branches, '题目') };
      const now = clock.now();
      const outcome = await questions.create(meta, content, now);
      if (!outcome.ok) throw conflict('题库中已有题干相同的题目');
      await questions.markSeeded(now);
      return { ...content, ...meta, version: outcome.version, updatedAt: now };
    },

    async update(actor: User, id: string, input: UpdateQuestionInput): Promise<Question> {
      const previous = await loadEditable(actor, id);
      const { version, branchId: requested, ...content } = input;
      const branchId = requested === undefined ? previous.branchId : await ownerBranch(actor, requested, branches, '题目');
      await checkScopeMove(previous, branchId);
      const now = clock.now();
      const outcome = await questions.update(previous, content, version, now, branchId);
      if (!outcome.ok) {
        if (outcome.reason === 'missing') throw notFound('题目');
        if (outcome.reason === 'stale') throw conflict('该题目已被他人修改，请刷新后再编辑', { currentVersion: previous.version });
        throw conflict('题库中已有题干相同的题目');
      }
      return { ...content, id, createdBy: previous.createdBy, branchId, version: outcome.version, updatedAt: now };
    },

    /** A question a quiz lists is not deleted (CONFLICT naming the quizzes): it would silently drop out of them. */
    async remove(actor: User, id: string): Promise<void> {
      const q = await loadEditable(actor, id);
      const using = await quizzesUsing(id);
      if (using.length) throw conflict(`该题目正被试卷${quizNames(using)}使用，不能删除。请先从这些试卷中移除它。`, quizRefs(using));
      if (!(await questions.remove(q))) throw notFound('题目');
    },

    /** Tag counts over the questions the actor sees. */
    async tags(actor: User) {
      requireStaff(actor);
      if (actor.role === 'admin') return { items: await questions.tagCounts() };
      const counts = new Map<string, number>();
      for (const q of await questions.all()) if (canSeeScoped(actor, q)) for (const tag of q.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
      return { items: [...counts].map(([tag, count]) => ({ tag, count })).sort(byTagCount) };
    },

    /** Renames `from` to `to` on every question the actor may edit that has it (merging when `to` exists). Returns how many changed. */
    renameTag(actor: User, from: string, to: string) {
      return retag(actor, from, (tags) => [...new Set(tags.map((t) => (t === from ? to : t)))]);
    },

    /** Takes `tag` off every question the actor may edit (the questions stay). Returns how many changed. */
    removeTag(actor: User, tag: string) {
      return retag(actor, tag, (tags) => tags.filter((t) => t !== tag));
    },
  };
}

export type QuestionsService = ReturnType<typeof createQuestionsService>;
