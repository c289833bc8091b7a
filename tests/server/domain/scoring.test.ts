import { describe, expect, it } from 'vitest';
import { basePoints, competitionRanks, isCorrect, scoreAnswer } from '../../../server/domain/scoring';

const rules = { speedBonus: true, streakBonus: true };

describe('scoring', () => {
  it('gives 1000 for an instant answer and 500 at the deadline, rounded in between', () => {
    expect(basePoints(0, 20_000, true)).toBe(1000);
    expect(basePoints(20_000, 20_000, true)).toBe(500);
    expect(basePoints(5_000, 20_000, true)).toBe(875);
    expect(basePoints(3_333, 20_000, true)).toBe(Math.round(1000 * (1 - 3_333 / 40_000)));
    expect(basePoints(7_000, 20_000, false)).toBe(1000);
  });

  it('three instant correct answers give 1000, 1100, 1200', () => {
    let streak = 0;
    const points: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = scoreAnswer(true, streak, 0, 20_000, rules);
      points.push(r.points);
      streak = r.streak;
    }
    expect(points).toEqual([1000, 1100, 1200]);
  });

  it('caps the streak bonus at 500 and resets the streak on a wrong answer', () => {
    expect(scoreAnswer(true, 9, 0, 20_000, rules)).toEqual({ points: 1500, streak: 10 });
    expect(scoreAnswer(false, 9, 0, 20_000, rules)).toEqual({ points: 0, streak: 0 });
    expect(scoreAnswer(true, 0, 0, 20_000, rules)).toEqual({ points: 1000, streak: 1 });
    expect(scoreAnswer(true, 4, 0, 20_000, { speedBonus: true, streakBonus: false })).toEqual({ points: 1000, streak: 5 });
  });
});

describe('correctness', () => {
  it('single and judge compare the index', () => {
    expect(isCorrect({ type: 'single', answer: 2 }, 2)).toBe(true);
    expect(isCorrect({ type: 'single', answer: 2 }, 1)).toBe(false);
    expect(isCorrect({ type: 'judge', answer: 0 }, 0)).toBe(true);
    expect(isCorrect({ type: 'judge', answer: 0 }, [0])).toBe(false);
  });

  it('multiple choice scores only when exactly right, in any order', () => {
    expect(isCorrect({ type: 'multiple', answer: [0, 2, 3] }, [3, 0, 2])).toBe(true);
    expect(isCorrect({ type: 'multiple', answer: [0, 2, 3] }, [0, 2])).toBe(false);
    expect(isCorrect({ type: 'multiple', answer: [0, 2] }, [0, 1, 2])).toBe(false);
  });

  it('blanks use the shared comparison', () => {
    expect(isCorrect({ type: 'blank', answer: ['民主集中制'] }, ' 民主集中制　')).toBe(true);
    expect(isCorrect({ type: 'blank', answer: ['18', '十八'] }, '１８')).toBe(true);
    expect(isCorrect({ type: 'blank', answer: ['民主集中制'] }, 1 as unknown as string)).toBe(false);
  });
});

describe('ranking', () => {
  it('uses standard competition ranking (1, 2, 2, 4)', () => {
    const ranked = competitionRanks([
      { id: 'a', score: 900 },
      { id: 'b', score: 1200 },
      { id: 'c', score: 900 },
      { id: 'd', score: 100 },
    ]);
    expect(ranked.map((r) => [r.id, r.rank])).toEqual([['b', 1], ['a', 2], ['c', 2], ['d', 4]]);
  });
});
