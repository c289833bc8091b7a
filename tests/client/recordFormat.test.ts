import { describe, expect, it } from 'vitest';
import { isEditable, mayWriteRecord, pageRuns, quarterOf } from '../../client/src/components/study/recordFormat';
import type { User } from '../../shared/schemas/users';

const user = (over: Partial<User>) => ({ id: 'u1', role: 'member', branchId: 'b1', ...over }) as User;
const session = { branchId: 'b1', createdBy: 'sec', recorderId: 'rec' };

describe('issue 10 meeting record: client formatting rules', () => {
  it('pages covered are shown 1-based and merged into runs, in order, without repeats', () => {
    expect(pageRuns([2, 0, 1, 4, 1])).toBe('1–3, 5');
    expect(pageRuns([7])).toBe('8');
    expect(pageRuns([])).toBe('');
  });

  it('quarter presets cover whole calendar quarters, across a year boundary', () => {
    const now = new Date(2026, 0, 15, 10).getTime();
    const q = quarterOf(now);
    expect(q).toMatchObject({ year: 2026, q: 1, from: new Date(2026, 0, 1).getTime(), to: new Date(2026, 3, 1).getTime() - 1 });
    expect(quarterOf(now, -1)).toMatchObject({ year: 2025, q: 4, from: new Date(2025, 9, 1).getTime(), to: new Date(2026, 0, 1).getTime() - 1 });
    expect(quarterOf(now, -4)).toMatchObject({ year: 2025, q: 1 });
  });

  it('who may complete a record mirrors the server: hosts and the recorder; only drafts and returned records are editable', () => {
    expect(mayWriteRecord(user({ id: 'rec' }), session)).toBe(true);
    expect(mayWriteRecord(user({ id: 'other' }), session)).toBe(false);
    expect(mayWriteRecord(user({ id: 'x', role: 'secretary' }), session)).toBe(true);
    expect(mayWriteRecord(user({ id: 'x', role: 'secretary', branchId: 'b2' }), session)).toBe(false);
    expect(mayWriteRecord(user({ id: 'x', role: 'admin', branchId: null }), session)).toBe(true);
    expect(mayWriteRecord(null, session)).toBe(false);
    expect(['draft', 'submitted', 'approved', 'returned'].filter((s) => isEditable({ status: s as 'draft' }))).toEqual(['draft', 'returned']);
  });
});
