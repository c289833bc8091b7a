import path from 'node:path';
import proxyaddr from 'proxy-addr';
import { isTimeZone } from './domain/review/day';

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
  /**
   * Which proxies in front may speak for the client (X-Forwarded-For/-Proto), as Express's `trust proxy`:
   * a hop count, or their addresses/subnets; false when none. Never "everyone", which would let a client choose its IP.
   */
  trustProxy: TrustProxy;
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
  /** New guest players one IP may add to one game per minute (an office shares one address); beyond it RATE_LIMITED. */
  guestJoinsPerMinute: number;
  /** Share of a study session's live time (percent) a member must be there to count as 出席 (the organisation's rule). */
  attendancePresentPercent: number;
  /** Failed logins one IP may make in 15 minutes across all usernames (an office shares one address). */
  loginMaxFailuresPerIp: number;
  /** 每日一练: questions a day per member (REVIEW_DAILY_COUNT). */
  reviewDailyCount: number;
  /** The tags new daily questions come from (REVIEW_TAGS, comma-separated); empty = every tag. */
  reviewTags: string[];
  /** The organisation's time zone (ORG_TIME_ZONE): the review's day changes at its midnight. */
  orgTimeZone: string;
  /** FSRS desired retention in percent (REVIEW_RETENTION_PERCENT, 70-97) and the longest interval in days. */
  reviewRetentionPercent: number;
  reviewMaxIntervalDays: number;
}

function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

export type TrustProxy = false | number | string[];

const TRUE_WORDS = ['true', 'yes', 'on'];
const FALSE_WORDS = ['', '0', 'false', 'no', 'off'];

/** TRUST_PROXY: unset/false = no proxy; `1` = one hop; `loopback, 10.0.0.1` = these proxies. */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = (raw ?? '').trim();
  if (FALSE_WORDS.includes(value.toLowerCase())) return false;
  if (TRUE_WORDS.includes(value.toLowerCase())) {
    throw new Error(
      `TRUST_PROXY=${value} would trust every X-Forwarded-For, so any client could choose its own IP: give the number of proxies in front (e.g. 1) or their addresses (e.g. loopback, 10.0.0.1)`,
    );
  }
  if (/^\d+$/.test(value)) return Number(value) || false;
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  try {
    proxyaddr.compile(list);
  } catch (err) {
    throw new Error(`TRUST_PROXY must be a hop count or proxy addresses/subnets, got "${value}": ${(err as Error).message}`, { cause: err });
  }
  return list;
}

/** A whole number in [min, max]. */
function rangeEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const value = intEnv(env, name, fallback);
  if (value < min || value > max) throw new Error(`${name} must be from ${min} to ${max}, got "${env[name]}"`);
  return value;
}

/** A whole percentage from 1 to 100. */
function percentEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = intEnv(env, name, fallback);
  if (value < 1 || value > 100) throw new Error(`${name} must be a percentage from 1 to 100, got "${env[name]}"`);
  return value;
}

/** REVIEW_DAILY_COUNT: 1 to 50 questions a day. */
function reviewDailyCountEnv(env: NodeJS.ProcessEnv): number {
  const value = intEnv(env, 'REVIEW_DAILY_COUNT', 5);
  if (value < 1 || value > 50) throw new Error(`REVIEW_DAILY_COUNT must be from 1 to 50, got "${env.REVIEW_DAILY_COUNT}"`);
  return value;
}

/** ORG_TIME_ZONE: an IANA zone name Intl knows (default Asia/Shanghai). */
function timeZoneEnv(env: NodeJS.ProcessEnv): string {
  const zone = env.ORG_TIME_ZONE || 'Asia/Shanghai';
  if (!isTimeZone(zone)) throw new Error(`ORG_TIME_ZONE must be a time zone name such as Asia/Shanghai, got "${zone}"`);
  return zone;
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
  const trustProxy = parseTrustProxy(env.TRUST_PROXY);
  return {
    port: intEnv(env, 'PORT', 3000),
    host: env.HOST || '0.0.0.0',
    redisUrl: env.REDIS_URL || null,
    dataDir: path.resolve(root, env.DATA_DIR || 'data'),
    appendfsync,
    adminPassword: env.ADMIN_PASSWORD || null,
    sessionIdleMs: intEnv(env, 'SESSION_IDLE_HOURS', 12) * 3600_000,
    trustProxy,
    secureCookies: trustProxy !== false || boolEnv(env, 'SECURE_COOKIES', false),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    logLevel: env.LOG_LEVEL || 'info',
    clientDir: path.resolve(root, 'dist/client'),
    seedBank: boolEnv(env, 'SEED_BANK', true),
    maxPlayersPerGame: intEnv(env, 'MAX_PLAYERS_PER_GAME', 10_000),
    gameIdleMs: intEnv(env, 'GAME_IDLE_HOURS', 24) * 3600_000,
    guestJoinsPerMinute: intEnv(env, 'GUEST_JOINS_PER_MINUTE', 300),
    attendancePresentPercent: percentEnv(env, 'ATTENDANCE_PRESENT_PERCENT', 80),
    loginMaxFailuresPerIp: intEnv(env, 'LOGIN_MAX_FAILURES_PER_IP', 300),
    reviewDailyCount: reviewDailyCountEnv(env),
    reviewTags: (env.REVIEW_TAGS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    orgTimeZone: timeZoneEnv(env),
    reviewRetentionPercent: rangeEnv(env, 'REVIEW_RETENTION_PERCENT', 90, 70, 97),
    reviewMaxIntervalDays: rangeEnv(env, 'REVIEW_MAX_INTERVAL_DAYS', 365, 1, 36500),
  };
}
