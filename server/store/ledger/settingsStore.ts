import { DEFAULT_LEDGER_SETTINGS, ledgerSettingsSchema, type LedgerSettings } from '../../../shared/schemas/ledger';
import type { RedisClient } from '../../infra/redis';
import { keys } from '../keys';

/** The organisation's ledger rules; defaults until an admin saves them (a field added later falls back to its default). */
export function createLedgerSettingsStore(redis: RedisClient) {
  return {
    async get(): Promise<LedgerSettings> {
      const raw = await redis.get(keys.ledgerSettings());
      if (!raw) return DEFAULT_LEDGER_SETTINGS;
      const parsed = ledgerSettingsSchema.partial().safeParse(JSON.parse(raw));
      return { ...DEFAULT_LEDGER_SETTINGS, ...(parsed.success ? parsed.data : {}) };
    },
    async save(settings: LedgerSettings): Promise<void> {
      await redis.set(keys.ledgerSettings(), JSON.stringify(settings));
    },
  };
}

export type LedgerSettingsStore = ReturnType<typeof createLedgerSettingsStore>;
