import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { Server } from 'socket.io';
import type { Config } from './config';
import type { Clock } from './infra/clock';
import type { Logger } from './infra/logger';
import type { RedisClient } from './infra/redis';
import { apiNotFound, createErrorHandler } from './http/errorHandler';
import { authRoutes } from './http/authRoutes';
import { branchRoutes } from './http/branchRoutes';
import { healthRoutes } from './http/healthRoutes';
import { sessionMiddleware } from './http/session';
import { userRoutes } from './http/userRoutes';
import { questionRoutes } from './http/questionRoutes';
import { quizRoutes } from './http/quizRoutes';
import { createQuizzesService } from './services/quizzesService';
import { createQuizzesStore } from './store/quizzesStore';
import { createQuestionsService } from './services/questionsService';
import { createQuestionImportService } from './services/questionImportService';
import { createQuestionsStore } from './store/questionsStore';
import { createSocketNotifier, setupLiveNamespace, type LiveNamespace, type LiveServer } from './realtime/live';
import { createAuthService } from './services/authService';
import { createBranchesService } from './services/branchesService';
import type { ServiceDeps } from './services/deps';
import { createUserImportService } from './services/userImportService';
import { createUsersService } from './services/usersService';
import { createBranchesStore } from './store/branchesStore';
import { createRateLimitStore } from './store/rateLimitStore';
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
}

function createServices(deps: ServiceDeps) {
  const users = createUsersService(deps);
  return {
    auth: createAuthService(deps),
    users,
    branches: createBranchesService(deps),
    userImport: createUserImportService(deps, users),
    ...questionServices(deps),
  };
}

function questionServices(deps: ServiceDeps) {
  const store = createQuestionsStore(deps.redis);
  const questions = createQuestionsService(store, deps.clock);
  return {
    questions,
    questionImport: createQuestionImportService(store, questions, deps.clock),
    quizzes: createQuizzesService(createQuizzesStore(deps.redis), store, deps.stores.branches, deps.clock),
  };
}

/** Wires stores, services and transports; listening is the caller's job. */
export function createApp({ redis, clock, logger, config }: AppDeps): App {
  let live: LiveNamespace | null = null;
  const stores = {
    users: createUsersStore(redis),
    branches: createBranchesStore(redis),
    sessions: createSessionsStore(redis, config.sessionIdleMs),
    rateLimits: createRateLimitStore(redis),
  };
  const notifier = createSocketNotifier(() => live);
  const services = createServices({ redis, stores, clock, logger, config, notifier });

  const app = express();
  app.disable('x-powered-by');
  if (config.trustProxy) app.set('trust proxy', true);
  app.use(healthRoutes(redis));

  const api = express.Router();
  api.use(express.json({ limit: '256kb' }));
  api.use(sessionMiddleware(services.auth));
  api.use(authRoutes(services.auth, config));
  api.use(branchRoutes(services.branches));
  api.use(userRoutes(services.users, services.userImport));
  api.use(questionRoutes(services.questions, services.questionImport));
  api.use(quizRoutes(services.quizzes));
  api.use(apiNotFound);
  app.use('/api', api);

  if (existsSync(config.clientDir)) {
    app.use(express.static(config.clientDir, { index: false, maxAge: '1h' }));
    // Client-side routes: every other GET gets the app shell.
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => {
      res.sendFile(path.join(config.clientDir, 'index.html'), { maxAge: 0 });
    });
  }
  app.use(createErrorHandler(logger));

  const http = createServer(app);
  const io: LiveServer = new Server(http, {
    maxHttpBufferSize: 16 * 1024,
    serveClient: false,
    cors: { origin: config.allowedOrigins, credentials: true },
  });
  live = setupLiveNamespace(io, services.auth, config.allowedOrigins);
  return { http, io, services };
}
