import { en, type MessageKey } from './en.ts';

const catalogs: Record<string, Partial<Record<MessageKey, string>>> = { en };
let current: Partial<Record<MessageKey, string>> = en;

export function setLocale(locale: string) {
  current = catalogs[locale] ?? catalogs[locale.split('-')[0] ?? 'en'] ?? en;
  document.documentElement.lang = locale;
}

/** Looks up a string and fills `{name}` placeholders; a missing translation falls back to English. */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  const template = current[key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match));
}

export type { MessageKey };
