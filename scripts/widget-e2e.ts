/**
 * The built widget on a plain page: `dist/widget.js` served by the real sandbox server, loaded with one
 * script tag from a page on another port, verifies a number end to end. The script is loaded by its own
 * URL, with a query string, and as a renamed copy served by the page's own server: each file is fetched
 * once whatever the URL. A sign-up page never fetches challenge mode's view; a page with a challenge fetches
 * its view and confirms the number it names.
 * Saves screenshots of idle, ringing, wrong code and verified, in light and dark, under test-output/.
 *
 * Run after `vite build`: node --import tsx scripts/widget-e2e.ts
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Page } from 'playwright-core';
import { startSandboxServer } from '../sandbox/index.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';

const widgetFile = new URL('../dist/widget.js', import.meta.url).pathname;
if (!existsSync(widgetFile)) throw new Error('dist/widget.js is missing: run `vite build` first.');
const outDir = new URL('../test-output/', import.meta.url).pathname;
mkdirSync(outDir, { recursive: true });

const server = await startSandboxServer({ env: { PORT: '0', HOST: '127.0.0.1' }, widgetFile });
/** How the page loads the element: by its own URL, with a query string, or renamed and served by the site itself. */
type Load = 'own-url' | 'query' | 'renamed';
const scriptUrl = (load: Load) =>
  load === 'own-url' ? `${server.url}/widget.js` : load === 'query' ? `${server.url}/widget.js?v=2` : '/assets/fcv.js';
const page = (lang: string, dir: string, load: Load, challenge = '') => `<!doctype html>
<html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><title>Sign up</title>
<meta name="color-scheme" content="light dark">
<style>body{font-family:system-ui,sans-serif;margin:2rem;background:Canvas;color:CanvasText}</style>
<script type="module" src="${scriptUrl(load)}"></script></head>
<body><form id="signup"><h1>Sign up</h1>
<flash-call-verify site-key="pk_sandbox" endpoint="${server.url}" name="phone_token" required ${
  challenge ? `challenge="${challenge}"` : 'default-country="GB"'
}></flash-call-verify>
<p><button>Sign up</button></p></form></body></html>`;
const distDir = new URL('../dist/', import.meta.url).pathname;
const site = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://site');
  // The renamed copy and the files beside it, as a site that bundles them into its own assets would serve them.
  const asset = /^\/assets\/(fcv\.js|chunks\/[\w-]+\.(?:js|woff2))$/.exec(url.pathname)?.[1];
  if (asset) {
    const file = asset === 'fcv.js' ? widgetFile : `${distDir}${asset}`;
    if (!existsSync(file)) return void res.writeHead(404).end();
    const type = asset.endsWith('.woff2') ? 'font/woff2' : 'text/javascript; charset=utf-8';
    return void res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
  }
  const ar = url.pathname.includes('ar');
  const load = (url.searchParams.get('load') ?? 'own-url') as Load;
  const challenge = url.searchParams.get('challenge') ?? '';
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(ar ? 'ar' : 'en', ar ? 'rtl' : 'ltr', load, challenge));
});
await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
const siteUrl = `http://localhost:${(site.address() as AddressInfo).port}`;

const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: CHROMIUM_ARGS,
});

const state = (p: Page) => p.evaluate(() => document.querySelector('flash-call-verify')!.state);
async function waitForState(p: Page, ...names: string[]) {
  await p.waitForFunction((wanted) => wanted.includes(document.querySelector('flash-call-verify')!.state), names, { timeout: 10_000 });
}
async function shot(p: Page, name: string) {
  await p.locator('flash-call-verify').screenshot({ path: `${outDir}${name}.png`, animations: 'disabled' });
  console.log(`screenshot: test-output/${name}.png`);
}
async function latestCode(to: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const calls = (await (await fetch(`${server.url}/sandbox/calls`)).json()) as Array<{ from: string; to: string }>;
    const call = calls.find((c) => c.to === to);
    if (call) return call.from.slice(-4);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no call to ${to}`);
}

let failed = false;
try {
  const runs: Array<[scheme: 'light' | 'dark', lang: string, number: string, e164: string, load: Load]> = [
    ['light', 'en', '07400 123456', '+447400123456', 'query'],
    ['dark', 'en', '07400 123457', '+447400123457', 'renamed'],
    ['light', 'ar', '07400 123458', '+447400123458', 'own-url'],
  ];
  for (const [scheme, lang, number, e164, load] of runs) {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 520, height: 640 }, deviceScaleFactor: 1 });
    const p = await context.newPage();
    p.on('pageerror', (error) => {
      failed = true;
      console.error('page error:', error);
    });
    // Every script file of the element, by path (a query string makes no other file): each must come once.
    const scripts = new Map<string, number>();
    p.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (/(^|\/)(widget|fcv)\.js$|\/chunks\//.test(pathname)) scripts.set(pathname, (scripts.get(pathname) ?? 0) + 1);
    });
    await p.goto(`${siteUrl}/${lang}?load=${load}`);
    await p.waitForFunction(() => customElements.get('flash-call-verify'));
    const suffix = lang === 'en' ? scheme : `${lang}-${scheme}`;
    // The button's flag, from the flag font where this Chromium draws none: what a user sees once the page settles.
    await p.waitForFunction(
      () => document.querySelector('flash-call-verify')!.shadowRoot!.querySelector('[part~="country-button"] .flag')!.textContent,
    );
    await p.evaluate(() => document.fonts.ready);
    const flagFont = await p.evaluate(() => [...document.fonts].map((face) => `${face.family} ${face.status}`).join(', '));
    if (!/Fcv Country Flags"? loaded/.test(flagFont)) throw new Error(`the flag font did not load: ${flagFont || 'none declared'}`);
    await shot(p, `idle-${suffix}`);
    // The form refuses to submit before verification.
    const blocked = await p.evaluate(() => !(document.getElementById('signup') as HTMLFormElement).checkValidity());
    if (!blocked) throw new Error('form was valid before verification');
    await p.locator('flash-call-verify input[type="tel"]').pressSequentially(number.replace(/\D/g, ''));
    await p.locator('flash-call-verify [part~="verify-button"]').click();
    await waitForState(p, 'ringing');
    const code = await latestCode(e164);
    await p.locator('flash-call-verify input.digit').first().focus();
    await shot(p, `ringing-${suffix}`);
    const wrong = code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
    await p.keyboard.type(wrong);
    await p.waitForFunction(() =>
      document.querySelector('flash-call-verify')!.shadowRoot!.querySelector('input.digit[aria-invalid="true"]'),
    );
    await shot(p, `wrong-code-${suffix}`);
    await p.keyboard.type(code);
    await waitForState(p, 'verified');
    await shot(p, `verified-${suffix}`);
    const token = await p.evaluate(() => new FormData(document.getElementById('signup') as HTMLFormElement).get('phone_token'));
    if (typeof token !== 'string' || token.length < 16) throw new Error(`no token in the form (${token === null ? 'none' : 'a file'})`);
    const entry = load === 'renamed' ? '/assets/fcv.js' : '/widget.js';
    if (scripts.get(entry) !== 1) throw new Error(`${entry} was fetched ${scripts.get(entry) ?? 0} times`);
    const twice = [...scripts].filter(([, count]) => count > 1);
    if (twice.length) throw new Error(`fetched more than once: ${twice.map(([path, count]) => `${path} (${count})`).join(', ')}`);
    if (![...scripts.keys()].some((path) => path.includes('/chunks/flow-')))
      throw new Error('the chunks were not fetched beside the entry');
    if ([...scripts.keys()].some((path) => path.includes('/chunks/challenge-view-')))
      throw new Error('a sign-up page fetched challenge mode, which only a page with a challenge needs');
    console.log(
      `e2e ${suffix}, script loaded ${load}: ${await state(p)} ${e164}, form carries a ${token.length}-character token, ${scripts.size} files each fetched once`,
    );
    await context.close();
  }

  // Challenge mode: the site's backend names the number; the page fetches the challenge view and confirms it.
  const phone = '+447400123459';
  const created = await fetch(`${server.url}/v1/challenges`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret: 'sk_sandbox', phone, action: 'payment' }),
  });
  const { challenge } = (await created.json()) as { challenge: string };
  if (created.status !== 201) throw new Error(`challenge refused (${created.status})`);
  const context = await browser.newContext({ viewport: { width: 520, height: 640 }, deviceScaleFactor: 1 });
  const p = await context.newPage();
  p.on('pageerror', (error) => {
    failed = true;
    console.error('page error:', error);
  });
  const fetched: string[] = [];
  p.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  await p.goto(`${siteUrl}/en?challenge=${encodeURIComponent(challenge)}`);
  const line = p.locator('flash-call-verify [part~="challenge-number"]');
  await line.waitFor({ timeout: 10_000 });
  if (!(await line.textContent())?.includes('••')) throw new Error(`the masked number is not shown: ${await line.textContent()}`);
  if (fetched.filter((path) => path.includes('/chunks/challenge-view-')).length !== 1)
    throw new Error('the challenge view was not fetched once');
  await p.locator('flash-call-verify [part~="verify-button"]').click();
  await waitForState(p, 'ringing');
  await p.locator('flash-call-verify input.digit').first().focus();
  await p.keyboard.type(await latestCode(phone));
  await waitForState(p, 'verified');
  console.log(`e2e challenge: ${await state(p)}, its view fetched once`);
  await context.close();
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await browser.close();
  site.close();
  await server.close();
}
console.log(failed ? 'e2e: 0 passed, 1 failed' : 'e2e: 1 passed, 0 failed');
process.exit(failed ? 1 : 0);
