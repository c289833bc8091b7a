import type { Branch, CreateBranchInput, UpdateBranchInput } from '../../shared/schemas/branches';
import type { ListResult } from '../../shared/schemas/common';
import type { User } from '../../shared/schemas/users';
import { conflict, forbidden, invalidInput, notFound } from '../domain/errors';
import type { ServiceDeps } from './deps';
import { newId } from '../store/ids';
import type { StoredUser } from '../store/usersStore';

export interface BranchWithCount extends Branch {
  memberCount: number;
}

export function createBranchesService({ stores, clock }: ServiceDeps) {
  const requireAdmin = (actor: User) => {
    if (actor.role !== 'admin') throw forbidden('只有管理员可以管理支部');
  };

  /** The new secretary must already belong to the branch. Checked before anything is written. */
  async function checkSecretary(branch: Branch, secretaryId: string) {
    const user = await stores.users.get(secretaryId);
    if (!user) throw notFound('用户');
    if (user.branchId !== branch.id) {
      throw invalidInput('支部书记必须是本支部的成员', [{ path: 'secretaryId', message: '请先把该用户调入本支部' }]);
    }
    return user;
  }

  /** The new secretary is promoted from member; the previous one steps down to member. */
  async function applySecretaryChange(branch: Branch, next: StoredUser | null) {
    if (next?.role === 'member') await stores.users.update(next.id, next.branchId, { role: 'secretary' });
    if (branch.secretaryId && branch.secretaryId !== next?.id) {
      const previous = await stores.users.get(branch.secretaryId);
      if (previous?.role === 'secretary' && previous.branchId === branch.id) {
        await stores.users.update(previous.id, previous.branchId, { role: 'member' });
      }
    }
  }

  return {
    /** Branch names are not secret: every signed-in user may list them (members see their own branch's name). */
    async list(): Promise<ListResult<BranchWithCount>> {
      const branches = await stores.branches.list();
      const counts = await Promise.all(branches.map((b) => stores.branches.memberCount(b.id)));
      return { items: branches.map((b, i) => ({ ...b, memberCount: counts[i] ?? 0 })), total: branches.length };
    },

    async create(actor: User, input: CreateBranchInput): Promise<Branch> {
      requireAdmin(actor);
      if (input.secretaryId) {
        throw invalidInput('请先创建支部并调入成员，再指定支部书记', [{ path: 'secretaryId', message: '新支部还没有成员' }]);
      }
      const branch: Branch = { id: newId(), name: input.name, secretaryId: null };
      const outcome = await stores.branches.create(branch, clock.now());
      if (outcome === 'name-taken') throw conflict(`支部“${input.name}”已存在`);
      return branch;
    },

    async update(actor: User, id: string, input: UpdateBranchInput): Promise<Branch> {
      requireAdmin(actor);
      const branch = await stores.branches.get(id);
      if (!branch) throw notFound('支部');
      const changingSecretary = input.secretaryId !== undefined && input.secretaryId !== branch.secretaryId;
      const nextSecretary = changingSecretary && input.secretaryId ? await checkSecretary(branch, input.secretaryId) : null;
      const updated: Branch = {
        ...branch,
        name: input.name ?? branch.name,
        secretaryId: input.secretaryId !== undefined ? input.secretaryId : branch.secretaryId,
      };
      const outcome = await stores.branches.update(updated, branch.name);
      if (outcome === 'missing') throw notFound('支部');
      if (outcome === 'name-taken') throw conflict(`支部“${updated.name}”已存在`);
      if (changingSecretary) await applySecretaryChange(branch, nextSecretary);
      return updated;
    },

    async remove(actor: User, id: string): Promise<void> {
      requireAdmin(actor);
      const branch = await stores.branches.get(id);
      if (!branch) throw notFound('支部');
      const outcome = await stores.branches.remove(branch);
      if (outcome === 'missing') throw notFound('支部');
      if (outcome === 'has-members') throw conflict('支部还有成员，请先把成员调出或停用后再删除');
    },
  };
}

export type BranchesService = ReturnType<typeof createBranchesService>;
