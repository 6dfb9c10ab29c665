import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { publint } from 'publint';
import { VERSION } from '../../server/version.js';
import { RECORD_MODULES, loadedFiles, sandboxFiles } from '../support/loaded-modules.js';

/**
 * The package as users get it: packed by npm (which builds it first), linted, installed into a project of its
 * own outside the repository, type-checked there with tsc, bundled, run, and started with `npx`.
 */

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const tsc = join(root, 'node_modules/typescript/bin/tsc');

let work: string;
let tarball: string;
let packed: string[];

/** Only what a user runs or reads: the builds, their declarations, the bin, the manifest, the docs, the ops files. */
const SHIPPED =
  /^(README\.md|LICENSE|package\.json|custom-elements\.json|ops\/(grafana-dashboard\.json|prometheus-rules\.yml)|bin\/[\w-]+\.js|dist\/(widget\.js|chunks\/[\w-]+\.(js|woff2)|widget\/picker\/assets\/[\w-]+\.woff2|(server|sandbox|widget|demo)\/[\w/-]+\.(js|d\.ts)|demo\/(demo\.css|favicon\.svg)))$/;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'fcv-package-'));
  // Built first, on its own, so the pack's standard output is its JSON alone, whatever the build prints.
  await run('npm', ['run', 'build'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  const [info] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, info!.filename);
  packed = info!.files.map((file) => file.path).sort();
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  test('npm pack --dry-run lists only what users need, and everything they do', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    const [dry] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
    const files = dry!.files.map((file) => file.path).sort();
    assert.deepEqual(files, packed, 'the dry run and the real pack agree');
    const stray = files.filter((file) => !SHIPPED.test(file));
    assert.deepEqual(stray, [], 'nothing beyond the builds, declarations, bin, docs and ops files');
    for (const required of [
      'README.md',
      'LICENSE',
      'custom-elements.json',
      'bin/flash-call-verify.js',
      'dist/widget.js',
      'dist/server/index.js',
      'dist/server/index.d.ts',
      'dist/server/main.js',
      'dist/widget/index.js',
      'dist/widget/define.js',
      'dist/widget/react.js',
      // The sandbox and its front door travel with the server, for `npx flash-call-verify` to serve.
      'dist/sandbox/index.js',
      'dist/sandbox/index.d.ts',
      'dist/demo/app.js',
      'dist/demo/phone.js',
      'dist/demo/demo.css',
      // What an operator loads into Grafana and Prometheus (docs/production.md).
      'ops/grafana-dashboard.json',
      'ops/prometheus-rules.yml',
    ]) {
      assert.ok(files.includes(required), `${required} is packed`);
    }
    // Every exported path and every chunk the served widget imports is in the tarball.
    const targets = Object.values(pkg.exports as Record<string, string | Record<string, string>>).flatMap((target) =>
      typeof target === 'string' ? [target] : Object.values(target),
    );
    for (const target of [...targets, pkg.bin['flash-call-verify'], pkg.customElements]) {
      assert.ok(files.includes(target.replace(/^\.\//, '')), `${target} is packed`);
    }
    const widget = readFileSync(join(root, 'dist/widget.js'), 'utf8');
    for (const [, chunk] of widget.matchAll(/["']\.\/(chunks\/[\w-]+\.js)["']/g)) assert.ok(files.includes(`dist/${chunk}`), chunk);
    assert.match(readFileSync(join(root, 'bin/flash-call-verify.js'), 'utf8'), /^#!\/usr\/bin\/env node\n/);
  });

  test('publint finds nothing, warnings and suggestions included', async () => {
    const bytes = readFileSync(tarball);
    const { messages } = await publint({
      pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
      level: 'suggestion',
      strict: true,
    });
    assert.deepEqual(messages, []);
  });

  test('the server reports the package version', () => {
    assert.equal(VERSION, pkg.version);
  });
});

describe('a project that installs the tarball', () => {
  let project: string;

  before(async () => {
    project = join(work, 'consumer');
    mkdirSync(project);
    const exact = (name: string) => String(pkg.dependencies[name] ?? pkg.devDependencies[name]).replace(/^\^/, '');
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        private: true,
        type: 'module',
        dependencies: {
          'flash-call-verify': `file:${tarball}`,
          hono: exact('hono'),
          react: exact('react'),
        },
        devDependencies: { '@types/node': exact('@types/node'), '@types/react': exact('@types/react') },
      }),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023', 'DOM', 'DOM.Iterable'],
          types: ['node'],
          jsx: 'react-jsx',
          strict: true,
          // The package's own declarations and those of its dependencies are checked too.
          skipLibCheck: false,
          rootDir: 'src',
          outDir: 'out',
        },
        include: ['src'],
      }),
    );
    mkdirSync(join(project, 'src'));
    writeFileSync(join(project, 'src/server.ts'), CONSUMER_SERVER);
    writeFileSync(join(project, 'src/page.ts'), CONSUMER_PAGE);
    writeFileSync(join(project, 'src/form.tsx'), CONSUMER_REACT);
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
      cwd: project,
      maxBuffer: 64 * 1024 * 1024,
    });
  });

  test('type-checks with tsc against the published declarations', async () => {
    try {
      await run(process.execPath, [tsc, '-p', project], { cwd: project });
    } catch (error) {
      assert.fail(`tsc failed:\n${(error as { stdout?: string }).stdout}`);
    }
  });

  test('mounts createApp inside its own Hono app and completes a verification on Node', async () => {
    const { stdout } = await run(process.execPath, [join(project, 'out/server.js')], { cwd: project });
    const result = JSON.parse(stdout);
    assert.deepEqual(result.home, 'shop');
    assert.equal(result.health.status, 'ok');
    assert.equal(result.started, 201);
    assert.equal(result.redeemed.success, true);
    assert.equal(result.redeemed.phone, '+447418301234');
    assert.equal(result.openapi, '3.1.0');
  });

  test('bundles flash-call-verify/define for the browser, registering the element', async () => {
    const bundled = await build({
      absWorkingDir: project,
      entryPoints: ['src/page.ts'],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      logLevel: 'silent',
    });
    const code = bundled.outputFiles[0]!.text;
    assert.match(code, /customElements\.define\(/, 'the define module survives tree-shaking');
    assert.match(code, /flash-call-verify/);
  });

  test('flash-call-verify/server loads no sandbox or demo module', async () => {
    const installed = join(project, 'node_modules/flash-call-verify');
    const script =
      "const server = await import('flash-call-verify/server'); if (typeof server.startServer !== 'function') process.exit(2);";
    const { stderr } = await run(process.execPath, ['--import', RECORD_MODULES, '--input-type=module', '--eval', script], { cwd: project });
    const files = loadedFiles(stderr, installed);
    assert.ok(files.includes('dist/server/index.js'), `the recorder saw the library load:\n${files.join('\n')}`);
    assert.deepEqual(sandboxFiles(files), []);
  });

  test('flash-call-verify/sandbox runs the emulator with the real driver', async () => {
    const script = `
      import { startSandboxServer } from 'flash-call-verify/sandbox';
      const server = await startSandboxServer({ env: { PORT: '0' } });
      const started = await fetch(server.url + '/v1/verifications', {
        method: 'POST',
        headers: { origin: server.url, 'content-type': 'application/json' },
        body: JSON.stringify({ siteKey: 'pk_sandbox', phone: '+447418301234' }),
      });
      const demo = await fetch(server.url + '/');
      process.stdout.write(JSON.stringify({ started: started.status, calls: server.emulator.calls().map((call) => call.to), demo: demo.status }));
      await server.close();
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script], { cwd: project });
    assert.deepEqual(JSON.parse(stdout), { started: 201, calls: ['+447418301234'], demo: 200 });
  });

  test('npx flash-call-verify serves the sandbox', async () => {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^(RESTCOMM_|FCV_|REDIS_URL|PUBLIC_URL|HOST$)/.test(name)),
    );
    const child = spawn('npx', ['--no-install', 'flash-call-verify'], {
      cwd: project,
      env: { ...env, PORT: '0' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start line within 20 s:\n${output}`)), 20_000);
        const look = () => {
          const match = /sandbox on (http:\/\/localhost:\d+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        };
        child.stdout.on('data', look);
        child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
      });
      const health = await (await fetch(`${url}/healthz`)).json();
      assert.deepEqual(health, { status: 'ok', mode: 'sandbox', store: 'ok' });
      const widget = await fetch(`${url}/widget.js`);
      assert.equal(widget.status, 200, 'the built element is found beside the compiled server');
      assert.match(widget.headers.get('content-type') ?? '', /javascript/);
      const started = await fetch(`${url}/v1/verifications`, {
        method: 'POST',
        headers: { origin: url, 'content-type': 'application/json' },
        body: JSON.stringify({ siteKey: 'pk_sandbox', phone: '+447418301234' }),
      });
      assert.equal(started.status, 201);
      const calls = (await (await fetch(`${url}/sandbox/calls`)).json()) as Array<{ to: string }>;
      assert.equal(calls[0]?.to, '+447418301234');
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    }
  });
});

const CONSUMER_SERVER = `
import { Hono } from 'hono';
import {
  createApp,
  loadConfig,
  MemoryStore,
  RedisStore,
  createRestcommProvider,
  type PlaceCallRequest,
  type SiteverifyResult,
  type TelephonyProvider,
} from 'flash-call-verify/server';

// Calls are recorded instead of placed; the code is the caller ID's last digits.
const calls: PlaceCallRequest[] = [];
const provider: TelephonyProvider = {
  async placeCall(request) {
    calls.push(request);
    return { sid: 'CA' + String(calls.length).padStart(32, '0') };
  },
  async hangUp() {},
};

const config = loadConfig({ FCV_MODE: 'sandbox', PUBLIC_URL: 'http://localhost:3000/verify' });
const store = new MemoryStore();
const shop = new Hono();
shop.get('/', (c) => c.text('shop'));
shop.route('/verify', createApp({ config, store, provider }));

// Types are real, not any: a wrong option is an error.
// @ts-expect-error no such option
createApp({ config, store, provider, colour: 'blue' });
const restcomm: TelephonyProvider = createRestcommProvider({ baseUrl: 'https://cloud.restcomm.com/restcomm', accountSid: 'AC', authToken: 't' });
const redisFactory: (url: string) => RedisStore = (url) => new RedisStore({ url });
void restcomm;
void redisFactory;

const origin = 'http://localhost:3000';
const json = (body: unknown) => ({ method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const started = await shop.request('/verify/v1/verifications', json({ siteKey: 'pk_sandbox', phone: '+447418301234' }));
const session = (await started.json()) as { id: string; codeLength: number };
const code = calls[0]!.from.slice(-session.codeLength);
const checked = (await (await shop.request('/verify/v1/verifications/' + session.id + '/check', json({ code }))).json()) as { token: string };
const redeemed = (await (await shop.request('/verify/v1/siteverify', json({ secret: 'sk_sandbox', token: checked.token }))).json()) as SiteverifyResult;
const phone: string = redeemed.success ? redeemed.phone : '';

process.stdout.write(
  JSON.stringify({
    home: await (await shop.request('/')).text(),
    health: await (await shop.request('/verify/healthz')).json(),
    started: started.status,
    redeemed: { ...redeemed, phone },
    openapi: ((await (await shop.request('/verify/openapi.json')).json()) as { openapi: string }).openapi,
  }),
);
await store.close();
`;

const CONSUMER_PAGE = `
import 'flash-call-verify/define';
import { FlashCallVerify, FcvVerifiedEvent, type VerifiedDetail } from 'flash-call-verify';

const element = document.createElement('flash-call-verify');
const typed: FlashCallVerify = element;
typed.siteKey = 'pk_live_example';
typed.endpoint = 'https://verify.example.com';
typed.required = true;
element.addEventListener('fcv-verified', (event) => {
  const detail: VerifiedDetail = event.detail;
  const token: string = detail.token;
  console.log(token, event instanceof FcvVerifiedEvent);
});
element.addEventListener('fcv-error', (event) => console.log(event.detail.code, event.detail.retryable));
// @ts-expect-error the state is read-only
typed.state = 'verified';
document.querySelector('form')?.append(element);
`;

const CONSUMER_REACT = `
import { useRef } from 'react';
import { FlashCallVerify, type FlashCallVerifyElement } from 'flash-call-verify/react';

export function SignupPhone({ onToken }: { onToken: (token: string) => void }) {
  const ref = useRef<FlashCallVerifyElement>(null);
  return (
    <FlashCallVerify
      ref={ref}
      siteKey="pk_live_example"
      endpoint="https://verify.example.com"
      name="phone_token"
      required
      onFcvVerified={(event) => onToken(event.detail.token)}
      onFcvError={(event) => console.warn(event.detail.code)}
    />
  );
}
`;
