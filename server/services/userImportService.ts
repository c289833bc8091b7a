import { z } from 'zod';
import type { ImportCreatedRow, ImportRowError, User, UserImportResult } from '../../shared/schemas/users';
import { displayNameSchema, passwordSchema, usernameSchema } from '../../shared/schemas/users';
import { AppError, forbidden, invalidInput } from '../domain/errors';
import { canAssign, isStaff } from '../domain/permissions';
import { locateUserColumns, MAX_USER_IMPORT_ROWS, parseImportRole } from '../domain/userImport';
import { assertRowCap, type Table } from '../domain/table';
import type { ServiceDeps } from './deps';
import { generatePassword } from './passwords';
import type { UsersService } from './usersService';

const firstIssue = (err: z.ZodError) => err.issues[0]?.message ?? '格式不正确';

export function createUserImportService({ stores }: ServiceDeps, users: UsersService) {
  return {
    /** Creates members row by row: a bad row is reported and never stops the good ones. */
    async importUsers(actor: User, table: Table, dryRun: boolean): Promise<UserImportResult> {
      if (!isStaff(actor)) throw forbidden();
      assertRowCap(table, MAX_USER_IMPORT_ROWS, '名党员');
      const cols = locateUserColumns(table.headers);
      const missing = (['username', 'displayName'] as const).filter((f) => cols[f] < 0);
      if (missing.length > 0) throw invalidInput('表头缺少“用户名”或“姓名”列，请使用导入模板');
      const branchesByName = new Map((await stores.branches.list()).map((b) => [b.name.trim(), b]));
      const created: ImportCreatedRow[] = [];
      const errors: ImportRowError[] = [];
      const seen = new Set<string>();
      const cell = (cells: string[], i: number) => (i >= 0 ? (cells[i] ?? '') : '');

      for (const { row, cells } of table.rows) {
        const fail = (message: string) => errors.push({ row, message });
        const username = usernameSchema.safeParse(cell(cells, cols.username));
        if (!username.success) { fail(`用户名：${firstIssue(username.error)}`); continue; }
        const displayName = displayNameSchema.safeParse(cell(cells, cols.displayName));
        if (!displayName.success) { fail('姓名不能为空，且不超过 40 个字'); continue; }
        const role = parseImportRole(cell(cells, cols.role));
        if (!role) { fail(`角色“${cell(cells, cols.role)}”无法识别，请填写“党员”或“支部书记”`); continue; }
        const branchName = cell(cells, cols.branch);
        // A secretary's sheet may leave the branch empty: it means their own branch.
        const branch = branchName ? branchesByName.get(branchName) : actor.role === 'secretary' ? { id: actor.branchId ?? '' } : undefined;
        if (!branch) { fail(branchName ? `支部“${branchName}”不存在` : '请填写支部'); continue; }
        if (!canAssign(actor, role, branch.id)) { fail('支部书记只能导入本支部的党员'); continue; }
        const given = cell(cells, cols.password);
        if (given && !passwordSchema.safeParse(given).success) { fail('初始密码至少 8 位'); continue; }
        const key = username.data.toLowerCase();
        if (seen.has(key)) { fail(`用户名“${username.data}”在文件中重复`); continue; }
        seen.add(key);
        const password = given || generatePassword();
        const entry: ImportCreatedRow = { row, username: username.data, ...(given ? {} : { password }) };
        if (dryRun) {
          if (await stores.users.findByUsername(username.data)) { fail(`用户名“${username.data}”已存在`); continue; }
          created.push(entry);
          continue;
        }
        try {
          await users.create(actor, { username: username.data, displayName: displayName.data, password, role, branchId: branch.id });
          created.push(entry);
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          fail(err.code === 'CONFLICT' ? `用户名“${username.data}”已存在` : err.message);
        }
      }
      return { created, errors };
    },
  };
}

export type UserImportService = ReturnType<typeof createUserImportService>;
