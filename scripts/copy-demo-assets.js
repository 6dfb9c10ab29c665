// The sandbox's demo page serves these files beside its compiled module, so they travel with it. Its scripts
// are built there by vite.demo.config.ts.
import { copyFileSync, mkdirSync } from 'node:fs';

const from = new URL('../demo/', import.meta.url);
const to = new URL('../dist/demo/', import.meta.url);
mkdirSync(to, { recursive: true });
for (const name of ['demo.css', 'favicon.svg']) copyFileSync(new URL(name, from), new URL(name, to));
