/**
 * The element's way to its translations. English ships with the element; every other language is a
 * chunk of its own, fetched when a control in that language first renders, so a page pays only for
 * the language it shows.
 */
import { en } from './en.js';
import type { Messages } from './messages.js';

const chunks: Readonly<Record<string, () => Promise<Messages>>> = {
  es: () => import('./es.js').then((m) => m.es),
  ar: () => import('./ar.js').then((m) => m.ar),
};

const tables = new Map<string, Messages>([['en', en]]);
const pending = new Map<string, Promise<Messages>>();

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
  let loading = pending.get(primary);
  if (!loading) {
    // A language that cannot be fetched falls back to English rather than leaving the control blank.
    loading = chunks[primary]!().catch(() => en).then((table) => {
      tables.set(primary, table);
      return table;
    });
    pending.set(primary, loading);
  }
  return loading;
}

export { en as fallbackMessages };
