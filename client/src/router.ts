import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import type { Role } from '../../shared/schemas/users';
import { useSessionStore } from './stores/session';
import LoginPage from './pages/LoginPage.vue';
import ChangePasswordPage from './pages/ChangePasswordPage.vue';
import HomePage from './pages/HomePage.vue';
import BranchPage from './pages/BranchPage.vue';
import AdminBranchesPage from './pages/AdminBranchesPage.vue';
import AdminUsersPage from './pages/AdminUsersPage.vue';
import PrintSlipsPage from './pages/PrintSlipsPage.vue';
import BankPage from './pages/BankPage.vue';
import QuizzesPage from './pages/QuizzesPage.vue';
import HostPage from './pages/HostPage.vue';
import PlayerJoinPage from './pages/PlayerJoinPage.vue';
import GamesPage from './pages/GamesPage.vue';
import GameReportPage from './pages/GameReportPage.vue';
import MyGamesPage from './pages/MyGamesPage.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean;
    /** Only these roles may open the page. */
    roles?: Role[];
    /** Render without the app header (printing). */
    bare?: boolean;
    /** Render edge to edge without the page padding (live screens on projectors and phones). */
    edge?: boolean;
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: LoginPage, meta: { public: true } },
  { path: '/change-password', name: 'change-password', component: ChangePasswordPage },
  { path: '/', name: 'home', component: HomePage },
  { path: '/branch', name: 'branch', component: BranchPage, meta: { roles: ['secretary'] } },
  { path: '/admin/branches', name: 'admin-branches', component: AdminBranchesPage, meta: { roles: ['admin'] } },
  { path: '/admin/users', name: 'admin-users', component: AdminUsersPage, meta: { roles: ['admin'] } },
  {
    path: '/print-slips',
    name: 'print-slips',
    component: PrintSlipsPage,
    meta: { roles: ['admin', 'secretary'], bare: true },
  },
  { path: '/bank', name: 'bank', component: BankPage, meta: { roles: ['admin', 'secretary'] } },
  { path: '/quizzes', name: 'quizzes', component: QuizzesPage, meta: { roles: ['admin', 'secretary'] } },
  { path: '/host', name: 'host-new', component: HostPage, meta: { roles: ['admin', 'secretary'] } },
  { path: '/host/:gameId', name: 'host', component: HostPage, meta: { roles: ['admin', 'secretary'], bare: true, edge: true } },
  // Guests may play games that allow them, so the player page is public; signed-in members play under their name.
  { path: '/join', name: 'join', component: PlayerJoinPage, meta: { public: true, bare: true, edge: true } },
  { path: '/games', name: 'games', component: GamesPage, meta: { roles: ['admin', 'secretary'] } },
  { path: '/games/:id', name: 'game-report', component: GameReportPage, meta: { roles: ['admin', 'secretary'] } },
  { path: '/my-games', name: 'my-games', component: MyGamesPage },
  { path: '/:pathMatch(.*)*', redirect: '/' },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
});

router.beforeEach(async (to) => {
  const session = useSessionStore();
  if (!session.loaded) {
    try {
      await session.load();
    } catch {
      /* server unreachable: treat as signed out */
    }
  }
  const user = session.user;
  if (!user) {
    return to.meta.public ? true : { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} };
  }
  if (user.mustChangePassword) {
    return to.name === 'change-password' ? true : { name: 'change-password' };
  }
  if (to.name === 'login') return { path: '/' };
  if (to.meta.roles && !to.meta.roles.includes(user.role)) return { path: '/' };
  return true;
});
