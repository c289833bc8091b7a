import { ledgerSettingsSchema, type LedgerSettings } from '../../../shared/schemas/ledger';
import type { User } from '../../../shared/schemas/users';
import { forbidden, invalidInput } from '../../domain/errors';
import type { LedgerSettingsStore } from '../../store/ledger/settingsStore';

/** The organisation's ledger rules: everyone signed in reads them (a member sees the target), admins change them. */
export function createLedgerSettingsService(store: LedgerSettingsStore) {
  return {
    get: () => store.get(),
    async update(actor: User, patch: Partial<LedgerSettings>): Promise<LedgerSettings> {
      if (actor.role !== 'admin') throw forbidden('只有管理员可以修改学时与统计规则');
      const next = ledgerSettingsSchema.safeParse({ ...(await store.get()), ...patch });
      if (!next.success) throw invalidInput('规则无效', next.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      await store.save(next.data);
      return next.data;
    },
  };
}
