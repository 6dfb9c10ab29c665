/**
 * Bytes: our built files against intl-tel-input and react-phone-number-input, the peers bundled here
 * with one set of esbuild settings, every file compressed on its own as a server would send it.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import * as esbuild from 'esbuild';
import { callingCodeOf } from '../scripts/metadata-split.js';
import { LANGUAGES } from '../widget/i18n/load.js';
import { addSizes, kb, sizeText, sizesOf, type Section, type Sizes } from './lib.js';

const root = new URL('..', import.meta.url).pathname;

export const ESBUILD_SETTINGS = {
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  write: false,
} as const satisfies esbuild.BuildOptions;

export interface PeerBuild {
  dir: string;
  itiJs: Uint8Array;
  itiCss: Uint8Array;
  itiFlags: Uint8Array;
  itiVersion: string;
  rpniJs: Uint8Array;
  rpniCss: Uint8Array;
  rpniVersion: string;
}

function versionOf(name: string): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

async function bundle(contents: string, external: string[] = []): Promise<Uint8Array> {
  const result = await esbuild.build({ ...ESBUILD_SETTINGS, stdin: { contents, resolveDir: root, loader: 'js' }, external });
  return result.outputFiles[0]!.contents;
}

async function minifyCss(file: string): Promise<Uint8Array> {
  const result = await esbuild.transform(readFileSync(file, 'utf8'), { loader: 'css', minify: true, legalComments: 'none' });
  return new TextEncoder().encode(result.code);
}

/** Bundles the peers into `dir` (served as they are by the browser benchmark). */
export async function buildPeers(dir: string): Promise<PeerBuild> {
  mkdirSync(dir, { recursive: true });
  const itiDir = join(root, 'node_modules/intl-tel-input');
  const itiJs = await bundle(`export { default } from 'intl-tel-input/intlTelInputWithUtils';`);
  const itiCss = await minifyCss(join(itiDir, 'dist/css/intlTelInput.css'));
  // What the stylesheet loads on a 1x screen (`--iti-path-flags-1x`); a 2x screen loads flags@2x.webp instead.
  const itiFlags = readFileSync(join(itiDir, 'dist/img/flags.webp'));
  const rpniJs = await bundle(`export { default } from 'react-phone-number-input';`, ['react', 'react-dom', 'react/jsx-runtime']);
  const rpniCss = await minifyCss(join(root, 'node_modules/react-phone-number-input/style.css'));
  mkdirSync(join(dir, 'img'), { recursive: true });
  writeFileSync(join(dir, 'iti.js'), itiJs);
  // The stylesheet keeps its relative `../img/` URLs, so it sits one folder below the sprite's.
  mkdirSync(join(dir, 'css'), { recursive: true });
  writeFileSync(join(dir, 'css/iti.css'), itiCss);
  writeFileSync(join(dir, 'img/flags.webp'), itiFlags);
  writeFileSync(join(dir, 'img/flags@2x.webp'), readFileSync(join(itiDir, 'dist/img/flags@2x.webp')));
  return {
    dir,
    itiJs,
    itiCss,
    itiFlags,
    itiVersion: versionOf('intl-tel-input'),
    rpniJs,
    rpniCss,
    rpniVersion: versionOf('react-phone-number-input'),
  };
}

interface OurFiles {
  /** widget.js and whatever it imports statically: all the first render can use. */
  firstRender: string[];
  /** Reached only through `import()`: fetched after the first paint or on demand. */
  deferred: string[];
}

/** Walks the built module graph from widget.js, telling static imports from dynamic ones. */
export function ourFiles(dist: string): OurFiles {
  const staticClosure = new Set<string>();
  const dynamic = new Set<string>();
  const visit = (file: string, into: Set<string>) => {
    if (into.has(file) || (into === dynamic && staticClosure.has(file))) return;
    into.add(file);
    const code = readFileSync(join(dist, file), 'utf8');
    const base = posix.dirname(file);
    for (const m of code.matchAll(/(?:\bimport|\bexport)\s*(?:[\w${},*\s]+?\s*from\s*)?["'`](\.{1,2}\/[^"'`]+)["'`]/g)) {
      visit(posix.normalize(posix.join(base, m[1]!)), into);
    }
    for (const m of code.matchAll(/\bimport\(\s*["'`](\.{1,2}\/[^"'`]+)["'`]\s*\)/g)) {
      visit(posix.normalize(posix.join(base, m[1]!)), dynamic);
    }
  };
  visit('widget.js', staticClosure);
  for (const f of staticClosure) dynamic.delete(f);
  return { firstRender: [...staticClosure], deferred: [...dynamic] };
}

/**
 * Another language's chunk, named after its table (`chunks/pt-BR-<hash>.js`); longer names first, so `pt-BR` is
 * not taken for `pt`. English's (the words after the number form) is one an English page loads with the flow.
 */
const LANGUAGE_CHUNK = new RegExp(
  `^chunks/(${LANGUAGES.filter((language) => language !== 'en')
    .sort((a, b) => b.length - a.length)
    .map((language) => language.replace('-', '\\-'))
    .join('|')})-[\\w-]+\\.js$`,
);
/** Challenge mode's view, which only a control with a `challenge` fetches. */
const CHALLENGE_CHUNK = /^chunks\/challenge-view-[\w-]+\.js$/;
/** Phone metadata of one calling code (see vite.config.ts). */
const METADATA_CHUNK = /^chunks\/metadata-(\d+)-[\w-]+\.js$/;
/** The region of the English page measured here and in the browser benchmark. */
const PAGE_REGION = 'GB';

export async function measureBytes(peers: PeerBuild, dist: string): Promise<Section> {
  if (!existsSync(join(dist, 'widget.js'))) throw new Error(`${dist}/widget.js is missing: the build step did not run`);
  const read = (f: string) => readFileSync(join(dist, f));
  const files = ourFiles(dist);
  const pageCode = callingCodeOf(PAGE_REGION);
  const languages = files.deferred.filter((f) => LANGUAGE_CHUNK.test(f));
  // The phone module names a calling code's part from the code, not by an import() of each: they are found by name.
  const metadata = readdirRecursive(dist, 'chunks').filter((f) => METADATA_CHUNK.test(f));
  if (!metadata.length) throw new Error('no metadata chunks in the build');
  const pageMetadata = metadata.filter((f) => METADATA_CHUNK.exec(f)![1] === pageCode);
  if (pageMetadata.length !== 1) throw new Error(`no metadata chunk for +${pageCode} (${PAGE_REGION})`);
  const otherMetadata = metadata.filter((f) => !pageMetadata.includes(f));
  const challenge = files.deferred.filter((f) => CHALLENGE_CHUNK.test(f));
  if (challenge.length !== 1) throw new Error('expected one challenge chunk');
  const afterPaint = [
    ...files.deferred.filter((f) => ![LANGUAGE_CHUNK, METADATA_CHUNK, CHALLENGE_CHUNK].some((chunk) => chunk.test(f))),
    ...pageMetadata,
  ];
  const first = sizesOf(...files.firstRender.map(read));
  const after = sizesOf(...afterPaint.map(read));
  const whole = addSizes(first, after);
  const everyRegion = addSizes(whole, sizesOf(...otherMetadata.map(read)));
  const perLanguage = languages
    .map((f) => ({ language: LANGUAGE_CHUNK.exec(f)![1]!, s: sizesOf(read(f)) }))
    .sort((a, b) => a.s.gzip - b.s.gzip);
  const medianLanguage = perLanguage[Math.floor(perLanguage.length / 2)];
  const largestLanguage = perLanguage[perLanguage.length - 1];
  const parts = metadata.map((f) => ({ code: METADATA_CHUNK.exec(f)![1]!, s: sizesOf(read(f)) })).sort((a, b) => a.s.gzip - b.s.gzip);
  const medianPart = parts[Math.floor(parts.length / 2)];
  const largestPart = parts[parts.length - 1];
  const everything = sizesOf(...['widget.js', ...readdirRecursive(dist, 'chunks')].map(read));

  const itiJs = sizesOf(peers.itiJs);
  const itiCss = sizesOf(peers.itiCss);
  const itiFlags = sizesOf(peers.itiFlags);
  const itiCode = addSizes(itiJs, itiCss);
  const itiAll = addSizes(itiCode, itiFlags);
  const rpni = addSizes(sizesOf(peers.rpniJs), sizesOf(peers.rpniCss));
  const iti = `intl-tel-input ${peers.itiVersion}`;
  const rpniName = `react-phone-number-input ${peers.rpniVersion}`;

  return {
    title: 'Bytes (gzip -9; min and brotli 11 in brackets)',
    rows: [
      {
        measure: 'before first render (widget.js, English page)',
        ours: sizeText(first),
        reference: `${iti} JS+CSS, all needed before it renders: ${kb(itiCode.gzip)}`,
        ratio: first.gzip / itiCode.gzip,
        target: '<= 15 KB',
        met: first.gzip <= 15_000,
        data: { files: files.firstRender, ours: first, reference: itiCode },
      },
      {
        measure: `after first paint (phone library, +${pageCode} metadata, the flow with English's other words and the country popup)`,
        ours: sizeText(after),
        data: { files: afterPaint, ours: after },
      },
      {
        measure: `whole widget, English page, ${PAGE_REGION} selected (JS+CSS, no images)`,
        ours: sizeText(whole),
        reference: `${iti} JS ${kb(itiJs.gzip)} + CSS ${kb(itiCss.gzip)} = ${kb(itiCode.gzip)}`,
        ratio: whole.gzip / itiCode.gzip,
        target: '<= 45 KB and <= 0.6x',
        met: whole.gzip <= 45_000 && whole.gzip / itiCode.gzip <= 0.6,
        data: { ours: whole, itiJs, itiCss },
      },
      {
        measure: 'whole widget against intl-tel-input with its flag sprite',
        ours: kb(whole.gzip),
        reference: `${iti} JS+CSS+flags.webp (${kb(itiFlags.gzip)}): ${kb(itiAll.gzip)}`,
        ratio: whole.gzip / itiAll.gzip,
        data: { reference: itiAll, flags: itiFlags },
      },
      {
        measure: 'whole widget against react-phone-number-input',
        ours: kb(whole.gzip),
        reference: `${rpniName} JS+CSS, react external: ${sizeText(rpni)}`,
        ratio: whole.gzip / rpni.gzip,
        data: { reference: rpni },
      },
      {
        measure: 'challenge mode adds (its view, fetched only by a control with `challenge`)',
        ours: sizeText(sizesOf(...challenge.map(read))),
        data: { files: challenge },
      },
      {
        measure: `whole widget with every region's metadata (${metadata.length} calling codes)`,
        ours: sizeText(everyRegion),
        reference: `${iti}: ${kb(itiCode.gzip)}`,
        ratio: everyRegion.gzip / itiCode.gzip,
        data: { files: otherMetadata, ours: everyRegion },
      },
      {
        measure: `one more calling code's metadata (median; largest: +${largestPart?.code ?? 'none'} ${largestPart ? kb(largestPart.s.gzip) : ''})`,
        ours: medianPart ? sizeText(medianPart.s) : 'none',
        data: { median: medianPart, largest: largestPart },
      },
      {
        measure: `one more language (median of ${perLanguage.length}, ${medianLanguage?.language ?? 'none'}; largest: ${largestLanguage ? `${largestLanguage.language} ${kb(largestLanguage.s.gzip)}` : 'none'})`,
        ours: medianLanguage ? sizeText(medianLanguage.s) : 'none',
        data: { median: medianLanguage, largest: largestLanguage, languages: perLanguage },
      },
      {
        measure: 'every file of the build (all languages, all metadata)',
        ours: sizeText(everything),
      },
    ],
    notes: [
      'Each file is compressed on its own (gzip -9, brotli 11), as a server sends it; KB = 1000 bytes.',
      `Ours: the Vite build (widget.js and chunks/, built by this run with vite.config.ts), the first-render set found by following static imports from widget.js; after the first paint, every chunk reached by import() except other languages, other calling codes' metadata, and challenge mode's view. "Whole widget" is everything a page with <flash-call-verify default-country="${PAGE_REGION}"> in English loads to verify a number: the first render, the phone library, the +${pageCode} metadata, the flow (its owner with English's words after the number form, the network client, the views after a submit and the offer of other channels, in one chunk) and the country popup; a number of another calling code adds that code's metadata. Peers: esbuild ${esbuild.version}, bundle + minify, ESM, es2022, legal comments dropped, NODE_ENV=production; CSS minified by esbuild.`,
      `${iti}: intlTelInputWithUtils + intlTelInput.css; its sprite on a 2x screen is flags@2x.webp (${kb(sizesOf(readFileSync(join(peers.dir, 'img/flags@2x.webp'))).gzip)}). ${rpniName}: default export (min metadata), flags are fetched per country from a CDN and not counted.`,
    ],
  };
}

function readdirRecursive(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? readdirRecursive(dir, posix.join(prefix, entry.name)) : [posix.join(prefix, entry.name)],
  );
}

export type { Sizes };
