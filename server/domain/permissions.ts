import type { Role, User } from '../../shared/schemas/users';

/** Admins manage everyone; a secretary manages the members of their own branch. */
export function canManageUser(actor: User, target: Pick<User, 'role' | 'branchId' | 'id'>): boolean {
  if (actor.role === 'admin') return true;
  if (actor.role !== 'secretary' || !actor.branchId) return false;
  return target.role === 'member' && target.branchId === actor.branchId;
}

/** What a secretary may turn a user into: a member of their own branch, nothing else. */
export function canAssign(actor: User, role: Role, branchId: string | null): boolean {
  if (actor.role === 'admin') return true;
  return actor.role === 'secretary' && actor.branchId !== null && role === 'member' && branchId === actor.branchId;
}

export const isStaff = (user: User) => user.role === 'admin' || user.role === 'secretary';
