/**
 * The element's way to its translations. English ships with the element; every other language is a
 * chunk of its own, fetched when a control in that language first renders, so a page pays only for
 * the language it shows.
 */
import { lazy } from '../lazy.js';
import { en } from './en.js';
import type { Messages } from './messages.js';

// One import() per language, each its own chunk (named after the file: `chunks/pt-BR-<hash>.js`).
const chunks = {
  ar: lazy(() => import('./ar.js').then((m) => m.ar)),
  de: lazy(() => import('./de.js').then((m) => m.de)),
  es: lazy(() => import('./es.js').then((m) => m.es)),
  fa: lazy(() => import('./fa.js').then((m) => m.fa)),
  fr: lazy(() => import('./fr.js').then((m) => m.fr)),
  he: lazy(() => import('./he.js').then((m) => m.he)),
  hi: lazy(() => import('./hi.js').then((m) => m.hi)),
  id: lazy(() => import('./id.js').then((m) => m.id)),
  it: lazy(() => import('./it.js').then((m) => m.it)),
  ja: lazy(() => import('./ja.js').then((m) => m.ja)),
  ko: lazy(() => import('./ko.js').then((m) => m.ko)),
  nl: lazy(() => import('./nl.js').then((m) => m.nl)),
  pl: lazy(() => import('./pl.js').then((m) => m.pl)),
  pt: lazy(() => import('./pt.js').then((m) => m.pt)),
  'pt-BR': lazy(() => import('./pt-BR.js').then((m) => m.ptBR)),
  ru: lazy(() => import('./ru.js').then((m) => m.ru)),
  sv: lazy(() => import('./sv.js').then((m) => m.sv)),
  tr: lazy(() => import('./tr.js').then((m) => m.tr)),
  uk: lazy(() => import('./uk.js').then((m) => m.uk)),
  vi: lazy(() => import('./vi.js').then((m) => m.vi)),
  'zh-Hans': lazy(() => import('./zh-Hans.js').then((m) => m.zhHans)),
  'zh-Hant': lazy(() => import('./zh-Hant.js').then((m) => m.zhHant)),
};

/** A language the element speaks: the name of its table (`widget/i18n/<language>.ts`). */
export type Language = 'en' | keyof typeof chunks;

/** Every language the element speaks, English first. */
export const LANGUAGES: readonly Language[] = ['en', ...(Object.keys(chunks) as Array<keyof typeof chunks>)];

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

const tables = new Map<Language, Messages>([['en', en]]);

/** The table for a BCP 47 tag (English when there is none), or undefined while its chunk is still to load. */
export function loadedMessages(lang: string): Messages | undefined {
  return tables.get(languageOf(lang));
}

export function loadMessages(lang: string): Promise<Messages> {
  const language = languageOf(lang);
  const ready = tables.get(language);
  if (ready) return Promise.resolve(ready);
  // A language that cannot be fetched shows in English this time rather than leaving the control blank; the
  // next update of a control in that language asks for it again.
  return chunks[language as keyof typeof chunks].load().then(
    (table) => {
      tables.set(language, table);
      return table;
    },
    () => en,
  );
}

export { en as fallbackMessages };
