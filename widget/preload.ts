/**
 * Starts fetching the phone module and a calling code's metadata together, rather than each once the one
 * before it has run (the module, then its shared chunk, then the metadata it asks for).
 * The build writes the chunks' file names in place of the placeholders below (see vite.config.ts); run
 * from the sources, as in the browser tests, there is nothing to hint.
 */
const PHONE_FILES = '__FCV_PHONE_FILES__';
const METADATA_FILE = '__FCV_METADATA_FILE__';

const hinted = new Set<string>();

/** Hints the phone module's files and the metadata of `callingCode`, each once. */
export function preloadPhone(callingCode: string | undefined): void {
  // A test the minifier leaves alone, so the check survives until the build fills the names in.
  if (/^__FCV/.test(PHONE_FILES)) return;
  const files = PHONE_FILES.split(',');
  if (callingCode) files.push(METADATA_FILE.replace('{code}', callingCode));
  for (const file of files) {
    if (hinted.has(file)) continue;
    hinted.add(file);
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = new URL(file, import.meta.url).href;
    document.head.append(link);
  }
}
