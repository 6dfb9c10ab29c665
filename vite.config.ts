import { existsSync, readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';

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
 * Lit keeps a `css` template's text as written, indentation and all. esbuild's CSS minifier rewrites
 * the one stylesheet before bundling; the element's CSS has no `${}` holes, which this relies on.
 */
function minifyLitCss(): Plugin {
  return {
    name: 'fcv-minify-lit-css',
    async transform(code, id) {
      if (!/[\\/]widget[\\/]styles\.ts$/.test(id)) return null;
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
 * element, its styles and English); the phone metadata, the network client and other languages follow
 * after the first paint. The server serves both; pages still need one script tag.
 */
export default defineConfig({
  publicDir: false,
  plugins: [modernLibphonenumber(), minifyLitCss()],
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
      // Lib mode leaves ES output unminified by default; a widget fetched by every visitor wants it small.
      output: { minify: true, chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
