import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SecretsStore } from '../store/secretsStore';

/**
 * OWASP's device cookie: proof that this browser once logged in as this account. Its value is
 * `userId.nonce.signature` (HMAC-SHA256 with a server secret), so it cannot be forged or moved to another account.
 * The nonce names the device for its own lockout counter.
 */
export const DEVICE_COOKIE = 'tp_device';

export function createDeviceCookies(secrets: SecretsStore) {
  const sign = async (payload: string) => createHmac('sha256', await secrets.deviceCookieKey()).update(payload).digest('base64url');

  return {
    /** A fresh cookie value for a browser that just logged in as userId. */
    async issue(userId: string): Promise<string> {
      const payload = `${userId}.${randomBytes(16).toString('base64url')}`;
      return `${payload}.${await sign(payload)}`;
    },

    /** The device's nonce when the cookie is genuine and was issued to userId; otherwise null. */
    async verify(value: string | undefined, userId: string): Promise<string | null> {
      const parts = value?.split('.');
      if (!parts || parts.length !== 3) return null;
      const [owner, nonce, signature] = parts as [string, string, string];
      if (owner !== userId || !nonce) return null;
      const expected = Buffer.from(await sign(`${owner}.${nonce}`));
      const given = Buffer.from(signature);
      return given.length === expected.length && timingSafeEqual(given, expected) ? nonce : null;
    },
  };
}

export type DeviceCookies = ReturnType<typeof createDeviceCookies>;
