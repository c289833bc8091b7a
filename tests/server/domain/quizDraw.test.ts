import { describe, expect, it } from 'vitest';
import { pickGameQuestions, shuffle, shuffleOptions } from '../../../server/domain/quizDraw';
import type { Question } from '../../../shared/schemas/questions';
import { seeded } from '../../helpers/seeded';

const q = (id: string, extra: Partial<Question> = {}): Question => ({
  id, type: 'single', text: id, options: ['A', 'B', 'C', 'D'], answer: 2, explanation: '', source: '', tags: ['党章'], difficulty: 1,
  createdBy: 'x', branchId: null, updatedAt: 0, version: 1, ...extra,
});

describe('quiz draws', () => {
  it('keeps fixed questions first and never draws one twice', () => {
    const bank = Array.from({ length: 20 }, (_, i) => q(`q${i}`, { tags: i % 2 ? ['党史'] : ['党章'] }));
    for (let seed = 1; seed < 50; seed++) {
      const picked = pickGameQuestions([bank[1]!], bank, { count: 5, tags: ['党史'] }, seeded(seed));
      expect(picked[0]!.id).toBe('q1');
      expect(new Set(picked.map((p) => p.id)).size).toBe(6);
      expect(picked.every((p) => p.tags.includes('党史'))).toBe(true);
    }
  });

  it('throws when the rule cannot be satisfied', () => {
    expect(() => pickGameQuestions([], [q('a')], { count: 2 }, seeded(1))).toThrow('draw needs 2 questions, only 1 match');
  });

  it('shuffle is a permutation', () => {
    expect(shuffle([1, 2, 3, 4, 5], seeded(7)).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('shuffling options remaps single and multiple answers and leaves judge questions alone', () => {
    for (let seed = 1; seed < 30; seed++) {
      const single = shuffleOptions(q('s'), seeded(seed));
      expect(single.options[single.answer as number]).toBe('C');
      const multi = shuffleOptions(q('m', { type: 'multiple', answer: [0, 3] }), seeded(seed));
      expect((multi.answer as number[]).map((i) => multi.options[i]).sort()).toEqual(['A', 'D']);
    }
    const judge = q('j', { type: 'judge', options: ['正确', '错误'], answer: 1 });
    expect(shuffleOptions(judge, seeded(3))).toBe(judge);
  });
});
