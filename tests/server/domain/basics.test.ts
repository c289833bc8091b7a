import { describe, expect, it } from 'vitest';
import { neutraliseCell, parseCsv, toCsv } from '../../../server/domain/csv';
import { canAssign, canManageUser } from '../../../server/domain/permissions';
import { locateColumns, toTable } from '../../../server/domain/table';
import { parseImportRole } from '../../../server/domain/userImport';
import { normaliseForCompare } from '../../../shared/text';
import type { User } from '../../../shared/schemas/users';

const user = (role: User['role'], branchId: string | null, id = 'u'): User => ({ id, username: id, displayName: id, role, branchId, disabled: false, mustChangePassword: false });

describe('csv', () => {
  it('parses quotes, doubled quotes, commas and newlines inside fields, CRLF and LF', () => {
    expect(parseCsv('a,"b,c","say ""hi"""\r\n"multi\nline",x\n')).toEqual([
      ['a', 'b,c', 'say "hi"'],
      ['multi\nline', 'x'],
    ]);
  });

  it('round-trips through toCsv, neutralising formula-like cells', () => {
    const csv = toCsv([['=SUM(A1)', '+1', '-2', '@x', '普通', 'a,"b"']]);
    expect(csv.startsWith('\ufeff')).toBe(true);
    expect(parseCsv(csv.slice(1))).toEqual([["'=SUM(A1)", "'+1", "'-2", "'@x", '普通', 'a,"b"']]);
    expect(neutraliseCell('\tx')).toBe("'\tx");
    expect(neutraliseCell('正常')).toBe('正常');
  });
});

describe('tables', () => {
  it('numbers rows as the spreadsheet does and skips blank rows', () => {
    const table = toTable([['', ''], ['用户名', '姓名'], ['a', '甲'], ['', ''], ['b', '乙']]);
    expect(table.headers).toEqual(['用户名', '姓名']);
    expect(table.rows.map((r) => r.row)).toEqual([3, 5]);
  });

  it('finds columns by Chinese or English header in any case, ignoring spaces and marks', () => {
    const cols = locateColumns(['姓 名', 'USERNAME', '初始密码（选填）'], { username: ['用户名', 'username'], name: ['姓名'], pw: ['初始密码选填'], gone: ['x'] });
    expect(cols).toEqual({ username: 1, name: 0, pw: 2, gone: -1 });
  });
});

describe('import roles', () => {
  it.each([['', 'member'], ['党员', 'member'], ['Member', 'member'], ['支部书记', 'secretary'], ['secretary', 'secretary'], ['群众', null], ['admin', null]])('%s -> %s', (cell, role) => {
    expect(parseImportRole(cell)).toBe(role);
  });
});

describe('permissions', () => {
  it('a secretary manages only members of their own branch', () => {
    const sec = user('secretary', 'b1');
    expect(canManageUser(sec, user('member', 'b1'))).toBe(true);
    expect(canManageUser(sec, user('member', 'b2'))).toBe(false);
    expect(canManageUser(sec, user('secretary', 'b1', 'other'))).toBe(false);
    expect(canManageUser(user('member', 'b1'), user('member', 'b1'))).toBe(false);
    expect(canManageUser(user('admin', null), user('secretary', 'b9'))).toBe(true);
  });

  it('a secretary can only make members of their own branch', () => {
    const sec = user('secretary', 'b1');
    expect(canAssign(sec, 'member', 'b1')).toBe(true);
    expect(canAssign(sec, 'member', 'b2')).toBe(false);
    expect(canAssign(sec, 'secretary', 'b1')).toBe(false);
    expect(canAssign(sec, 'admin', null)).toBe(false);
  });
});

describe('text comparison', () => {
  it('trims, folds full-width and case, collapses spaces', () => {
    expect(normaliseForCompare('　ＡＢＣ　１２３ ')).toBe('abc 123');
    expect(normaliseForCompare('民主  集中制')).toBe(normaliseForCompare('民主 集中制'));
  });
});

describe('blank answers', () => {
  it('match any accepted form after trimming, width and case folding', async () => {
    const { blankAnswerMatches } = await import('../../../shared/text');
    expect(blankAnswerMatches(['民主集中制'], ' 民主集中制 ')).toBe(true);
    expect(blankAnswerMatches(['18', '十八'], '１８')).toBe(true);
    expect(blankAnswerMatches(['CPC'], 'cpc')).toBe(true);
    expect(blankAnswerMatches(['两'], '')).toBe(false);
    expect(blankAnswerMatches(['民主集中制'], '民主集中')).toBe(false);
  });
});
