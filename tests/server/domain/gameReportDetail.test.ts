import { describe, expect, it } from 'vitest';
import { answerDetails, answerLabel, branchRoll, ratio } from '../../../server/domain/gameReportDetail';

const single = { index: 0, type: 'single' as const, options: ['甲', '乙', '丙'], correctAnswer: 1 };
const multiple = { index: 1, type: 'multiple' as const, options: ['甲', '乙', '丙', '丁'], correctAnswer: [0, 2] };
const judge = { index: 2, type: 'judge' as const, options: ['正确', '错误'], correctAnswer: 0 };
const blank = { index: 3, type: 'blank' as const, options: [], correctAnswer: ['人民'] };

describe('issue 9 item 8: the report detail', () => {
  it('issue 9 item 8: shows answers as letters and option text, judge as its option, blanks as text', () => {
    expect(answerLabel(single, 1)).toBe('B. 乙');
    expect(answerLabel(multiple, [2, 0])).toBe('AC. 甲；丙');
    expect(answerLabel(judge, 1)).toBe('错误');
    expect(answerLabel(blank, '群众')).toBe('群众');
    expect(answerLabel(blank, ['人民', '老百姓'])).toBe('人民 | 老百姓');
  });

  it('issue 9 item 8: grades each recorded answer and measures its time from the opening', () => {
    const given = new Map([
      [0, [{ playerId: 'p1', at: 10_500, answer: 1, points: 900 }, { playerId: 'p2', at: 12_000, answer: 2, points: 0 }]],
      [1, [{ playerId: 'p1', at: 20_000, answer: [2, 0], points: 800 }, { playerId: 'p2', at: 21_000, answer: { bad: true }, points: 0 }]],
      [3, [{ playerId: 'p1', at: 31_000, answer: ' 人民 ', points: null }]],
    ]);
    const details = answerDetails([single, multiple, blank], given, new Map([[0, 10_000], [1, 19_000]]));
    expect(details).toEqual([
      { playerId: 'p1', index: 0, answer: 1, correct: true, points: 900, timeMs: 500 },
      { playerId: 'p2', index: 0, answer: 2, correct: false, points: 0, timeMs: 2000 },
      { playerId: 'p1', index: 1, answer: [2, 0], correct: true, points: 800, timeMs: 1000 },
      { playerId: 'p1', index: 3, answer: ' 人民 ', correct: true, points: null, timeMs: null },
    ]);
  });

  it('issue 9 item 8: lists active branch members who neither played nor hosted', () => {
    const m = (id: string, disabled = false) => ({ id, displayName: `名${id}`, username: id, disabled });
    const roll = branchRoll('b1', [m('host'), m('a'), m('b'), m('c', true), m('d')], ['a', null, 'x'], 'host');
    expect(roll).toEqual({ branchId: 'b1', members: 4, absent: [{ userId: 'b', displayName: '名b', username: 'b' }, { userId: 'd', displayName: '名d', username: 'd' }] });
    expect(ratio(3, 4)).toBe(0.75);
    expect(ratio(1, 0)).toBeNull();
  });
});
