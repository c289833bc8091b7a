import type { Question } from '../../../shared/schemas/questions';
import type { ReviewItem, ReviewQuestion } from '../../../shared/schemas/review';
import type { User } from '../../../shared/schemas/users';
import type { StoredCard } from '../../store/review/cardsStore';
import type { AnsweredItem } from '../../store/review/sittingsStore';

/** A question before the answer: no key, no explanation, no source (the honesty rule). */
export const publicQuestion = (q: Question): ReviewQuestion => ({ id: q.id, type: q.type, text: q.text, options: q.options, tags: q.tags });

/** A member reviews organisation-wide questions and their own branch's. */
export const visibleTo = (member: Pick<User, 'branchId'>, q: Pick<Question, 'branchId'>) => q.branchId === null || q.branchId === member.branchId;

/** The items of a sitting in its order; an answered item carries its first result, the others only the question. */
export function itemsOf(
  ids: readonly string[],
  questions: ReadonlyMap<string, Question>,
  answered: ReadonlyMap<string, AnsweredItem>,
  cards: ReadonlyMap<string, Pick<StoredCard, 'questionVersion'>>,
): ReviewItem[] {
  const items: ReviewItem[] = [];
  for (const id of ids) {
    const q = questions.get(id);
    if (!q) continue;
    const done = answered.get(id);
    if (done) {
      items.push({ questionId: id, question: publicQuestion(q), answered: true, result: done.result });
      continue;
    }
    const card = cards.get(id);
    items.push(card && card.questionVersion !== q.version ? { questionId: id, question: publicQuestion(q), revised: true } : { questionId: id, question: publicQuestion(q) });
  }
  return items;
}
