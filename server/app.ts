import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync } from 'node:fs';
import express from 'express';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Config } from './config';
import type { Clock } from './infra/clock';
import type { Logger } from './infra/logger';
import type { RedisClient } from './infra/redis';
import { apiNotFound, createErrorHandler } from './http/errorHandler';
import { securityHeaders } from './http/securityHeaders';
import { authRoutes } from './http/authRoutes';
import { branchRoutes } from './http/branchRoutes';
import { healthRoutes } from './http/healthRoutes';
import { staticClient } from './http/staticClient';
import { sessionMiddleware } from './http/session';
import { userRoutes } from './http/userRoutes';
import { questionRoutes } from './http/questionRoutes';
import { quizRoutes } from './http/quizRoutes';
import { materialRoutes } from './http/materialRoutes';
import { studySessionRoutes } from './http/studySessionRoutes';
import { studyPollRoutes } from './http/studyPollRoutes';
import { createStudyServices } from './services/study';
import { createLedgerServices } from './services/ledger';
import { describeBackfill } from './services/ledger/backfill';
import type { ActivitySink } from './services/ledger/activity';
import { liveGameActivities } from './services/ledger/liveGameEntries';
import { createReviewServices, type ReviewServices } from './services/review';
import { reviewRoutes } from './http/reviewRoutes';
import { createExamServices } from './services/review/examServices';
import { examRoutes } from './http/examRoutes';
import { ledgerExportRoutes } from './http/ledgerExportRoutes';
import { taskRoutes } from './http/taskRoutes';
import { ledgerRoutes } from './http/ledgerRoutes';
import type { StudyOutput } from './services/study/liveStudy';
import { studyRecordRoutes } from './http/studyRecordRoutes';
import { setupStudyNamespace } from './realtime/study';
import { createStudyOutput, studyFeeds, type StudyNamespace } from './realtime/studyOutput';
import { createQuizzesService } from './services/quizzesService';
import { createQuizzesStore } from './store/quizzesStore';
import { createQuestionsService } from './services/questionsService';
import { createQuestionImportService } from './services/questionImportService';
import { createQuestionsStore } from './store/questionsStore';
import { gameRoutes } from './http/gameRoutes';
import { createGamesStore } from './store/gamesStore';
import { createLiveAnswersStore } from './store/liveAnswersStore';
import { createGameReportsService } from './services/gameReportsService';
import { createGameReportDataStore } from './store/gameReportDataStore';
import { createLiveGamesService } from './services/liveGamesService';
import { createLiveTimers } from './services/liveTimers';
import { createPresence } from './services/presence';
import { createPresenceStore } from './store/presenceStore';
import { newId } from './store/ids';
import type { LiveOutput } from './services/liveOutput';
import { createLiveOutput } from './realtime/liveOutput';
import { compileTrust } from './realtime/clientIp';
import { createInflight, type Inflight } from './infra/inflight';
import { createSocketNotifier, setupLiveNamespace, type LiveNamespace, type LiveServer } from './realtime/live';
import { createAuthService } from './services/authService';
import { createBranchesService } from './services/branchesService';
import type { ServiceDeps } from './services/deps';
import { createUserImportService } from './services/userImportService';
import { createUsersService } from './services/usersService';
import { createBranchesStore } from './store/branchesStore';
import { createRateLimitStore } from './store/rateLimitStore';
import { createLedgerRollStore } from './store/ledger/rollStore';
import { createSessionsStore } from './store/sessionsStore';
import { createUsersStore } from './store/usersStore';

export interface AppDeps {
  redis: RedisClient;
  clock: Clock;
  logger: Logger;
  config: Config;
}

export interface App {
  http: HttpServer;
  io: LiveServer;
  services: ReturnType<typeof createServices>;
  /** Links this process's sockets to every other process on the same Redis (broadcasts, results, disconnects). */
  linkProcesses(channelPrefix?: string): Promise<void>;
  /** Closes the sockets and waits for their handlers' Redis work, so the caller may close Redis next. */
  stop(): Promise<void>;
}

function createServices(deps: ServiceDeps, output: () => LiveOutput, inflight: Inflight, studyOutput: () => StudyOutput) {
  const users = createUsersService(deps);
  // The study record (issue 12) first: every area hands it what members did.
  // The leader dashboard shows what runs now in the other areas, built below; it reads them when asked.
  const ledger = createLedgerServices(deps, () => ({
    runningGames: (actor) => questionArea.reports.running(actor),
    runningSessions: async (actor) => {
      const live = await study.sessions.live(actor);
      return Promise.all(live.map(async (s) => ({ id: s.id, title: s.title, branchId: s.branchId, present: (await study.attendance.presentUsers(s.id)).size })));
    },
    recordsAwaiting: async (actor) => (await study.records.awaitingApproval(actor)).map((r) => ({ sessionId: r.sessionId, title: r.title, branchId: r.branchId, status: r.status })),
  }));
  const activity = ledger.record.sink;
  // Self review (issue 11): before the games, whose finished answers it takes (cards, wrong-answer book).
  const review = createReviewServices(deps, activity);
  const questionArea = questionServices(deps, output, inflight, review, activity);
  // One presence per process, shared by live games and study sessions (one heartbeat renews both).
  const study = createStudyServices(deps, questionArea.presence, studyOutput, { activity, meetingHeld: ledger.record.addMeeting });
  return {
    auth: createAuthService(deps),
    users,
    branches: createBranchesService(deps),
    userImport: createUserImportService(deps, users),
    ...questionArea,
    study,
    review,
    // Mock exams (issue 11): graded attempts hand their answers to the review area (cards, wrong-answer book).
    exams: createExamServices(deps, questionArea.quizzes, review.sink, activity),
    ledger,
  };
}

function questionServices(deps: ServiceDeps, output: () => LiveOutput, inflight: Inflight, review: ReviewServices, activity: ActivitySink) {
  const store = createQuestionsStore(deps.redis);
  const quizStore = createQuizzesStore(deps.redis);
  const questions = createQuestionsService(store, quizStore, deps.stores.branches, deps.clock);
  const quizzes = createQuizzesService(quizStore, store, deps.stores.branches, deps.clock);
  const gamesStore = createGamesStore(deps.redis);
  const reports = createGameReportsService(gamesStore, deps.stores.branches, quizStore, {
    users: deps.stores.users,
    data: createGameReportDataStore(deps.redis),
    // In the background (a big game's answers take a while; the podium must not wait), tracked so a stop waits for it;
    // a review failure must not fail the game's finalise: the record is already stored.
    finished: async (report) => {
      void inflight.track(review.liveGames.gameFinished(report).catch((err: unknown) => deps.logger.error({ err, gameId: report.id }, 'review of a finished game failed')));
      // The study record: awaited, so the entries are there when the podium shows (a few HSETNX per player).
      await activity.record(liveGameActivities(report)).catch((err: unknown) => deps.logger.error({ err, gameId: report.id }, 'recording a finished game failed'));
    },
  });
  const timers = createLiveTimers(() => deps.clock.now(), inflight);
  // Each app instance is one process for presence: its sockets count while its heartbeat is fresh.
  const presence = createPresence(createPresenceStore(deps.redis), newId());
  const liveGames = createLiveGamesService(deps, { games: gamesStore, answers: createLiveAnswersStore(deps.redis), quizzes, quizStore, reports, output, timers, presence });
  return {
    questions,
    questionImport: createQuestionImportService(store, questions, deps.stores.branches, deps.clock),
    quizzes,
    reports,
    liveGames,
    timers,
    presence,
  };
}

/** Live games' housekeeping in this process: at once (a restart re-arms open questions' timers), then every few seconds. */
function startSweeper(http: HttpServer, services: ReturnType<typeof createServices>, studyOutput: StudyOutput, logger: Logger, inflight: Inflight) {
  const sweep = () =>
    inflight.track(
      services.liveGames
        .sweep()
        .catch((err: unknown) => logger.error({ err }, 'game sweep failed'))
        .then(() => services.study.sweep(studyOutput))
        .catch((err: unknown) => logger.error({ err }, 'study sweep failed'))
        .then(() => services.exams.exams.sweep())
        .catch((err: unknown) => logger.error({ err }, 'exam sweep failed')),
    );
  void sweep();
  const interval = setInterval(sweep, SWEEP_MS);
  interval.unref();
  http.on('close', () => {
    clearInterval(interval);
    services.timers.clearAll();
  });
}

/**
 * Issue 12: on an upgrade (an empty study record, or a backfill never finished) the one-off backfill builds the record
 * from what exists, in the background so a big organisation's start is not held up, tracked so a stop waits for it.
 * Idempotent: two processes starting at once, or a restart half-way, write nothing twice.
 */
function backfillLedgerOnStart(services: ReturnType<typeof createServices>, logger: Logger, inflight: Inflight) {
  void inflight.track(
    services.ledger.backfill
      .runIfNeeded()
      .then((report) => report && logger.info({ backfill: report }, `study record backfilled: ${describeBackfill(report)}`))
      .catch((err: unknown) => logger.error({ err }, 'study record backfill failed; run `npm run ledger:backfill`')),
  );
}

const SWEEP_MS = 5_000;
/** How long a stop waits for socket handlers and timers still talking to Redis. */
const STOP_WAIT_MS = 5_000;

/** Wires stores, services and transports; listening is the caller's job. */
export function createApp({ redis, clock, logger, config }: AppDeps): App {
  let live: LiveNamespace | null = null;
  let study: StudyNamespace | null = null;
  const stores = {
    users: createUsersStore(redis),
    branches: createBranchesStore(redis),
    sessions: createSessionsStore(redis, config.sessionIdleMs),
    rateLimits: createRateLimitStore(redis),
    roll: createLedgerRollStore(redis),
  };
  const notifier = createSocketNotifier(() => [live, study]);
  const inflight = createInflight();
  const output = createLiveOutput(
    () => live!,
    () => services.liveGames,
    logger,
    inflight,
  );
  const services: ReturnType<typeof createServices> = createServices({ redis, stores, clock, logger, config, notifier }, () => output, inflight, () => studyOutput);
  const studyOutput = createStudyOutput(() => study!, studyFeeds(() => services.study), logger, inflight, (id, pollId) => services.study.live.pollAnswerCount(id, pollId));

  const app = express();
  app.disable('x-powered-by');
  // One compiled TRUST_PROXY for Express (req.ip, req.protocol) and the sockets (clientIp.ts).
  const trust = compileTrust(config.trustProxy);
  app.set('trust proxy', trust);
  app.use(securityHeaders());
  app.use(healthRoutes(redis));

  const api = express.Router();
  api.use(express.json({ limit: '256kb' }));
  api.use(sessionMiddleware(services.auth));
  api.use(authRoutes(services.auth, config));
  api.use(branchRoutes(services.branches));
  api.use(userRoutes(services.users, services.userImport));
  // Before the bank's routes: `/questions/hard` must not be read as the question with id "hard".
  api.use(reviewRoutes(services.review));
  api.use(questionRoutes(services.questions, services.questionImport));
  api.use(quizRoutes(services.quizzes));
  api.use(materialRoutes(services.study.materials));
  api.use(studySessionRoutes(services.study.sessions));
  api.use(studyPollRoutes(services.study.live));
  api.use(studyRecordRoutes(services.study.records, stores.branches));
  api.use(gameRoutes(services.reports));
  api.use(examRoutes(services.exams.exams, services.exams.results));
  api.use(ledgerRoutes(services.ledger));
  api.use(ledgerExportRoutes(services.ledger, logger));
  api.use(taskRoutes(services.ledger.tasks));
  api.use(apiNotFound);
  app.use('/api', api);

  if (existsSync(config.clientDir)) {
    app.use(staticClient(config.clientDir));
  }
  app.use(createErrorHandler(logger));

  const http = createServer(app);
  const io: LiveServer = new Server(http, {
    maxHttpBufferSize: 16 * 1024,
    serveClient: false,
    cors: { origin: config.allowedOrigins, credentials: true },
  });
  live = setupLiveNamespace(io, {
    inflight,
    auth: services.auth,
    games: services.liveGames,
    logger,
    allowlist: config.allowedOrigins,
    trust,
    deliverLocal: output.deliverLocal,
    dropLocal: output.dropLocal,
  });
  study = setupStudyNamespace(io, {
    auth: services.auth,
    live: services.study.live,
    attendance: services.study.attendance,
    presenceChanged: (id) => studyOutput.presenceChanged(id),
    logger,
    allowlist: config.allowedOrigins,
    trust,
    inflight,
  });
  startSweeper(http, services, studyOutput, logger, inflight);
  backfillLedgerOnStart(services, logger, inflight);
  return {
    http,
    io,
    services,
    async linkProcesses(channelPrefix = 'tongpin') {
      // Subscriptions need a connection of their own; publishing shares the main one.
      const subscriber = redis.duplicate();
      subscriber.on('error', (err: Error) => logger.error({ err: err.message }, 'redis subscriber error'));
      await subscriber.connect();
      io.adapter(createAdapter(redis, subscriber, { key: channelPrefix }));
      output.multiProcess = true;
      http.on('close', () => void subscriber.close().catch(() => undefined));
    },
    async stop() {
      output.stop();
      studyOutput.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      // Bounded: with Redis unreachable the work would never settle, and a stop must still end.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([inflight.settle(), new Promise((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))]);
      clearTimeout(timer);
    },
  };
}
