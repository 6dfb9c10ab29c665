import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { posix } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { callingCodes, PARTS_MODULE, partModule, partsModule } from './scripts/metadata-split.js';

/**
 * libphonenumber-js publishes its ES modules twice: `es6/` (transpiled down, with class and spread
 * helpers) and `es6-modern/` (the same code for current browsers), but exports only the former.
 * Loading the modern twin where it exists saves about 4 KB gzip of helpers.
 */
export function modernLibphonenumber(): Plugin {
  return {
    name: 'fcv-modern-libphonenumber',
    load(id) {
      if (!/[\\/]libphonenumber-js[\\/]es6[\\/]/.test(id)) return null;
      const modern = id.replace(/([\\/])es6([\\/])/, '$1es6-modern$2');
      return existsSync(modern) ? readFileSync(modern, 'utf8') : null;
    },
  };
}

/**
 * Phone metadata per calling code: widget/phone/metadata-parts.ts becomes the calling codes and the name of a
 * code's part, and each part a chunk of its own named after its code (`chunks/metadata-44-<hash>.js`).
 */
const METADATA_PART = '_fcv-metadata-';

/**
 * One hash for every metadata part, from the metadata and the code that cuts it, so the entry can name the
 * part of any calling code (`chunks/metadata-44-<hash>.js`) without carrying a table of 215 names.
 */
const METADATA_HASH = createHash('sha256')
  .update(readFileSync(createRequire(import.meta.url).resolve('libphonenumber-js/metadata.min.json')))
  .update(readFileSync(new URL('./scripts/metadata-split.js', import.meta.url)))
  .digest('hex')
  .slice(0, 10);
const metadataFile = (code: string) => `chunks/metadata-${code}-${METADATA_HASH}.js`;
/** Stands for the parts' URL in the parts module until the bundle is written. */
const METADATA_URL = '__FCV_METADATA_URL__';

/**
 * One hash for every language chunk (`chunks/de-<hash>.js`), from the translations: the entry names 22 of them,
 * and one suffix repeated compresses to almost nothing where 22 different ones would not.
 */
const I18N_DIR = new URL('./widget/i18n/', import.meta.url);
const I18N_HASH = readdirSync(I18N_DIR)
  .sort()
  .reduce((hash, file) => hash.update(file).update(readFileSync(new URL(file, I18N_DIR))), createHash('sha256'))
  .digest('hex')
  .slice(0, 10);
const LANGUAGE_MODULE = /[\\/]widget[\\/]i18n[\\/][\w-]+\.ts$/;

export function metadataPerCallingCode(): Plugin {
  const PART = METADATA_PART.slice(1);
  return {
    name: 'fcv-metadata-per-calling-code',
    resolveId(id) {
      return id.startsWith(PART) ? `\0${id}` : null;
    },
    generateBundle(_options, bundle) {
      // The parts' name relative to the chunk the parts module landed in, known only now.
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.code.includes(METADATA_URL)) continue;
        const url = posix.relative(posix.dirname(chunk.fileName), metadataFile('{code}'));
        chunk.code = chunk.code.replaceAll(METADATA_URL, url.startsWith('.') ? url : `./${url}`);
      }
    },
    buildStart() {
      // Nothing imports a part by name (the parts module builds the name from the code), so each is emitted here.
      for (const code of callingCodes()) {
        this.emitFile({ type: 'chunk', id: `${PART}${code}`, fileName: metadataFile(code), preserveSignature: 'strict' });
      }
    },
    load(id) {
      if (PARTS_MODULE.test(id)) return partsModule(METADATA_URL);
      if (!id.startsWith(`\0${PART}`)) return null;
      const code = id.slice(PART.length + 1);
      const part = partModule(code);
      if (part === undefined) throw new Error(`No phone metadata for calling code ${code}`);
      return part;
    },
  };
}

/**
 * Lit keeps a `css` template's text as written, indentation and all. esbuild's CSS minifier rewrites
 * the stylesheets (files named `*styles.ts` under `widget/`) before bundling; they have no `${}` holes, which this relies on.
 */
function minifyLitCss(): Plugin {
  return {
    name: 'fcv-minify-lit-css',
    async transform(code, id) {
      if (!/[\\/]widget[\\/](?:[\w-]+[\\/])?[\w-]*styles\.ts$/.test(id)) return null;
      const { transform } = await import('esbuild');
      let out = code;
      for (const match of code.matchAll(/css`([^`]*)`/g)) {
        const body = match[1]!;
        if (body.includes('${')) throw new Error(`${id}: a css\`\` template with \${} cannot be minified as is`);
        const min = (await transform(body, { loader: 'css', minify: true })).code.trim();
        out = out.replace(match[0], () => `css\`${min.replace(/[`\\]/g, '\\$&')}\``);
      }
      return { code: out, map: null };
    },
  };
}

/**
 * Chunks use modules the entry holds (Lit, the events, the messages…). Imported by the entry's URL, they would
 * tie the page to loading `widget.js` by exactly that URL: `widget.js?v=2`, or a renamed copy, would be a
 * second module to the browser, fetched and run twice. Instead the entry hands those modules over at run
 * time, under a key of this build, and each chunk takes them from there: any URL works, each file is
 * fetched once. The entry also learns the file names of the phone module it hints (widget/preload.ts).
 */
function chunksShareTheEntry(): Plugin {
  return {
    name: 'fcv-chunks-share-the-entry',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((file) => file.type === 'chunk');
      // The element's entry; the metadata parts are emitted as entries of their own, and import nothing.
      const entry = chunks.find((chunk) => chunk.isEntry && chunk.fileName === 'widget.js');
      if (!entry) throw new Error('No entry chunk');
      const key = `Symbol.for(${JSON.stringify(`flash-call-verify ${createHash('sha256').update(entry.code).digest('hex').slice(0, 12)}`)})`;
      const fromEntry = new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*["']\\.\\./${entry.fileName.replace('.', '\\.')}["'];?`, 'g');
      const shared = new Set<string>();
      for (const chunk of chunks) {
        if (chunk === entry) continue;
        chunk.code = chunk.code.replace(fromEntry, (_all, names: string) => {
          const bindings = names.split(',').map((name) => name.trim().split(/\s+as\s+/));
          for (const [exported] of bindings) shared.add(exported!);
          return `const{${bindings.map(([exported, local]) => (local ? `${exported}:${local}` : exported)).join(',')}}=globalThis[${key}];`;
        });
        if (chunk.code.includes(entry.fileName)) throw new Error(`${chunk.fileName} still refers to ${entry.fileName}`);
      }
      // The entry's exports are its own (the element and its events) plus those the bundler added for the chunks.
      const exports = /export\s*\{([^}]*)\};?\s*$/.exec(entry.code);
      if (!exports) throw new Error('No export statement at the end of the entry');
      const pairs = exports[1]!.split(',').map((pair) => pair.trim().split(/\s+as\s+/));
      const local = new Map(pairs.map(([name, exported]) => [exported ?? name!, name!]));
      const own = new Set(['FlashCallVerify', 'FcvErrorEvent', 'FcvStateEvent', 'FcvVerifiedEvent']);
      for (const name of shared) if (!local.has(name)) throw new Error(`A chunk imports ${name}, which the entry does not export`);
      const handed = [...shared].map((name) => `${name}:${local.get(name)}`).join(',');
      const kept = pairs
        .filter(([name, exported]) => own.has(exported ?? name!))
        .map((pair) => pair.join(' as '))
        .join(',');
      // `??=`: with two copies of the entry on a page, chunks all take the first's, whose element is defined.
      entry.code = `${entry.code.slice(0, exports.index)}globalThis[${key}]??={${handed}};export{${kept}};\n`;
      // The phone module's chunk and the chunks it imports, which the entry hints as it first renders.
      const phone = chunks.find((chunk) => chunk.facadeModuleId?.endsWith('/widget/phone/phone-module.ts'));
      if (!phone) throw new Error('No phone module chunk');
      entry.code = entry.code
        .replace('__FCV_PHONE_FILES__', [phone.fileName, ...phone.imports.filter((file) => file !== entry.fileName)].join(','))
        .replace('__FCV_METADATA_FILE__', metadataFile('{code}'));
    },
  };
}

/**
 * Builds the element as an ES module entry, `dist/widget.js`, plus hashed chunks under `dist/chunks/`
 * that it imports relative to its own URL. The entry holds only what the first render needs (Lit, the
 * element, its styles and the English words of the number form); the phone library with the metadata of one
 * calling code at a time, the flow (its owner, the network client, the views after a submit with the code boxes
 * and the offer of other channels, English's other words), the country popup and other languages follow after
 * the first paint. Challenge mode's view comes only with a `challenge`. The server serves both; pages still need
 * one script tag.
 */
export default defineConfig({
  publicDir: false,
  // Asset URLs relative to the chunk that names them (the flag font), so they follow widget.js wherever it is served.
  base: './',
  plugins: [modernLibphonenumber(), metadataPerCallingCode(), minifyLitCss(), chunksShareTheEntry()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    lib: {
      entry: 'widget/define.ts',
      formats: ['es'],
      fileName: () => 'widget.js',
    },
    rolldownOptions: {
      // Modules the entry shares with a chunk stay in the entry, which hands them over (chunksShareTheEntry),
      // rather than going to a common chunk the entry would have to fetch before its first render.
      preserveEntrySignatures: 'allow-extension',
      // Lib mode leaves ES output unminified by default; a widget fetched by every visitor wants it small.
      output: {
        minify: true,
        // The flow's owner, the views after a submit with the offer of other channels, and English's words after the
        // number form travel in one chunk, fetched once typing is ready: every page that sends a number needs them all,
        // and one file compresses better than four and is one request. Their import() boundaries stay in the sources
        // for bundlers of the npm package. Only the modules named join it; whatever they import stays where it was.
        codeSplitting: {
          includeDependenciesRecursively: false,
          groups: [
            {
              name: 'flow',
              test: /[\\/]widget[\\/](?:flow[\\/](?:flow-controller|machine|flow-parts|api|event-stream|code-entry(?:-styles)?|flow-view(?:-styles)?|fallback-offer(?:-styles)?)|i18n[\\/](?:en|plural))\.ts$/,
            },
          ],
        },
        assetFileNames: 'chunks/[name]-[hash][extname]',
        chunkFileNames: (chunk) =>
          chunk.facadeModuleId && LANGUAGE_MODULE.test(chunk.facadeModuleId) ? `chunks/[name]-${I18N_HASH}.js` : 'chunks/[name]-[hash].js',
      },
    },
  },
});
