import type { ListResult } from '../../shared/schemas/common';
import type { CreateUserInput, ListUsersQuery, UpdateUserInput, User } from '../../shared/schemas/users';
import { normaliseForCompare } from '../../shared/text';
import { conflict, forbidden, invalidInput, notFound } from '../domain/errors';
import { canAssign, canManageUser, isStaff } from '../domain/permissions';
import { newId } from '../store/ids';
import { publicUser, type StoredUser, type UserChanges } from '../store/usersStore';
import type { ServiceDeps } from './deps';
import { hashPassword } from './passwords';

function requireBranchForRole(role: User['role'], branchId: string | null | undefined) {
  if (role !== 'admin' && !branchId) {
    throw invalidInput('支部书记和党员必须属于一个支部', [{ path: 'branchId', message: '请选择支部' }]);
  }
}

export function createUsersService({ stores, clock, notifier }: ServiceDeps) {
  /** Keeps branch.secretaryId pointing at a secretary of that branch after a user changes. */
  async function syncBranchSecretary(before: StoredUser | null, after: User) {
    if (before?.branchId && before.role === 'secretary' && (after.role !== 'secretary' || after.branchId !== before.branchId)) {
      const branch = await stores.branches.get(before.branchId);
      if (branch?.secretaryId === after.id) await stores.branches.update({ ...branch, secretaryId: null }, branch.name);
    }
    if (after.role === 'secretary' && after.branchId) {
      const branch = await stores.branches.get(after.branchId);
      if (branch && !branch.secretaryId) await stores.branches.update({ ...branch, secretaryId: after.id }, branch.name);
    }
  }

  /** The roll over time (participation counts members for the part of a period they were on a branch's roll). */
  async function syncRoll(id: string, before: Pick<User, 'branchId' | 'disabled'> | null, after: Pick<User, 'branchId' | 'disabled'>) {
    const was = before && !before.disabled ? before.branchId : null;
    const is = !after.disabled ? after.branchId : null;
    if (was === is) return;
    const now = clock.now();
    if (was) await stores.roll.leave(was, id, now);
    if (is) await stores.roll.join(is, id, now);
  }

  async function requireBranchExists(branchId: string | null | undefined) {
    if (branchId && !(await stores.branches.get(branchId))) throw notFound('支部');
  }

  return {
    async list(actor: User, query: ListUsersQuery): Promise<ListResult<User>> {
      if (!isStaff(actor)) throw forbidden();
      let branchId = query.branchId;
      if (actor.role === 'secretary') {
        if (!actor.branchId || (branchId && branchId !== actor.branchId)) throw forbidden('只能查看本支部的党员');
        branchId = actor.branchId;
      }
      let users = await stores.users.list(branchId);
      if (query.q) {
        const q = normaliseForCompare(query.q);
        users = users.filter((u) => normaliseForCompare(`${u.username} ${u.displayName}`).includes(q));
      }
      const start = (query.page - 1) * query.pageSize;
      return { items: users.slice(start, start + query.pageSize).map(publicUser), total: users.length };
    },

    /** Creates a user whose password was set by someone else: they must change it at first login. */
    async create(actor: User, input: CreateUserInput): Promise<User> {
      const branchId = input.branchId ?? null;
      if (!canAssign(actor, input.role, branchId)) throw forbidden('支部书记只能为本支部添加党员');
      requireBranchForRole(input.role, branchId);
      await requireBranchExists(branchId);
      const user: StoredUser = {
        id: newId(),
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        branchId,
        disabled: false,
        mustChangePassword: true,
        passwordHash: await hashPassword(input.password),
        createdAt: clock.now(),
      };
      const outcome = await stores.users.create(user);
      if (outcome === 'username-taken') throw conflict(`用户名“${input.username}”已被使用`);
      if (outcome === 'branch-missing') throw notFound('支部');
      await syncBranchSecretary(null, publicUser(user));
      await syncRoll(user.id, null, user);
      return publicUser(user);
    },

    async update(actor: User, id: string, input: UpdateUserInput): Promise<User> {
      if (!isStaff(actor)) throw forbidden();
      const target = await stores.users.get(id);
      if (!target) throw notFound('用户');
      if (!canManageUser(actor, target)) throw forbidden('支部书记只能管理本支部的党员');
      const role = input.role ?? target.role;
      const branchId = input.branchId !== undefined ? input.branchId : target.branchId;
      if (!canAssign(actor, role, branchId)) throw forbidden('支部书记只能管理本支部的党员');
      requireBranchForRole(role, branchId);
      await requireBranchExists(branchId);
      const losesAdmin = target.role === 'admin' && (role !== 'admin' || input.disabled === true);
      if (losesAdmin && (await stores.users.countAdmins()) <= 1) throw conflict('不能停用或降级唯一的管理员');
      if (actor.id === id && input.disabled) throw conflict('不能停用自己的账号');

      const changes: UserChanges = { displayName: input.displayName, role, branchId, disabled: input.disabled };
      if (input.password) {
        changes.passwordHash = await hashPassword(input.password);
        changes.mustChangePassword = true;
      }
      const outcome = await stores.users.update(id, target.branchId, changes);
      if (outcome === 'missing') throw notFound('用户');
      if (outcome === 'branch-missing') throw notFound('支部');
      const updated = publicUser({ ...target, ...changes } as StoredUser);
      await syncBranchSecretary(target, updated);
      await syncRoll(id, target, updated);
      // Disabling or resetting a password ends the user's sessions and disconnects their sockets.
      if (input.disabled || input.password) {
        const ended = await stores.sessions.destroyAllFor(id);
        notifier.sessionsEnded(ended, input.disabled ? 'disabled' : 'password-changed');
      } else if (updated.role !== target.role || updated.branchId !== target.branchId) {
        // An open socket took its rights at the handshake: end it, so a new one carries the new role and branch.
        notifier.userChanged(id);
      }
      return updated;
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
