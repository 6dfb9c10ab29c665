import { defineConfig } from 'vite';
import { metadataPerCallingCode, modernLibphonenumber } from './vite.config.js';

/**
 * The demo page's own scripts, `dist/demo/phone.js` (the sandbox phone) and `dist/demo/page.js`, built
 * after the widget (whose build empties `dist/`). The phone groups numbers with the widget's phone library
 * and fetches the metadata of one calling code at a time, from `dist/demo/chunks/`.
 */
export default defineConfig({
  publicDir: false,
  plugins: [modernLibphonenumber(), metadataPerCallingCode()],
  build: {
    outDir: 'dist/demo',
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: false,
    modulePreload: false,
    reportCompressedSize: true,
    rolldownOptions: {
      input: { phone: 'demo/browser/phone.ts', page: 'demo/browser/page.ts' },
      output: {
        minify: true,
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
      },
    },
  },
});
