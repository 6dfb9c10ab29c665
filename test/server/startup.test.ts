import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

/** The real entry point, as `npm start` and `npx flash-call-verify` run it, with an environment of the test's choosing. */

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The machine's environment without anything that configures the server. */
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(RESTCOMM_|FCV_|REDIS_URL$|PUBLIC_URL$|HOST$|PORT$)/.test(name)),
);

const PRODUCTION = {
  RESTCOMM_BASE_URL: 'https://cloud.restcomm.com/restcomm',
  RESTCOMM_ACCOUNT_SID: 'AC00000000000000000000000000000000',
  RESTCOMM_AUTH_TOKEN: 'restcomm-test-token',
  PUBLIC_URL: 'https://verify.example.com',
  FCV_CALLER_IDS: '+44741830XXXX',
  FCV_SECRET: 'kq3V9xT2mZ7pL4wR8nB6yH1cF5dJ0sGa',
  FCV_SITES: JSON.stringify([
    { siteKey: 'pk_live', secret: 'sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0', origins: ['https://shop.example'] },
  ]),
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the server until it exits, or until `until` matches its output (then stops it). */
function run(env: Record<string, string>, until?: RegExp): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { ...cleanEnv, PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit and no match within 20 s:\n${stdout}\n${stderr}`));
    }, 20_000);
    const look = () => {
      if (until && until.test(stdout + stderr)) child.kill('SIGTERM');
    };
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      look();
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      look();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function refused(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('the entry point', () => {
  test('a production setup missing its Restcomm variables exits non-zero, naming them, and serves nothing', async () => {
    const { RESTCOMM_BASE_URL, RESTCOMM_ACCOUNT_SID, RESTCOMM_AUTH_TOKEN, ...rest } = PRODUCTION;
    void [RESTCOMM_BASE_URL, RESTCOMM_ACCOUNT_SID, RESTCOMM_AUTH_TOKEN];
    const result = await run(rest, /sandbox on/);
    assert.equal(result.code, 1, result.stdout);
    assert.match(result.stderr, /RESTCOMM_BASE_URL, RESTCOMM_ACCOUNT_SID, RESTCOMM_AUTH_TOKEN/);
    assert.doesNotMatch(result.stdout, /sandbox on/);
  });

  test('REDIS_URL alone is not the sandbox either', async () => {
    const result = await run({ REDIS_URL: 'redis://127.0.0.1:1' }, /sandbox on/);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /RESTCOMM_BASE_URL.*REDIS_URL/s);
  });

  test('production refuses the sandbox keys', async () => {
    const sites = JSON.stringify([{ siteKey: 'pk_sandbox', secret: 'sk_sandbox', origins: ['https://shop.example'] }]);
    const result = await run({ ...PRODUCTION, FCV_SITES: sites }, /server\.started/);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /FCV_SITES: .*pk_sandbox/);
  });

  test('with no variables it is the sandbox, on loopback only, and its banner says so', async () => {
    let port = 0;
    let reachableFromNetwork: boolean | undefined;
    const external = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
    const result = await new Promise<Run>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: root,
        env: { ...cleanEnv, PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const onData = async (chunk: unknown) => {
        stdout += String(chunk);
        const match = /Listening on 127\.0\.0\.1:(\d+)/.exec(stdout);
        if (!match || port) return;
        port = Number(match[1]);
        const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
        assert.equal(health.mode, 'sandbox');
        if (external) reachableFromNetwork = !(await refused(external, port));
        child.kill('SIGTERM');
      };
      // A failed check fails the test instead of going unhandled.
      child.stdout.on('data', (chunk) => void onData(chunk).catch(reject));
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
      setTimeout(() => reject(new Error(`no banner within 20 s:\n${stdout}\n${stderr}`)), 20_000).unref();
    });
    assert.match(result.stdout, /flash-call-verify sandbox on http:\/\/localhost:\d+/);
    assert.match(result.stdout, /this machine only/);
    assert.ok(port > 0);
    if (external) assert.equal(reachableFromNetwork, false, `the sandbox answered on ${external}`);
  });

  test('HOST opens the sandbox to the network, and the banner warns', async () => {
    const result = await run({ HOST: '0.0.0.0' }, /Listening on/);
    assert.match(result.stdout, /Listening on 0\.0\.0\.0:\d+: reachable from other machines/);
  });

  test('weak settings start, with one warning line each', async () => {
    const sites = JSON.stringify([{ siteKey: 'pk_live', secret: 'sk_short1', origins: ['https://shop.example'] }]);
    const result = await run({ ...PRODUCTION, PUBLIC_URL: 'http://verify.example.com', FCV_SITES: sites }, /server\.started/);
    const warnings = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .filter((line) => line.event === 'config.warning');
    assert.deepEqual(warnings.map((line) => line.variable).sort(), ['FCV_SITES', 'PUBLIC_URL']);
    assert.ok(warnings.every((line) => line.level === 'warn'));
    assert.ok(!result.stdout.includes('sk_short1'), 'the warning does not print the secret');
  });
});
