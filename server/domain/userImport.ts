import type { Role } from '../../shared/schemas/users';
import { locateColumns } from './table';

/** Members one import creates at most (each costs an argon2 hash, about 50 ms of a core). */
export const MAX_USER_IMPORT_ROWS = 5_000;

/** Accepted header names per column of the member import sheet. */
export const USER_IMPORT_COLUMNS = {
  username: ['用户名', 'username', '账号', '登录名'],
  displayName: ['姓名', 'displayName', 'name'],
  branch: ['支部', 'branch', '所在支部', '支部名称'],
  role: ['角色', 'role'],
  password: ['初始密码', 'password', '密码'],
} as const;

export type UserImportField = keyof typeof USER_IMPORT_COLUMNS;

export const USER_IMPORT_TEMPLATE_HEADER = ['用户名', '姓名', '支部', '角色', '初始密码'];
export const USER_IMPORT_TEMPLATE_EXAMPLE = ['zhangsan', '张三', '第一支部', '党员', ''];

export function locateUserColumns(headers: string[]) {
  return locateColumns(headers, USER_IMPORT_COLUMNS);
}

/** 党员/member or empty -> member; 支部书记/书记/secretary -> secretary; anything else is not importable. */
export function parseImportRole(cell: string): Role | null {
  const v = cell.trim().toLowerCase();
  if (v === '' || v === '党员' || v === 'member') return 'member';
  if (v === '支部书记' || v === '书记' || v === 'secretary') return 'secretary';
  return null;
}
