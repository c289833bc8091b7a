import path from 'node:path';

export type Appendfsync = 'always' | 'everysec' | 'no';

export interface Config {
  port: number;
  host: string;
  /** When set, this Redis is used; otherwise a private redis-server is started under dataDir. */
  redisUrl: string | null;
  dataDir: string;
  appendfsync: Appendfsync;
  adminPassword: string | null;
  sessionIdleMs: number;
  /** Behind a TLS-terminating proxy: trust X-Forwarded-* and mark cookies Secure. */
  trustProxy: boolean;
  secureCookies: boolean;
  /** Extra origins allowed to open sockets, besides the app's own. */
  allowedOrigins: string[];
  logLevel: string;
  clientDir: string;
  seedBank: boolean;
  /** Players one live game admits; beyond it joins get GAME_FULL. */
  maxPlayersPerGame: number;
  /** A game with no activity for this long ends and frees its PIN. */
  gameIdleMs: number;
}

function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

function boolEnv(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(raw.toLowerCase());
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): Config {
  const appendfsync = (env.REDIS_APPENDFSYNC ?? 'everysec') as Appendfsync;
  if (!['always', 'everysec', 'no'].includes(appendfsync)) {
    throw new Error(`REDIS_APPENDFSYNC must be always, everysec or no, got "${appendfsync}"`);
  }
  const trustProxy = boolEnv(env, 'TRUST_PROXY', false);
  return {
    port: intEnv(env, 'PORT', 3000),
    host: env.HOST || '0.0.0.0',
    redisUrl: env.REDIS_URL || null,
    dataDir: path.resolve(root, env.DATA_DIR || 'data'),
    appendfsync,
    adminPassword: env.ADMIN_PASSWORD || null,
    sessionIdleMs: intEnv(env, 'SESSION_IDLE_HOURS', 12) * 3600_000,
    trustProxy,
    secureCookies: trustProxy || boolEnv(env, 'SECURE_COOKIES', false),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    logLevel: env.LOG_LEVEL || 'info',
    clientDir: path.resolve(root, 'dist/client'),
    seedBank: boolEnv(env, 'SEED_BANK', true),
    maxPlayersPerGame: intEnv(env, 'MAX_PLAYERS_PER_GAME', 10_000),
    gameIdleMs: intEnv(env, 'GAME_IDLE_HOURS', 24) * 3600_000,
  };
}
