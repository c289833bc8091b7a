import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import type { Role } from '../../shared/schemas/users';
import { safeRedirect } from '../../shared/redirect';
import { useSessionStore } from './stores/session';
// The player's page is in the entry chunk (no second round trip on a phone); every other page is a chunk of its own,
// named after its file, loaded when its route is first opened: /join never fetches the admin, bank or host code.
import PlayerJoinPage from './pages/PlayerJoinPage.vue';
const LoginPage = () => import('./pages/LoginPage.vue');
const ChangePasswordPage = () => import('./pages/ChangePasswordPage.vue');
const HomePage = () => import('./pages/HomePage.vue');
const BranchPage = () => import('./pages/BranchPage.vue');
const AdminBranchesPage = () => import('./pages/AdminBranchesPage.vue');
const AdminUsersPage = () => import('./pages/AdminUsersPage.vue');
const PrintSlipsPage = () => import('./pages/PrintSlipsPage.vue');
const BankPage = () => import('./pages/BankPage.vue');
const QuizzesPage = () => import('./pages/QuizzesPage.vue');
const HostPage = () => import('./pages/HostPage.vue');
const GamesPage = () => import('./pages/GamesPage.vue');
const GameReportPage = () => import('./pages/GameReportPage.vue');
const MyGamesPage = () => import('./pages/MyGamesPage.vue');
const StudySessionsPage = () => import('./pages/study/StudySessionsPage.vue');
const StudyPresenterPage = () => import('./pages/study/StudyPresenterPage.vue');
const StudyFollowerPage = () => import('./pages/study/StudyFollowerPage.vue');
const RecordEditorPage = () => import('./pages/study/RecordEditorPage.vue');
const RecordPrintPage = () => import('./pages/study/RecordPrintPage.vue');
const StudyRecordsPage = () => import('./pages/study/StudyRecordsPage.vue');
const MaterialsPage = () => import('./pages/study/MaterialsPage.vue');
const MaterialReaderPage = () => import('./pages/study/MaterialReaderPage.vue');
const ExamsPage = () => import('./pages/exams/ExamsPage.vue');
const ExamAttemptPage = () => import('./pages/exams/ExamAttemptPage.vue');
const ExamResultPage = () => import('./pages/exams/ExamResultPage.vue');
const ExamsManagePage = () => import('./pages/exams/ExamsManagePage.vue');
const ExamResultsPage = () => import('./pages/exams/ExamResultsPage.vue');
const ReviewHubPage = () => import('./pages/review/ReviewHubPage.vue');
const DailyReviewPage = () => import('./pages/review/DailyReviewPage.vue');
const PracticePage = () => import('./pages/review/PracticePage.vue');
const WrongBookPage = () => import('./pages/review/WrongBookPage.vue');
// The only page that draws charts: echarts loads with it and never with the entry or the player's page.
const ReviewStatsPage = () => import('./pages/review/StatsPage.vue');
const BranchReviewPage = () => import('./pages/review/BranchReviewPage.vue');
// 学习台账 (issue 12): the leader dashboard draws charts too, so echarts loads with it only.
const LedgerDashboardPage = () => import('./pages/ledger/DashboardPage.vue');
const MyLedgerPage = () => import('./pages/ledger/MyLedgerPage.vue');
const LedgerCatchUpPage = () => import('./pages/ledger/CatchUpPage.vue');
const LedgerSettingsPage = () => import('./pages/ledger/LedgerSettingsPage.vue');
const LedgerBranchMembersPage = () => import('./pages/ledger/BranchMembersPage.vue');
const LedgerPrintPage = () => import('./pages/ledger/LedgerPrintPage.vue');
const LedgerEvaluationPage = () => import('./pages/ledger/EvaluationPage.vue');
// 学习任务 (issue 12): staff give tasks and follow them; the 责任清单 per year.
const TasksPage = () => import('./pages/ledger/TasksPage.vue');
const TaskDetailPage = () => import('./pages/ledger/TaskDetailPage.vue');
const TasksChecklistPage = () => import('./pages/ledger/TasksChecklistPage.vue');

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
    /** Render without Naive UI, so its code never loads (the player's page on a phone); such a page uses none of it. */
    plain?: boolean;
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
  { path: '/join', name: 'join', component: PlayerJoinPage, meta: { public: true, bare: true, edge: true, plain: true } },
  { path: '/games', name: 'games', component: GamesPage, meta: { roles: ['admin', 'secretary'] } },
  { path: '/games/:id', name: 'game-report', component: GameReportPage, meta: { roles: ['admin', 'secretary'] } },
  { path: '/my-games', name: 'my-games', component: MyGamesPage },
  // Study sessions: staff plan them; members see their branch's. The presenter's screen (projector; whoever
  // presents, the server checks) and the follower's (phone, meeting-room screen: plain, no Naive UI) run edge to edge.
  { path: '/study', name: 'study', component: StudySessionsPage },
  { path: '/study/:id/present', name: 'study-present', component: StudyPresenterPage, meta: { bare: true, edge: true } },
  // The meeting record (会议记录): members read it and add their 心得体会; the print view is a bare A4 sheet.
  { path: '/study/:id/record', name: 'study-record', component: RecordEditorPage },
  { path: '/study/:id/record/print', name: 'study-record-print', component: RecordPrintPage, meta: { bare: true } },
  { path: '/study-records', name: 'study-records', component: StudyRecordsPage, meta: { roles: ['admin', 'secretary'] } },
  { path: '/materials', name: 'materials', component: MaterialsPage, meta: { roles: ['admin', 'secretary'] } },
  // Any signed-in user who may see the material (the server decides); members reach it by a link.
  { path: '/materials/:id', name: 'material-reader', component: MaterialReaderPage },
  { path: '/study/:id', name: 'study-follow', component: StudyFollowerPage, meta: { bare: true, edge: true, plain: true } },
  { path: '/review/stats', name: 'review-stats', component: ReviewStatsPage },
  // Self review (自学, issue 11): every signed-in user, on their own cards; the server grades every answer.
  { path: '/review', name: 'review', component: ReviewHubPage },
  { path: '/review/daily', name: 'review-daily', component: DailyReviewPage },
  { path: '/review/practice/:sittingId', name: 'review-practice', component: PracticePage },
  { path: '/review/wrong-book', name: 'review-wrong-book', component: WrongBookPage },
  { path: '/review/branch', name: 'review-branch', component: BranchReviewPage, meta: { roles: ['admin', 'secretary'] } },
  // 模拟考试 (issue 11): members take exams (the exam screen runs edge to edge, no menu to stray into); staff publish them.
  { path: '/exams', name: 'exams', component: ExamsPage },
  { path: '/exams/manage', name: 'exams-manage', component: ExamsManagePage, meta: { roles: ['admin', 'secretary'] } },
  { path: '/exams/manage/:id', name: 'exam-results', component: ExamResultsPage, meta: { roles: ['admin', 'secretary'] } },
  { path: '/exams/:id/attempt', name: 'exam-attempt', component: ExamAttemptPage, meta: { bare: true, edge: true } },
  { path: '/exams/attempts/:id', name: 'exam-result', component: ExamResultPage },
  // 学习台账 (issue 12): staff see the dashboard, 需补学 and branch members (the server checks the branch); members their own record.
  { path: '/ledger/dashboard', name: 'ledger-dashboard', component: LedgerDashboardPage, meta: { roles: ['admin', 'secretary'] } },
  { path: '/ledger/me', name: 'ledger-me', component: MyLedgerPage },
  { path: '/ledger/catch-up', name: 'ledger-catch-up', component: LedgerCatchUpPage, meta: { roles: ['admin', 'secretary'] } },
  { path: '/ledger/settings', name: 'ledger-settings', component: LedgerSettingsPage, meta: { roles: ['admin'] } },
  { path: '/ledger/branches/:id', name: 'ledger-branch-members', component: LedgerBranchMembersPage, meta: { roles: ['admin', 'secretary'] } },
  // A member's year on one A4 sheet (the member, their secretary or an admin: the server checks), and the year-end evaluation.
  { path: '/ledger/print/:memberId', name: 'ledger-print', component: LedgerPrintPage, meta: { bare: true } },
  { path: '/ledger/evaluation', name: 'ledger-evaluation', component: LedgerEvaluationPage, meta: { roles: ['admin', 'secretary'] } },
  // Before `/ledger/tasks/:id`: "checklist" is not a task.
  { path: '/ledger/tasks', name: 'ledger-tasks', component: TasksPage, meta: { roles: ['admin', 'secretary'] } },
  { path: '/ledger/tasks/checklist', name: 'ledger-tasks-checklist', component: TasksChecklistPage, meta: { roles: ['admin', 'secretary'] } },
  { path: '/ledger/tasks/:id', name: 'ledger-task', component: TaskDetailPage, meta: { roles: ['admin', 'secretary'] } },
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
  // Where the user was going is carried through login and the forced password change (issue 9 item 3).
  const carry = to.fullPath !== '/' ? { redirect: to.fullPath } : {};
  if (!user) {
    return to.meta.public ? true : { path: '/login', query: carry };
  }
  if (user.mustChangePassword) {
    return to.name === 'change-password' ? true : { name: 'change-password', query: to.name === 'login' ? to.query : carry };
  }
  if (to.name === 'login') return safeRedirect(to.query.redirect) ?? '/';
  if (to.meta.roles && !to.meta.roles.includes(user.role)) return { path: '/' };
  return true;
});
