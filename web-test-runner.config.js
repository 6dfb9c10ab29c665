import { existsSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { tsImport } from 'tsx/esm/api';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.js';

const executablePath = CHROMIUM_PATH;

if (!existsSync(executablePath)) {
  const message = `No Chromium at ${executablePath} (set CHROME_PATH).`;
  if (process.env.CI === 'true') throw new Error(`${message} Browser tests are mandatory in CI.`);
  console.warn(`${message} Skipping the browser tests.`);
  process.exit(0);
}

/**
 * Starts real sandbox servers (the Hono app with its Restcomm emulator) for the browser tests, each on a
 * free port with its own environment and a clock the tests can move forward. Tests reach them through
 * `executeServerCommand('sandbox:*')`; see test/widget/helpers.ts.
 */
function sandboxServers() {
  /** @type {Map<string, {server: {url: string, close(): Promise<void>}, clock: {offset: number, now(): number}}>} */
  const running = new Map();
  let serve;
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
          serve ??= await tsImport('./server/serve.ts', import.meta.url);
          const clock = { offset: 0, now: () => Date.now() + clock.offset };
          // A clean environment: nothing from the shell (RESTCOMM_*, REDIS_URL) may switch the mode.
          const env = { PORT: '0', HOST: '127.0.0.1', FCV_RESEND_SECONDS: '30', ...(payload?.env ?? {}) };
          const server = await serve.startServer({ env, clock });
          running.set(server.url, { server, clock });
          return { url: server.url };
        }
        case 'sandbox:calls': {
          const response = await fetch(`${find(payload.url).server.url}/sandbox/calls`);
          return response.json();
        }
        case 'sandbox:answer': {
          const response = await fetch(`${find(payload.url).server.url}/sandbox/calls/${payload.sid}/answer`, { method: 'POST' });
          return response.json();
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
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json' }), sandboxServers()],
};
