import { describe, expect, it } from 'vitest';
import { answerFits, branchStandings, distribution, leaderboardTop, podium, rankPlayers } from '../../../server/domain/liveResults';

const roster = [
  { id: 'a', nickname: '甲', branchId: 'b1' },
  { id: 'b', nickname: '乙', branchId: 'b1' },
  { id: 'c', nickname: '丙', branchId: 'b2' },
  { id: 'd', nickname: '丁', branchId: null },
];

describe('live results', () => {
  it('ranks every player, with 0 for those without a score, ties sharing a rank', () => {
    const ranked = rankPlayers(roster, new Map([['a', 900], ['b', 1200], ['c', 900]]));
    expect(ranked.map((r) => [r.playerId, r.rank])).toEqual([['b', 1], ['a', 2], ['c', 2], ['d', 4]]);
    expect(leaderboardTop(ranked, 2).map((e) => e.playerId)).toEqual(['b', 'a']);
    expect(podium(ranked).map((e) => e.playerId)).toEqual(['b', 'a', 'c']);
  });

  it('averages branch scores over their players and leaves guests out', () => {
    const ranked = rankPlayers(roster, new Map([['a', 900], ['b', 1201], ['c', 1000], ['d', 5000]]));
    expect(branchStandings(ranked, new Map([['b1', '一支部'], ['b2', '二支部']]))).toEqual([
      { branchId: 'b1', name: '一支部', score: 1051, players: 2 },
      { branchId: 'b2', name: '二支部', score: 1000, players: 1 },
    ]);
  });

  it('counts answers per option, and right/wrong for blanks with the shared comparison', () => {
    expect(distribution({ type: 'multiple', options: ['a', 'b', 'c'], answer: [0, 1] }, [[0, 1], [1], 2])).toEqual([1, 2, 1]);
    expect(distribution({ type: 'blank', options: [], answer: ['人民'] }, [' 人民 ', '群众', '人民'])).toEqual({ correct: 2, incorrect: 1 });
  });

  it('accepts only answers that fit the question: kind, range, no repeats', () => {
    const single = { type: 'single' as const, options: ['a', 'b'] };
    const multiple = { type: 'multiple' as const, options: ['a', 'b', 'c'] };
    expect(answerFits(single, 1)).toBe(true);
    expect(answerFits(single, 2)).toBe(false);
    expect(answerFits(single, [1])).toBe(false);
    expect(answerFits(multiple, [0, 2])).toBe(true);
    expect(answerFits(multiple, [0, 0])).toBe(false);
    expect(answerFits(multiple, [])).toBe(false);
    expect(answerFits({ type: 'blank', options: [] }, 1)).toBe(false);
    expect(answerFits({ type: 'judge', options: ['正确', '错误'] }, 1)).toBe(true);
  });
});
