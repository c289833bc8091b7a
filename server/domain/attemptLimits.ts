/**
 * Which counters an attempt (a login, a PIN lookup) must find room in, and how large each is. Pure policy: the store
 * reserves a place in all of them at once, before the costly or guessable check runs, so concurrency cannot
 * overshoot a limit (issue 9 item 11). Only failures keep their place; a success gives it back.
 */
export interface AttemptCounter {
  /** What is counted, e.g. 'login-user-ip'; part of the Redis key. */
  scope: string;
  /** Who is counted within the scope. */
  subject: string;
  /** Reserved attempts allowed inside one sliding window. */
  limit: number;
  windowMs: number;
}

const MINUTE = 60_000;

/** Login limits (OWASP "device cookies"): a source that never logged in as the user is limited three ways. */
export const LOGIN_LIMITS = {
  /** One (username, IP): the ordinary lockout a guesser meets. */
  perUserAndIp: { limit: 5, windowMs: 15 * MINUTE },
  /** One username across all untrusted sources: a distributed guesser; device-cookie holders are not blocked by it. */
  perUser: { limit: 100, windowMs: 60 * MINUTE },
  /** One browser holding a device cookie for the user: its own lockout, apart from everyone else's. */
  perDevice: { limit: 5, windowMs: 15 * MINUTE },
  /** One IP across usernames (password spraying); its limit is configured (LOGIN_MAX_FAILURES_PER_IP, default 300), large because a whole office shares one address. */
  perIp: { windowMs: 15 * MINUTE },
} as const;

export interface LoginSource {
  /** Lower-cased username as typed (the account may not exist: it is limited all the same). */
  username: string;
  ip: string;
  /** The nonce of a valid device cookie issued to this very account, or null. */
  deviceNonce: string | null;
}

/** The counters one login attempt must fit in. A trusted device is counted on its own, and only there. */
export function loginCounters(source: LoginSource, perIpLimit: number): AttemptCounter[] {
  if (source.deviceNonce) {
    return [{ scope: 'login-device', subject: source.deviceNonce, ...LOGIN_LIMITS.perDevice }];
  }
  return [
    { scope: 'login-user-ip', subject: `${source.username}|${source.ip}`, ...LOGIN_LIMITS.perUserAndIp },
    { scope: 'login-user', subject: source.username, ...LOGIN_LIMITS.perUser },
    { scope: 'login-ip', subject: source.ip, limit: perIpLimit, ...LOGIN_LIMITS.perIp },
  ];
}

/** Failed PIN lookups allowed per IP, so the 10^6 PINs cannot be walked by brute force. */
export const PIN_LOOKUP_LIMIT = { limit: 30, windowMs: 5 * MINUTE } as const;

