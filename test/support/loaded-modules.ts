import { fileURLToPath, pathToFileURL } from 'node:url';

/** `node --import` this and the process writes every module it loads to stderr as `fcv-module <url>`. */
export const RECORD_MODULES = fileURLToPath(new URL('./record-modules.js', import.meta.url));

/** The files under `directory` a recorded run loaded, relative to it and outside node_modules, sorted. */
export function loadedFiles(stderr: string, directory: string): string[] {
  const prefix = pathToFileURL(directory.endsWith('/') ? directory : `${directory}/`).href;
  const urls = [...stderr.matchAll(/^fcv-module (file:\S+)$/gm)].map((match) => match[1]!);
  const files = urls.filter((url) => url.startsWith(prefix)).map((url) => url.slice(prefix.length));
  return [...new Set(files.filter((file) => !file.startsWith('node_modules/') && !file.includes('/node_modules/')))].sort();
}

/** The demo's and the sandbox's files among them, wherever they were built to. */
export function sandboxFiles(files: string[]): string[] {
  return files.filter((file) => /(^|\/)(demo|sandbox)\//.test(file) || /emulator/.test(file));
}
