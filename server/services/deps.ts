import type { Config } from '../config';
import type { Clock } from '../infra/clock';
import type { Logger } from '../infra/logger';
import type { RedisClient } from '../infra/redis';
import type { BranchesStore } from '../store/branchesStore';
import type { LedgerRollStore } from '../store/ledger/rollStore';
import type { RateLimitStore } from '../store/rateLimitStore';
import type { SessionsStore } from '../store/sessionsStore';
import type { UsersStore } from '../store/usersStore';

export type SessionEndReason = 'logout' | 'disabled' | 'password-changed' | 'account-changed';

/** Tells connected sockets that sessions ended; implemented by the realtime layer. */
export interface SocketNotifier {
  sessionsEnded(sessionIds: string[], reason: SessionEndReason): void;
  /** The user's role or branch changed: their open sockets (which hold the old rights) are ended. */
  userChanged(userId: string): void;
}

export interface Stores {
  users: UsersStore;
  branches: BranchesStore;
  sessions: SessionsStore;
  rateLimits: RateLimitStore;
  /** Who was on which branch's roll when (participation rates); kept by the users service. */
  roll: LedgerRollStore;
}

export interface ServiceDeps {
  redis: RedisClient;
  stores: Stores;
  clock: Clock;
  logger: Logger;
  config: Config;
  notifier: SocketNotifier;
}
