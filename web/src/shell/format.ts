import { t } from '../i18n/i18n.ts';

/** "4 min", "3 h", "2 d": compact ages for dense lists. */
export function age(iso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  if (minutes < 1) return t('time.justNow');
  if (minutes < 60) return t('time.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('time.hours', { n: hours });
  return t('time.days', { n: Math.floor(hours / 24) });
}

export const fullDate = (iso: string) => new Date(iso).toLocaleString();
