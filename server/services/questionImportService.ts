import type { z } from 'zod';
import { questionContentSchema, type QuestionContent, type QuestionImportResult } from '../../shared/schemas/questions';
import type { User } from '../../shared/schemas/users';
import { invalidInput } from '../domain/errors';
import { locateQuestionColumns, questionToRow, rowToQuestion, QUESTION_SHEET_HEADER } from '../domain/questionSheet';
import type { Table } from '../domain/table';
import type { Clock } from '../infra/clock';
import { newId } from '../store/ids';
import { questionTextKey, type QuestionsStore } from '../store/questionsStore';
import type { QuestionsService } from './questionsService';


const describe = (err: z.ZodError) => err.issues.map((i) => `${i.path.join('.') || '题目'}：${i.message}`).join('；');
const sameContent = (a: QuestionContent, b: QuestionContent) => JSON.stringify(questionToRow(a)) === JSON.stringify(questionToRow(b));

export function createQuestionImportService(store: QuestionsStore, questions: QuestionsService, clock: Clock) {
  return {
    /**
     * One question per row. A row whose normalised text is already in the bank updates that question
     * (or is skipped when nothing changed), so importing the same file twice creates no duplicates.
     */
    async importQuestions(actor: User, table: Table, dryRun: boolean): Promise<QuestionImportResult> {
      questions.requireStaff(actor);
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
        const outcome = dryRun
          ? { ok: true }
          : current
            ? await store.update(current, content, current.version, clock.now())
            : await store.create({ id: newId(), createdBy: actor.id }, content, clock.now());
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
      const all = await store.all();
      const chosen = tag ? all.filter((q) => q.tags.includes(tag)) : all;
      return [QUESTION_SHEET_HEADER, ...chosen.reverse().map(questionToRow)];
    },
  };
}

export type QuestionImportService = ReturnType<typeof createQuestionImportService>;
