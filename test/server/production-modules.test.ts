import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RECORD_MODULES, loadedFiles, sandboxFiles } from '../support/loaded-modules.js';

/**
 * Production loads no sandbox: the real entry point, started in production mode against a stand-in Restcomm
 * on loopback, with a module hook that reports every file it loads, serves a verification; then none of the
 * files it loaded is the demo's or the sandbox's.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const ORIGIN = 'https://shop.example';

/** The machine's environment without anything that configures the server. */
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(RESTCOMM_|FCV_|REDIS_URL$|PUBLIC_URL$|HOST$|PORT$)/.test(name)),
);

describe('production mode', () => {
  let restcomm: ReturnType<typeof createServer>;
  let restcommUrl: string;
  const placed: string[] = [];

  before(async () => {
    // Answers a call request as Restcomm does, with a call record.
    restcomm = createServer((request, response) => {
      placed.push(`${request.method} ${request.url}`);
      request.resume();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ sid: `CA${'0'.repeat(31)}${placed.length}`, status: 'queued' }));
    });
    await new Promise<void>((resolve) => restcomm.listen(0, '127.0.0.1', resolve));
    restcommUrl = `http://127.0.0.1:${(restcomm.address() as AddressInfo).port}/restcomm`;
  });

  after(() => restcomm.close());

  test('serves a verification and loads no demo or sandbox module', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', RECORD_MODULES, 'server/main.ts'], {
      cwd: root,
      env: {
        ...cleanEnv,
        PORT: '0',
        HOST: '127.0.0.1',
        FCV_MODE: 'production',
        RESTCOMM_BASE_URL: restcommUrl,
        RESTCOMM_ACCOUNT_SID: 'AC00000000000000000000000000000000',
        RESTCOMM_AUTH_TOKEN: 'restcomm-test-token',
        PUBLIC_URL: 'http://127.0.0.1:9',
        FCV_CALLER_IDS: '+44741830XXXX',
        FCV_SECRET: 'kq3V9xT2mZ7pL4wR8nB6yH1cF5dJ0sGa',
        FCV_SITES: JSON.stringify([{ siteKey: 'pk_live', secret: 'sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0', origins: [ORIGIN] }]),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start within 20 s:\n${stdout}\n${stderr}`)), 20_000);
        const look = () => {
          const started = stdout.split('\n').find((line) => line.includes('"server.started"'));
          if (!started) return;
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${JSON.parse(started).port}`);
        };
        child.stdout.on('data', look);
        child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${stdout}\n${stderr}`)));
      });

      // Every kind of request production answers, so lazily loaded modules are loaded too.
      const started = await fetch(`${url}/v1/verifications`, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ siteKey: 'pk_live', phone: '+447418301234' }),
      });
      assert.equal(started.status, 201, await started.clone().text());
      const { id } = (await started.json()) as { id: string };
      assert.equal((await fetch(`${url}/v1/verifications/${id}`, { headers: { origin: ORIGIN } })).status, 200);
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      assert.equal((await fetch(`${url}/openapi.json`)).status, 200);
      assert.equal(placed.filter((line) => line.startsWith('POST ')).length, 1, 'the call went to the configured Restcomm');
      // The sandbox's pages and routes are not there.
      for (const path of [
        '/',
        '/sandbox/calls',
        '/sandbox/messages',
        '/sandbox/restcomm/2012-04-24/Accounts/AC00000000000000000000000000000000/Calls.json',
        '/demo/demo.css',
      ]) {
        assert.equal((await fetch(`${url}${path}`)).status, 404, path);
      }
    } finally {
      child.kill('SIGTERM');
      await exited;
    }

    const files = loadedFiles(stderr, root);
    assert.ok(
      files.includes('server/main.ts') && files.includes('server/app.ts'),
      `the recorder saw the server load:\n${files.join('\n')}`,
    );
    assert.deepEqual(sandboxFiles(files), [], 'production loaded sandbox or demo modules');
  });
});

describe('startServer in sandbox mode', () => {
  test('without a provider it refuses, pointing to the sandbox entry, and frees its port', async () => {
    const { startServer } = await import('../../server/serve.js');
    const { ConfigError } = await import('../../server/config.js');
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = String((probe.address() as AddressInfo).port);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    await assert.rejects(startServer({ env: { FCV_MODE: 'sandbox', PORT: port } }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /startSandboxServer/);
      return true;
    });
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(Number(port), '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => again.close(() => resolve()));
  });
});
