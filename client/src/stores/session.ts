import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { User } from '../../../shared/schemas/users';
import { api, ApiError } from '../api';

export const useSessionStore = defineStore('session', () => {
  /** The signed-in user, or null when signed out. */
  const user = ref<User | null>(null);
  /** True once load() has asked the server who is signed in. */
  const loaded = ref(false);
  /** The signed-in user's role, or null. */
  const role = computed(() => user.value?.role ?? null);

  /** Asks /api/me who is signed in: `{ user: null }` means nobody (a 200, so the console stays quiet). */
  async function load(): Promise<void> {
    try {
      const res = await api<{ user: User | null }>('GET', '/me');
      user.value = res.user;
    } catch (e) {
      // A 401 still means nobody; anything else is a real failure.
      if (!(e instanceof ApiError) || e.status !== 401) {
        loaded.value = true;
        throw e;
      }
      user.value = null;
    }
    loaded.value = true;
  }

  /** Signs in with username and password; throws ApiError with the server's message. */
  async function login(username: string, password: string): Promise<User> {
    const res = await api<{ user: User }>('POST', '/auth/login', { username, password });
    user.value = res.user;
    loaded.value = true;
    return res.user;
  }

  /** Signs out and forgets the user, even if the server call fails. */
  async function logout(): Promise<void> {
    try {
      await api<void>('POST', '/auth/logout');
    } finally {
      user.value = null;
    }
  }

  /** Changes the own password, then clears the must-change flag. */
  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await api<void>('POST', '/me/password', { currentPassword, newPassword });
    try {
      await load();
    } catch {
      /* keep the local copy below */
    }
    if (user.value) user.value = { ...user.value, mustChangePassword: false };
  }

  return { user, loaded, role, load, login, logout, changePassword };
});
