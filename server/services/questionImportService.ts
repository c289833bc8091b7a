import type { z } from 'zod';
import { questionContentSchema, type Question, type QuestionContent, type QuestionImportResult } from '../../shared/schemas/questions';
import type { User } from '../../shared/schemas/users';
import { invalidInput } from '../domain/errors';
import { canEditScoped, canSeeScoped } from '../domain/permissions';
import { locateQuestionColumns, MAX_QUESTION_IMPORT_ROWS, questionToRow, rowToQuestion, QUESTION_SHEET_HEADER } from '../domain/questionSheet';
import { assertRowCap, type Table } from '../domain/table';
import type { Clock } from '../infra/clock';
import { newId } from '../store/ids';
import { questionTextKey, type QuestionsStore } from '../store/questionsStore';
import { ownerBranch } from './ownerScope';
import type { QuestionsService } from './questionsService';
import type { BranchesStore } from '../store/branchesStore';


const describe = (err: z.ZodError) => err.issues.map((i) => `${i.path.join('.') || '题目'}：${i.message}`).join('；');
/** Why a row may not update the question with its text (another branch's is not named: the secretary cannot see it). */
const notEditable = (actor: User, q: Question) =>
  canSeeScoped(actor, q) ? '题库中已有题干相同的全组织题目，只有管理员可以修改' : '题库中已有题干相同的题目（属于其他支部），请修改题干';
const sameContent = (a: QuestionContent, b: QuestionContent) => JSON.stringify(questionToRow(a)) === JSON.stringify(questionToRow(b));

export function createQuestionImportService(store: QuestionsStore, questions: QuestionsService, branches: BranchesStore, clock: Clock) {
  return {
    /**
     * One question per row. A row whose normalised text is already in the bank updates that question
     * (or is skipped when nothing changed), so importing the same file twice creates no duplicates.
     * New questions take the importer's scope (a secretary's branch; organisation-wide for an admin); a row matching
     * a question the importer may not edit is reported, not written.
     */
    async importQuestions(actor: User, table: Table, dryRun: boolean): Promise<QuestionImportResult> {
      questions.requireStaff(actor);
      assertRowCap(table, MAX_QUESTION_IMPORT_ROWS, '道题');
      const branchId = await ownerBranch(actor, undefined, branches, '题目');
      const cols = locateQuestionColumns(table.headers);
      if ((cols.type ?? -1) < 0 || (cols.text ?? -1) < 0 || (cols.answer ?? -1) < 0) {
        throw invalidInput('表头缺少“题型”“题干”或“答案”列，请使用导入模板');
      }
      const result: QuestionImportResult = { created: 0, updated: 0, skipped: 0, errors: [] };
      const existing = new Map((await store.all()).map((q) => [questionTextKey(q.text), q]));
      const seenInFile = new Set<string>();
      for (const { row, cells } of table.rows) {
        const mapped = rowToQuestion(cells, cols);
        if ('error' in mapped) { result.errors.push({ row, message: mapped.error }); continue; }
        const parsed = questionContentSchema.safeParse(mapped.content);
        if (!parsed.success) { result.errors.push({ row, message: describe(parsed.error) }); continue; }
        const content = parsed.data;
        const key = questionTextKey(content.text);
        if (seenInFile.has(key)) { result.skipped++; continue; }
        seenInFile.add(key);
        const current = existing.get(key);
        if (current && sameContent(current, content)) { result.skipped++; continue; }
        if (current && !canEditScoped(actor, current)) { result.errors.push({ row, message: notEditable(actor, current) }); continue; }
        const outcome = dryRun
          ? { ok: true }
          : current
            ? await store.update(current, content, current.version, clock.now())
            : await store.create({ id: newId(), createdBy: actor.id, branchId }, content, clock.now());
        if (!outcome.ok) result.errors.push({ row, message: '题目在导入时被他人修改，请重新导入该行' });
        else if (current) result.updated++;
        else result.created++;
      }
      if (!dryRun && result.created + result.updated > 0) await store.markSeeded(clock.now());
      return result;
    },

    /** Rows for export, header first, in the import layout. */
    async exportRows(actor: User, tag?: string): Promise<string[][]> {
      questions.requireStaff(actor);
      const all = (await store.all()).filter((q) => canSeeScoped(actor, q));
      const chosen = tag ? all.filter((q) => q.tags.includes(tag)) : all;
      return [QUESTION_SHEET_HEADER, ...chosen.reverse().map(questionToRow)];
    },
  };
}

export type QuestionImportService = ReturnType<typeof createQuestionImportService>;
