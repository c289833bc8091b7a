import type { Question, QuestionContent } from '../../shared/schemas/questions';
import type { DrawRule } from '../../shared/schemas/quizzes';

/** A random number in [0, 1): injected so draws are reproducible in tests. */
export type Random = () => number;

export const matchesRule = (q: Question, rule: DrawRule) =>
  (!rule.tags?.length || rule.tags.some((t) => q.tags.includes(t))) &&
  (!rule.types?.length || rule.types.includes(q.type)) &&
  (!rule.difficulty || q.difficulty === rule.difficulty);

/** How many questions a draw can pick from: those matching the rule that are not already fixed. */
export const drawPool = (bank: Question[], fixedIds: string[], rule: DrawRule) =>
  bank.filter((q) => !fixedIds.includes(q.id) && matchesRule(q, rule));

export function shuffle<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Shuffles a question's options once and remaps its answer; judge and blank questions keep their order. */
export function shuffleOptions<Q extends QuestionContent>(q: Q, random: Random): Q {
  if (q.type === 'judge' || q.type === 'blank') return q;
  const order = shuffle(q.options.map((_, i) => i), random);
  const newIndex = (old: number) => order.indexOf(old);
  const answer = Array.isArray(q.answer) ? (q.answer as number[]).map(newIndex).sort((a, b) => a - b) : newIndex(q.answer as number);
  return { ...q, options: order.map((i) => q.options[i]!), answer };
}

/** The questions of one game: the fixed ones in order, then a random draw, never the same question twice. */
export function pickGameQuestions(fixed: Question[], bank: Question[], rule: DrawRule | null, random: Random): Question[] {
  if (!rule) return fixed;
  const pool = drawPool(bank, fixed.map((q) => q.id), rule);
  if (pool.length < rule.count) throw new Error(`draw needs ${rule.count} questions, only ${pool.length} match`);
  return [...fixed, ...shuffle(pool, random).slice(0, rule.count)];
}
