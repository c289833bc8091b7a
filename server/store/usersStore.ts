import type { Role, User } from '../../shared/schemas/users';
import type { RedisClient } from '../infra/redis';
import { keys } from './keys';
import { LuaScript } from './scripts';
import createUserLua from './scripts/createUser.lua?raw';
import updateUserLua from './scripts/updateUser.lua?raw';

const createUserScript = new LuaScript(createUserLua);
const updateUserScript = new LuaScript(updateUserLua);

/** A user as stored, with the hash that never leaves the server. */
export interface StoredUser extends User {
  passwordHash: string;
  createdAt: number;
}

export type UserChanges = Partial<Pick<StoredUser, 'displayName' | 'role' | 'branchId' | 'disabled' | 'mustChangePassword' | 'passwordHash'>>;

const usernameKey = (username: string) => username.toLowerCase();

function toHash(fields: Partial<StoredUser>): string[] {
  const out: string[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out.push(field, value === null ? '' : typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return out;
}

function fromHash(h: Record<string, string>): StoredUser | null {
  if (!h.id) return null;
  return {
    id: h.id,
    username: h.username ?? '',
    displayName: h.displayName ?? '',
    role: (h.role ?? 'member') as Role,
    branchId: h.branchId || null,
    disabled: h.disabled === '1',
    mustChangePassword: h.mustChangePassword === '1',
    passwordHash: h.passwordHash ?? '',
    createdAt: Number(h.createdAt ?? 0),
  };
}

/** Drops what must never leave the server. */
export function publicUser(u: StoredUser): User {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    branchId: u.branchId,
    disabled: u.disabled,
    mustChangePassword: u.mustChangePassword,
  };
}

export type CreateUserOutcome = 'created' | 'username-taken' | 'branch-missing';

export function createUsersStore(redis: RedisClient) {
  return {
    async create(user: StoredUser): Promise<CreateUserOutcome> {
      const branchKeys = user.branchId
        ? [keys.branch(user.branchId), keys.branchMembers(user.branchId)]
        : [keys.none(), keys.none()];
      const result = await createUserScript.run(
        redis,
        [keys.usersByName(), keys.user(user.id), keys.usersAll(), ...branchKeys],
        [usernameKey(user.username), user.id, user.createdAt, user.branchId ? 1 : 0, ...toHash(user)],
      );
      return result === 1 ? 'created' : result === 0 ? 'username-taken' : 'branch-missing';
    },

    async get(id: string): Promise<StoredUser | null> {
      return fromHash(await redis.hGetAll(keys.user(id)));
    },

    async getMany(ids: string[]): Promise<StoredUser[]> {
      if (ids.length === 0) return [];
      const multi = redis.multi();
      for (const id of ids) multi.hGetAll(keys.user(id));
      const replies = (await multi.execAsPipeline()) as unknown as Record<string, string>[];
      return replies.map(fromHash).filter((u): u is StoredUser => u !== null);
    },

    async findByUsername(username: string): Promise<StoredUser | null> {
      const id = await redis.hGet(keys.usersByName(), usernameKey(username));
      return id ? this.get(id) : null;
    },

    /** All users, oldest first, or the members of one branch. */
    async list(branchId?: string): Promise<StoredUser[]> {
      const ids = branchId
        ? await redis.sMembers(keys.branchMembers(branchId))
        : await redis.zRange(keys.usersAll(), 0, -1);
      const users = await this.getMany(ids);
      return users.sort((a, b) => a.createdAt - b.createdAt);
    },

    async countAdmins(): Promise<number> {
      const users = await this.list();
      return users.filter((u) => u.role === 'admin').length;
    },

    /** Returns 'updated', or why not. `previousBranchId` is the branch the caller read. */
    async update(id: string, previousBranchId: string | null, changes: UserChanges): Promise<'updated' | 'missing' | 'branch-missing'> {
      const moving = changes.branchId !== undefined && changes.branchId !== previousBranchId;
      const newBranch = moving ? changes.branchId ?? null : null;
      const result = await updateUserScript.run(
        redis,
        [
          keys.user(id),
          previousBranchId ? keys.branchMembers(previousBranchId) : keys.none(),
          newBranch ? keys.branch(newBranch) : keys.none(),
          newBranch ? keys.branchMembers(newBranch) : keys.none(),
        ],
        [id, moving ? 1 : 0, newBranch ? 1 : 0, ...toHash(changes)],
      );
      return result === 1 ? 'updated' : result === 0 ? 'missing' : 'branch-missing';
    },
  };
}

export type UsersStore = ReturnType<typeof createUsersStore>;
