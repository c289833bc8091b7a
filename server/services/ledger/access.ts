import type { User } from '../../../shared/schemas/users';
import { forbidden } from '../../domain/errors';

/**
 * Who may read whose part of the ledger: a member their own, a secretary their branch, an admin everyone. Checked on
 * every call with the user as the session reads them now (a role change takes effect at once).
 */
export function assertBranchReader(actor: User, branchId: string): void {
  if (actor.role === 'admin') return;
  if (actor.role === 'secretary' && actor.branchId === branchId) return;
  throw forbidden('只能查看本支部的学习情况');
}

export function assertMemberReader(actor: User, member: Pick<User, 'id' | 'branchId'>): void {
  if (actor.id === member.id || actor.role === 'admin') return;
  if (actor.role === 'secretary' && member.branchId !== null && actor.branchId === member.branchId) return;
  throw forbidden('只能查看自己的学习记录');
}

/** The branches a staff member's reports cover: all for an admin, their own for a secretary; members none. */
export function readableBranches(actor: User, all: string[]): string[] {
  if (actor.role === 'admin') return all;
  if (actor.role === 'secretary' && actor.branchId) return all.filter((b) => b === actor.branchId);
  throw forbidden('只有管理员和支部书记可以查看参与情况');
}
