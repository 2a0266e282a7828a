// Two languages, chosen once per page load (?lang=en); zh-CN is the default. Vocabulary labels
// come from shared/src/labels.ts so server, fixtures and screen use the same words.
import { en } from './messages/en';
import { zh } from './messages/zh';
import type { Lang } from './params';

type Key = keyof typeof zh;
const messages: Record<Lang, Record<Key, string>> = { zh, en };

let current: Lang = 'zh';

/** Set once at boot, before the first render. */
export function setLang(lang: Lang): void {
  current = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}
export const getLang = (): Lang => current;

export type MessageKey = Key;

export function t(key: Key, vars?: Record<string, string | number>, lang: Lang = current): string {
  const text = messages[lang][key];
  return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
}

/** A vocabulary label from shared/src/labels.ts; the raw id if the table lacks it. */
export function label(table: Record<string, { zh: string; en: string }>, id: string, lang: Lang = current): string {
  return table[id]?.[lang] ?? id;
}
