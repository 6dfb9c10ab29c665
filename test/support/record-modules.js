// Loaded with `node --import`: every module the process loads is written to stderr as `fcv-module <url>`,
// so a test can tell which files a run pulled in, lazy imports included.
import { register } from 'node:module';

register(new URL('./record-modules-hooks.js', import.meta.url));
