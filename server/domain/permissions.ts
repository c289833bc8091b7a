import { ErrorCode } from '../../shared/errors';
import type { Role, User } from '../../shared/schemas/users';
import { AppError } from './errors';

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

/** Bank content with an owner scope (questions, quizzes): branchId null is organisation-wide. */
type Scoped = { branchId: string | null };

/** Admins see everything; a secretary sees organisation-wide content and their own branch's, not other branches'. */
export const canSeeScoped = (actor: User, item: Scoped): boolean =>
  actor.role === 'admin' || (actor.role === 'secretary' && (item.branchId === null || item.branchId === actor.branchId));

/** Admins edit everything; a secretary edits only their own branch's content (organisation-wide is read-only to them). */
export const canEditScoped = (actor: User, item: Scoped): boolean =>
  actor.role === 'admin' || (actor.role === 'secretary' && actor.branchId !== null && item.branchId === actor.branchId);

/** Whether content in `owner`'s scope may use `item`: everyone who sees the owner must also see the item. */
export const scopeIncludes = (owner: string | null, item: Scoped): boolean => item.branchId === null || item.branchId === owner;

/**
 * While an account still has the password someone else set (mustChangePassword), it may do nothing but change it
 * (issue 9 item 14). The REST gate and every staff socket command call this.
 */
export function assertPasswordChanged(user: Pick<User, 'mustChangePassword'> | null | undefined): void {
  if (user?.mustChangePassword) throw new AppError(ErrorCode.PASSWORD_CHANGE_REQUIRED, '请先修改初始密码');
}
