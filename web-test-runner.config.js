import { randomBytes, randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { tsImport } from 'tsx/esm/api';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.js';
import { PARTS_MODULE, partModule, partsModule } from './scripts/metadata-split.js';

const executablePath = CHROMIUM_PATH;

if (!existsSync(executablePath)) {
  const message = `No Chromium at ${executablePath} (set CHROME_PATH).`;
  if (process.env.CI === 'true') throw new Error(`${message} Browser tests are mandatory in CI.`);
  console.warn(`${message} Skipping the browser tests.`);
  process.exit(0);
}

/** Randomness whose digits (codes among them) are `digits` over and over, so that a test can meet a code it names. */
function digitsInTurn(digits) {
  let next = 0;
  return {
    bytes: (length) => new Uint8Array(randomBytes(length)),
    int: (max) => (max === 10 ? Number(digits[next++ % digits.length]) : randomInt(max)),
  };
}

/**
 * Starts real sandbox servers (the Hono app with its Restcomm emulator) for the browser tests, each on a
 * free port with its own environment and a clock the tests can move forward. Tests reach them through
 * `executeServerCommand('sandbox:*')`; see test/widget/helpers.ts.
 */
function sandboxServers() {
  /** @type {Map<string, {server: {url: string, close(): Promise<void>}, clock: {offset: number, now(): number}}>} */
  const running = new Map();
  let sandbox;
  const find = (url) => {
    const entry = running.get(url);
    if (!entry) throw new Error(`No sandbox server at ${url}`);
    return entry;
  };
  return {
    name: 'fcv-sandbox-servers',
    async executeCommand({ command, payload }) {
      switch (command) {
        case 'sandbox:start': {
          sandbox ??= await tsImport('./sandbox/index.ts', import.meta.url);
          const clock = { offset: 0, now: () => Date.now() + clock.offset };
          // A clean environment: nothing from the shell (RESTCOMM_*, REDIS_URL) may switch the mode.
          const env = { PORT: '0', HOST: '127.0.0.1', FCV_RESEND_SECONDS: '30', ...(payload?.env ?? {}) };
          const server = await sandbox.startSandboxServer({ env, clock, random: payload?.digits && digitsInTurn(payload.digits) });
          running.set(server.url, { server, clock });
          return { url: server.url };
        }
        case 'sandbox:calls': {
          const response = await fetch(`${find(payload.url).server.url}/sandbox/calls`);
          return response.json();
        }
        case 'sandbox:messages': {
          const response = await fetch(`${find(payload.url).server.url}/sandbox/messages`);
          return response.json();
        }
        case 'sandbox:answer': {
          const response = await fetch(`${find(payload.url).server.url}/sandbox/calls/${payload.sid}/answer`, { method: 'POST' });
          return response.json();
        }
        case 'sandbox:backend': {
          // What a site's backend sends, server to server (no CORS): creating a challenge, redeeming a token.
          const response = await fetch(`${find(payload.url).server.url}${payload.path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(payload.body),
          });
          return { status: response.status, body: await response.json() };
        }
        case 'sandbox:advance': {
          find(payload.url).clock.offset += payload.ms;
          return true;
        }
        case 'sandbox:stop': {
          const entry = running.get(payload.url);
          running.delete(payload.url);
          await entry?.server.close();
          return true;
        }
        default:
          return undefined;
      }
    },
    async serverStop() {
      await Promise.all([...running.values()].map(({ server }) => server.close()));
      running.clear();
    },
  };
}

/** Phone metadata per calling code, as the widget build has it (see vite.config.ts): parts under /__fcv-metadata/. */
function metadataPerCallingCode() {
  return {
    name: 'fcv-metadata-per-calling-code',
    serve(context) {
      if (PARTS_MODULE.test(context.path)) return { body: partsModule('/__fcv-metadata/{code}.js'), type: 'js' };
      const code = /^\/__fcv-metadata\/(\d+)\.js$/.exec(context.path)?.[1];
      const part = code && partModule(code);
      return part ? { body: part, type: 'js' } : undefined;
    },
  };
}

/**
 * Lets a test hold back or fail the module at a path, to see the element while a chunk is on its way or
 * when it cannot be fetched: `executeServerCommand('chunks:hold' | 'chunks:fail' | 'chunks:release', { path })`.
 */
function chunkGate() {
  /** @type {Map<string, {mode: 'hold' | 'fail', released: Promise<void>, release(): void}>} */
  const gates = new Map();
  return {
    plugin: {
      name: 'fcv-chunk-gate',
      executeCommand({ command, payload }) {
        if (command === 'chunks:hold' || command === 'chunks:fail') {
          let release = () => {};
          const released = new Promise((resolve) => (release = resolve));
          gates.set(payload.path, { mode: command === 'chunks:hold' ? 'hold' : 'fail', released, release });
          return true;
        }
        if (command === 'chunks:release') {
          gates.get(payload.path)?.release();
          gates.delete(payload.path);
          return true;
        }
        return undefined;
      },
      serverStop() {
        for (const gate of gates.values()) gate.release();
      },
    },
    async middleware(context, next) {
      const gate = gates.get(context.path);
      if (gate?.mode === 'fail') {
        context.status = 503;
        // The test runner marks every file cacheable for a year; `Vary: *` keeps a response from being reused.
        context.set('vary', '*');
        context.body = 'Held back by the test';
        return;
      }
      if (gate?.mode === 'hold') await gate.released;
      await next();
      // Each test file's page fetches the element's modules afresh, so a test can hold back or fail one.
      if (/^\/(widget|__fcv-metadata)\//.test(context.path)) context.set('vary', '*');
    },
  };
}

const gate = chunkGate();

export default {
  files: ['test/widget/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testFramework: { config: { timeout: 20000 } },
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
  middleware: [gate.middleware],
  plugins: [metadataPerCallingCode(), esbuildPlugin({ ts: true, tsconfig: './tsconfig.json' }), sandboxServers(), gate.plugin],
};
