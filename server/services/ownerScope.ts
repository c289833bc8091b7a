import type { User } from '../../shared/schemas/users';
import { forbidden, notFound } from '../domain/errors';
import type { BranchesStore } from '../store/branchesStore';

/**
 * The owner scope of a question or quiz being saved (`what` names it in messages): a secretary's is always their
 * own branch (a request for another branch is refused); an admin's is what they ask for, none meaning organisation-wide.
 */
export async function ownerBranch(actor: User, requested: string | null | undefined, branches: BranchesStore, what: string): Promise<string | null> {
  if (actor.role === 'secretary') {
    // Without a branch, a secretary's content would silently become organisation-wide.
    if (!actor.branchId) throw forbidden(`未分配支部的支部书记不能保存${what}`);
    if (requested && requested !== actor.branchId) throw forbidden(`支部书记只能为本支部保存${what}`);
    return actor.branchId;
  }
  if (requested && !(await branches.get(requested))) throw notFound('支部');
  return requested ?? null;
}
