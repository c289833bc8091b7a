import { createI18n } from 'vue-i18n';
import zhCN from './zh-CN';
import en from './en';
import bank from './bank';
import games from './games';
import live from './live';
import studyRecords from './studyRecords';
import study from './study';
import studyMaterials from './studyMaterials';
import review from './review';
import reviewStats from './reviewStats';
import exams from './exams';
import ledger from './ledger';

export type Locale = 'zh-CN' | 'en';
const STORAGE_KEY = 'tongpin.locale';

function savedLocale(): Locale {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export const i18n = createI18n({
  legacy: false,
  locale: savedLocale(),
  fallbackLocale: 'zh-CN',
  messages: {
    'zh-CN': { ...zhCN, ...bank['zh-CN'], ...games['zh-CN'], ...live['zh-CN'], ...studyRecords['zh-CN'], ...study['zh-CN'], ...studyMaterials['zh-CN'], ...review['zh-CN'], ...reviewStats['zh-CN'], ...exams['zh-CN'], ...ledger['zh-CN'] },
    en: { ...en, ...bank.en, ...games.en, ...live.en, ...studyRecords.en, ...study.en, ...studyMaterials.en, ...review.en, ...reviewStats.en, ...exams.en, ...ledger.en },
  },
});

/** Switches the language and remembers it in localStorage. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    /* private mode: not remembered */
  }
}

document.documentElement.lang = savedLocale();
