// Figures as text (every chart has them beside it: never colour alone).
import { useI18n } from 'vue-i18n';

/** A rate 0..1 as a percent with at most one decimal; null (nobody on the roll, nothing asked) as null. */
export function percent(rate: number | null | undefined): string | null {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return null;
  return String(Math.round(rate * 1000) / 10);
}

/** Hours with at most one decimal. */
export function hoursText(h: number): string {
  return String(Math.round(h * 10) / 10);
}

/** YYYY-MM-DD of a timestamp in the browser's zone (the organisation's, for its members). */
export function dayOf(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Today as YYYY-MM-DD. */
export const today = () => dayOf(Date.now());

/** A rate as text in the page's language ("85.5%"), or the "none" mark; call it in a component's setup. */
export function usePercentText(): (rate: number | null) => string {
  const { t } = useI18n();
  return (rate) => {
    const p = percent(rate);
    return p === null ? t('ledger.none') : t('ledger.pct', { n: p });
  };
}
