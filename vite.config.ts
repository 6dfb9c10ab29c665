import { existsSync, readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import { PARTS_MODULE, partModule, partsModule } from './scripts/metadata-split.js';

/**
 * libphonenumber-js publishes its ES modules twice: `es6/` (transpiled down, with class and spread
 * helpers) and `es6-modern/` (the same code for current browsers), but exports only the former.
 * Loading the modern twin where it exists saves about 4 KB gzip of helpers.
 */
function modernLibphonenumber(): Plugin {
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
 * Phone metadata per calling code: widget/metadata-parts.ts becomes the calling codes plus one dynamic
 * import per code, each part a chunk named after its code (`chunks/metadata-44-<hash>.js`).
 */
const METADATA_PART = '_fcv-metadata-';

function metadataPerCallingCode(): Plugin {
  const PART = METADATA_PART.slice(1);
  return {
    name: 'fcv-metadata-per-calling-code',
    resolveId(id) {
      return id.startsWith(PART) ? `\0${id}` : null;
    },
    load(id) {
      if (PARTS_MODULE.test(id)) return partsModule((code) => `${PART}${code}`);
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
 * the stylesheets (`widget/*styles.ts`) before bundling; they have no `${}` holes, which this relies on.
 */
function minifyLitCss(): Plugin {
  return {
    name: 'fcv-minify-lit-css',
    async transform(code, id) {
      if (!/[\\/]widget[\\/][\w-]*styles\.ts$/.test(id)) return null;
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
 * Builds the element as an ES module entry, `dist/widget.js`, plus hashed chunks under `dist/chunks/`
 * that it imports relative to its own URL. The entry holds only what the first render needs (Lit, the
 * element, its styles and English); the phone library with the metadata of one calling code at a time,
 * the network client, the flow after a submit (with the code boxes), the country popup and other
 * languages follow after the first paint. The server serves both; pages still need one script tag.
 */
export default defineConfig({
  publicDir: false,
  plugins: [modernLibphonenumber(), metadataPerCallingCode(), minifyLitCss()],
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
      // Modules the entry shares with a chunk stay in the entry, which exports them to the chunk, rather than
      // going to a common chunk the entry would have to fetch before its first render (about 35 ms more on
      // the benchmark's page). The price: chunks import the entry back as `../widget.js`, so pages must load
      // it by that name, without a query string, or a chunk fetches a second copy (see the README).
      preserveEntrySignatures: 'allow-extension',
      // Lib mode leaves ES output unminified by default; a widget fetched by every visitor wants it small.
      output: {
        minify: true,
        assetFileNames: 'chunks/[name]-[hash][extname]',
        // A metadata part is named for its calling code (`chunks/metadata-44-<hash>.js`), not for its virtual module.
        chunkFileNames: (chunk) =>
          chunk.name.startsWith(METADATA_PART) ? `chunks/metadata-${chunk.name.slice(METADATA_PART.length)}-[hash].js` : 'chunks/[name]-[hash].js',
      },
    },
  },
});
