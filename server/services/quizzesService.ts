import type { ListResult } from '../../shared/schemas/common';
import type { Question } from '../../shared/schemas/questions';
import type { Quiz, QuizInput } from '../../shared/schemas/quizzes';
import type { User } from '../../shared/schemas/users';
import { forbidden, invalidInput, notFound } from '../domain/errors';
import { canEditScoped as canEdit, canSeeScoped as canSee, isStaff, scopeIncludes } from '../domain/permissions';
import { drawPool, pickGameQuestions, shuffleOptions, type Random } from '../domain/quizDraw';
import type { Clock } from '../infra/clock';
import { newId } from '../store/ids';
import { contentOf, type QuestionsStore } from '../store/questionsStore';
import type { GameSnapshot, QuizzesStore, SnapshotQuestion } from '../store/quizzesStore';
import type { BranchesStore } from '../store/branchesStore';
import { ownerBranch as resolveOwner } from './ownerScope';

/**
 * The questions a quiz of this scope may use: organisation-wide ones and, for a branch's quiz, that branch's.
 * So everyone who can see a quiz can see its questions, and a secretary's quiz draws only from what they see.
 */
const inScope = (bank: Question[], branchId: string | null) => bank.filter((q) => scopeIncludes(branchId, q));

export function createQuizzesService(quizzes: QuizzesStore, questions: QuestionsStore, branches: BranchesStore, clock: Clock) {
  const requireStaff = (actor: User) => {
    if (!isStaff(actor)) throw forbidden('试卷仅对管理员和支部书记开放');
  };

  async function load(actor: User, id: string): Promise<Quiz> {
    const quiz = await quizzes.get(id);
    if (!quiz) throw notFound('试卷');
    if (!canSee(actor, quiz)) throw forbidden('这是其他支部的试卷');
    return quiz;
  }

  const ownerBranch = (actor: User, requested: string | null | undefined) => resolveOwner(actor, requested, branches, '试卷');

  /** A quiz that names a missing question (or one outside its scope), or whose draw cannot be satisfied, is refused when saved. */
  async function checkQuestions(input: QuizInput, branchId: string | null): Promise<void> {
    const bank = inScope(await questions.all(), branchId);
    const known = new Set(bank.map((q) => q.id));
    const missing = (input.questionIds ?? []).filter((id) => !known.has(id));
    if (missing.length) {
      const issues = missing.map((id) => ({ path: 'questionIds', message: `题目 ${id} 不存在或不属于本试卷的范围` }));
      throw invalidInput(`有 ${missing.length} 道题目不在题库中，或属于其他支部`, issues);
    }
    if (input.draw) {
      const available = drawPool(bank, input.questionIds ?? [], input.draw).length;
      if (available < input.draw.count) {
        throw invalidInput(`抽题规则需要 ${input.draw.count} 道题，题库中只有 ${available} 道符合条件`, [{ path: 'draw.count', message: `最多 ${available}` }]);
      }
    }
  }

  function build(id: string, actor: User, input: QuizInput, branchId: string | null, createdBy = actor.id): Quiz {
    return {
      id,
      title: input.title,
      description: input.description ?? '',
      questionIds: input.questionIds ?? [],
      draw: input.draw ?? null,
      timeLimitSec: input.timeLimitSec,
      // Shuffled by default: a skewed answer key (many A's) is then no hint in a game.
      shuffleOptions: input.shuffleOptions ?? true,
      branchId,
      createdBy,
      updatedAt: clock.now(),
    };
  }

  /** A quiz's questions for one sitting: the fixed ones plus a fresh draw (games and mock exams freeze these). */
  async function pick(quiz: Quiz, random: Random): Promise<Question[]> {
    const bank = await questions.all();
    const byId = new Map(bank.map((q) => [q.id, q]));
    const fixed = quiz.questionIds.map((id) => byId.get(id)).filter((q): q is Question => q !== undefined);
    let picked: Question[];
    try {
      picked = pickGameQuestions(fixed, inScope(bank, quiz.branchId), quiz.draw, random);
    } catch {
      throw invalidInput('题库中符合抽题规则的题目不足，请调整试卷');
    }
    if (picked.length === 0) throw invalidInput('试卷中没有可用的题目');
    return picked;
  }

  return {
    async list(actor: User): Promise<ListResult<Quiz>> {
      requireStaff(actor);
      const items = (await quizzes.all()).filter((q) => canSee(actor, q));
      return { items, total: items.length };
    },

    async get(actor: User, id: string): Promise<Quiz> {
      requireStaff(actor);
      return load(actor, id);
    },

    async create(actor: User, input: QuizInput): Promise<Quiz> {
      requireStaff(actor);
      const branchId = await ownerBranch(actor, input.branchId);
      await checkQuestions(input, branchId);
      const quiz = build(newId(), actor, input, branchId);
      await quizzes.save(quiz);
      return quiz;
    },

    async update(actor: User, id: string, input: QuizInput): Promise<Quiz> {
      requireStaff(actor);
      const current = await load(actor, id);
      if (!canEdit(actor, current)) throw forbidden('组织统一的试卷只能由管理员修改');
      const branchId = input.branchId === undefined ? current.branchId : await ownerBranch(actor, input.branchId);
      await checkQuestions(input, branchId);
      const quiz = build(id, actor, { ...input, shuffleOptions: input.shuffleOptions ?? current.shuffleOptions }, branchId, current.createdBy);
      await quizzes.save(quiz);
      return quiz;
    },

    async remove(actor: User, id: string): Promise<void> {
      requireStaff(actor);
      const current = await load(actor, id);
      if (!canEdit(actor, current)) throw forbidden('组织统一的试卷只能由管理员删除');
      await quizzes.remove(id);
    },

    /**
     * Freezes a game's questions when it is created: fixed ones plus a fresh draw, options shuffled once.
     * Later edits of the bank or the quiz never change it.
     */
    async snapshotForGame(actor: User, quizId: string, gameId: string, random: Random = Math.random): Promise<GameSnapshot> {
      requireStaff(actor);
      const quiz = await load(actor, quizId);
      const picked = await pick(quiz, random);
      const snapshot: GameSnapshot = {
        quizId,
        title: quiz.title,
        timeLimitSec: quiz.timeLimitSec,
        takenAt: clock.now(),
        questions: picked.map((q) => ({ ...contentOf(quiz.shuffleOptions ? shuffleOptions(q, random) : q), id: q.id, version: q.version })),
      };
      if (!(await quizzes.saveSnapshot(gameId, snapshot))) throw invalidInput('该对局已经生成过题目');
      return snapshot;
    },

    /**
     * Freezes a mock exam's questions when it is published (issue 11), as a game's are: fixed ones plus one draw,
     * options in the bank's order (each attempt shuffles its own copy when `shuffleOptions`).
     */
    async freezeForExam(actor: User, quizId: string, random: Random = Math.random): Promise<{ quiz: Quiz; questions: SnapshotQuestion[] }> {
      requireStaff(actor);
      const quiz = await load(actor, quizId);
      const picked = await pick(quiz, random);
      return { quiz, questions: picked.map((q) => ({ ...contentOf(q), id: q.id, version: q.version })) };
    },
  };
}

export type QuizzesService = ReturnType<typeof createQuizzesService>;
