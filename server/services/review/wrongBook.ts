import type { WrongBookEntry, WrongBookQuery } from '../../../shared/schemas/review';
import type { User } from '../../../shared/schemas/users';
import { forbidden } from '../../domain/errors';
import type { QuestionsStore } from '../../store/questionsStore';
import type { WrongBookStore } from '../../store/review/wrongBookStore';
import { publicQuestion } from './view';

/** 错题本: a member's own book only, newest wrong answer first, filtered by tag and where it happened. */
export function createWrongBookService(d: { wrongBook: WrongBookStore; questions: QuestionsStore }) {
  return {
    async list(actor: User, query: WrongBookQuery): Promise<{ items: WrongBookEntry[]; total: number }> {
      // The book is personal: not even staff read another member's (they see aggregates, not answers).
      if (query.memberId !== undefined && query.memberId !== actor.id) throw forbidden('只能查看自己的错题本');
      const book = await d.wrongBook.all(actor.id);
      const questions = await d.questions.getMany([...book.keys()]);
      const items: WrongBookEntry[] = [];
      for (const q of questions) {
        const e = book.get(q.id)!;
        if (query.tag && !q.tags.includes(query.tag)) continue;
        if (query.source && !e.sources.includes(query.source)) continue;
        items.push({ questionId: q.id, question: publicQuestion(q), ...e });
      }
      items.sort((a, b) => b.lastWrongAt - a.lastWrongAt);
      return { items, total: items.length };
    },
  };
}

export type WrongBookService = ReturnType<typeof createWrongBookService>;
