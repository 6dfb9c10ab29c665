/**
 * The element's way to its translations. English ships with the element; every other language is a
 * chunk of its own, fetched when a control in that language first renders, so a page pays only for
 * the language it shows.
 */
import { lazy } from '../lazy.js';
import { en } from './en.js';
import type { Messages } from './messages.js';

const chunks: Readonly<Record<string, { load(): Promise<Messages> }>> = {
  es: lazy(() => import('./es.js').then((m) => m.es)),
  ar: lazy(() => import('./ar.js').then((m) => m.ar)),
};

const tables = new Map<string, Messages>([['en', en]]);

function primaryOf(lang: string): string {
  return lang.toLowerCase().split(/[-_]/)[0] ?? '';
}

/** The table for a BCP 47 tag (English when there is none), or undefined while its chunk is still to load. */
export function loadedMessages(lang: string): Messages | undefined {
  const primary = primaryOf(lang);
  return tables.get(primary) ?? (primary in chunks ? undefined : en);
}

export function loadMessages(lang: string): Promise<Messages> {
  const ready = loadedMessages(lang);
  if (ready) return Promise.resolve(ready);
  const primary = primaryOf(lang);
  // A language that cannot be fetched shows in English this time rather than leaving the control blank; the
  // next update of a control in that language asks for it again.
  return chunks[primary]!.load().then(
    (table) => {
      tables.set(primary, table);
      return table;
    },
    () => en,
  );
}

export { en as fallbackMessages };
