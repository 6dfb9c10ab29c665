import { ar } from './ar.js';
import { en } from './en.js';
import { es } from './es.js';
import type { Messages } from './messages.js';

export type { ErrorCode, Messages, PluralForms } from './messages.js';
export { format, interpolate } from './messages.js';
export { plural } from './plural.js';

export const translations: Readonly<Record<string, Messages>> = { en, es, ar };

/** The table for a BCP 47 tag, by its primary language; English when there is none. */
export function messagesFor(lang: string): Messages {
  const primary = lang.toLowerCase().split(/[-_]/)[0] ?? '';
  return translations[primary] ?? en;
}
