/**
 * The element's way to its translations. Every language is a chunk of its own, fetched when a control in
 * that language first renders, so a page pays only for the language it shows. English alone renders
 * before its chunk is in: the words of the number form ship with the element (en-form.ts), and the rest
 * comes with the flow, before a number is sent.
 */
import { lazy, type Lazy } from '../lazy.js';
import { enForm } from './en-form.js';
import type { FormMessages, Messages } from './messages.js';

/** Every language the element speaks, each the name of its table (`widget/i18n/<language>.ts`), English first. */
export const LANGUAGES = [
  'en',
  'ar',
  'de',
  'es',
  'fa',
  'fr',
  'he',
  'hi',
  'id',
  'it',
  'ja',
  'ko',
  'nl',
  'pl',
  'pt',
  'pt-BR',
  'ru',
  'sv',
  'tr',
  'uk',
  'vi',
  'zh-Hans',
  'zh-Hant',
] as const;

export type Language = (typeof LANGUAGES)[number];

const table = (importer: () => Promise<{ default: Messages }>) => lazy(() => importer().then((m) => m.default));

// One import() per language, each its own chunk, named after its file (`chunks/pt-BR-<hash>.js`, see vite.config.ts).
const chunks = {
  en: table(() => import('./en.js')),
  ar: table(() => import('./ar.js')),
  de: table(() => import('./de.js')),
  es: table(() => import('./es.js')),
  fa: table(() => import('./fa.js')),
  fr: table(() => import('./fr.js')),
  he: table(() => import('./he.js')),
  hi: table(() => import('./hi.js')),
  id: table(() => import('./id.js')),
  it: table(() => import('./it.js')),
  ja: table(() => import('./ja.js')),
  ko: table(() => import('./ko.js')),
  nl: table(() => import('./nl.js')),
  pl: table(() => import('./pl.js')),
  pt: table(() => import('./pt.js')),
  'pt-BR': table(() => import('./pt-BR.js')),
  ru: table(() => import('./ru.js')),
  sv: table(() => import('./sv.js')),
  tr: table(() => import('./tr.js')),
  uk: table(() => import('./uk.js')),
  vi: table(() => import('./vi.js')),
  'zh-Hans': table(() => import('./zh-Hans.js')),
  'zh-Hant': table(() => import('./zh-Hant.js')),
} satisfies Record<Language, Lazy<Messages>>;

const resolved = new Map<string, Language>();

/**
 * The table a BCP 47 tag is shown in. A regional tag falls back to its language (`fr-CA` → `fr`), except
 * where the region or script picks a table of its own: Brazil for Portuguese (any other `pt` is European),
 * Traditional script for Chinese (`zh-TW`, `zh-HK`, `zh-MO`, `zh-Hant`; any other `zh` is Simplified).
 * Anything else, or a tag that is not one, is English.
 */
export function languageOf(tag: string): Language {
  let language = resolved.get(tag);
  if (language) return language;
  language = 'en';
  try {
    // Intl.Locale also maps the old codes (`iw` → `he`, `in` → `id`).
    const locale = new Intl.Locale(tag.replaceAll('_', '-'));
    const primary = locale.language;
    if (primary === 'pt') language = locale.region === 'BR' ? 'pt-BR' : 'pt';
    else if (primary === 'zh') language = (locale.script ?? locale.maximize().script) === 'Hant' ? 'zh-Hant' : 'zh-Hans';
    else if (primary in chunks) language = primary as Language;
  } catch {
    // Not a language tag: English.
  }
  resolved.set(tag, language);
  return language;
}

const tables = new Map<Language, Messages>();

/** Every word for a BCP 47 tag (English when there is none), or undefined while its chunk is still to load. */
export function loadedMessages(lang: string): Messages | undefined {
  return tables.get(languageOf(lang));
}

/** The words of the number form for a BCP 47 tag: English's are always in; another language's come with its chunk. */
export function formMessages(lang: string): FormMessages | undefined {
  const language = languageOf(lang);
  return language === 'en' ? enForm : tables.get(language);
}

/** Every word for a BCP 47 tag; rejects only when neither its chunk nor English's can be fetched. */
export function loadMessages(lang: string): Promise<Messages> {
  const language = languageOf(lang);
  const ready = tables.get(language);
  if (ready) return Promise.resolve(ready);
  // A language that cannot be fetched shows in English this time rather than leaving the control blank; the
  // next update of a control in that language asks for it again.
  const fetched = chunks[language].load().then((table) => {
    tables.set(language, table);
    return table;
  });
  return language === 'en' ? fetched : fetched.catch(() => loadMessages('en'));
}

export { enForm as fallbackMessages };
