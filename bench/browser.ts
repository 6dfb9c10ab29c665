/**
 * Time to first render and to interactive in headless Chromium, CPU throttled 4x through the DevTools
 * protocol: our element against intl-tel-input initialised on the same kind of page, both served by
 * one local static server, a fresh browser context (cold cache) for every load.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath, median, ms, percentile, type Section } from './lib.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.webp': 'image/webp',
  '.html': 'text/html; charset=utf-8',
};

const form = (control: string) => `<form action="/signup" method="post">
  <h1>Create your account</h1>
  <p><label>Email <input type="email" name="email"></label></p>
  ${control}
  <p><button>Sign up</button></p>
</form>`;

/**
 * What a page logs once both its marks are set. The harness waits for it rather than polling the page: its
 * first script evaluated in the page (Playwright's injected helper, about 90 ms to compile at 4x) would
 * otherwise land just after the load event, in the middle of whatever the page does next.
 */
const DONE = 'bench: measured';

// "start" is set while the head is parsed, before the control's script or stylesheet is requested.
const head = `<meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Sign up</title>
<script>performance.mark('start')</script>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:30rem}</style>`;

/**
 * "rendered": the control's DOM is built and laid out (a layout forced, so both pay for style and layout).
 * "interactive": typing is formatted and validated. Ours fetches its phone module after the first paint,
 * so the page waits for that moment before asking, rather than triggering the fetch early itself.
 */
const OURS = `<!doctype html><html lang="en"><head>${head}
<script type="module" src="/fcv/widget.js"></script>
<script type="module">
  const el = document.querySelector('flash-call-verify');
  await customElements.whenDefined('flash-call-verify');
  await el.updateComplete;
  el.shadowRoot.querySelector('input').getBoundingClientRect();
  performance.mark('rendered');
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
  await el.phoneReady;
  await el.updateComplete;
  performance.mark('interactive');
  console.debug(${JSON.stringify(DONE)});
</script></head>
<body>${form('<flash-call-verify site-key="pk_bench" name="phone_token" default-country="GB" required></flash-call-verify>')}</body></html>`;

const ITI = `<!doctype html><html lang="en"><head>${head}
<link rel="stylesheet" href="/peers/css/iti.css">
<script type="module">
  import intlTelInput from '/peers/iti.js';
  const input = document.querySelector('#phone');
  const iti = intlTelInput(input, { initialCountry: 'gb', separateDialCode: true });
  input.getBoundingClientRect();
  performance.mark('rendered');
  await iti.promise;
  performance.mark('interactive');
  console.debug(${JSON.stringify(DONE)});
</script></head>
<body>${form('<p><label for="phone">Phone number</label><br><input id="phone" type="tel" name="phone"></p>')}</body></html>`;

function staticServer(mounts: Record<string, string>, pages: Record<string, string>): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (pages[path]) return void res.writeHead(200, { 'content-type': TYPES['.html']! }).end(pages[path]);
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (!path.startsWith(prefix)) continue;
      const file = normalize(join(dir, path.slice(prefix.length)));
      if (!file.startsWith(dir)) break;
      try {
        const body = readFileSync(file);
        return void res
          .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' })
          .end(body);
      } catch {
        break;
      }
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface Timing {
  rendered: number;
  interactive: number;
  /** "rendered" counted from navigation start instead. */
  fromNavigation: number;
}

async function load(browser: Browser, url: string): Promise<Timing> {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 }, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const measured = page.waitForEvent('console', { predicate: (message) => message.text() === DONE, timeout: 30_000 });
    // An error in the page ends the wait at once rather than at the timeout.
    const failed = page.waitForEvent('pageerror', { timeout: 30_000 }).then((error) => {
      throw new Error(`${url}: ${String(error)}`);
    });
    // Whichever loses the race rejects as the context closes.
    for (const wait of [measured, failed]) wait.catch(() => undefined);
    await page.goto(url, { waitUntil: 'commit' });
    await Promise.race([measured, failed]);
    // A string, not a function: the TypeScript loader would wrap a function's inner helpers in names the page lacks.
    return await page.evaluate<Timing>(`(() => {
      const at = (name) => performance.getEntriesByName(name)[0].startTime;
      return { rendered: at('rendered') - at('start'), interactive: at('interactive') - at('start'), fromNavigation: at('rendered') };
    })()`);
  } finally {
    await context.close();
  }
}

export async function measureBrowser(options: { dist: string; peersDir: string; itiVersion: string; loads?: number }): Promise<Section> {
  const loads = options.loads ?? 20;
  const server = await staticServer({ '/fcv/': options.dist, '/peers/': options.peersDir }, { '/ours.html': OURS, '/iti.html': ITI });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
  const ours: Timing[] = [];
  const iti: Timing[] = [];
  try {
    // One untimed load each: the first launch of a renderer and the disk cache would skew the first sample.
    await load(browser, `${base}/ours.html`);
    await load(browser, `${base}/iti.html`);
    for (let i = 0; i < loads; i++) {
      // Alternating spreads any drift of the machine over both.
      if (i % 2) {
        ours.push(await load(browser, `${base}/ours.html`));
        iti.push(await load(browser, `${base}/iti.html`));
      } else {
        iti.push(await load(browser, `${base}/iti.html`));
        ours.push(await load(browser, `${base}/ours.html`));
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  const pick = (list: Timing[], key: keyof Timing) => list.map((t) => t[key]);
  const oursRender = median(pick(ours, 'rendered'));
  const itiRender = median(pick(iti, 'rendered'));
  const oursReady = median(pick(ours, 'interactive'));
  const itiReady = median(pick(iti, 'interactive'));
  const spread = (list: Timing[], key: keyof Timing) => `p90 ${ms(percentile(pick(list, key), 90))}`;
  const navOurs = median(pick(ours, 'fromNavigation'));
  const navIti = median(pick(iti, 'fromNavigation'));
  const name = `intl-tel-input ${options.itiVersion}`;
  return {
    title: `Page load, headless Chromium, CPU 4x slower, median of ${loads}`,
    rows: [
      {
        measure: 'first render (control built and laid out)',
        ours: `${ms(oursRender)} (${spread(ours, 'rendered')})`,
        reference: `${name}: ${ms(itiRender)} (${spread(iti, 'rendered')})`,
        ratio: oursRender / itiRender,
        target: '<= 0.5x',
        met: oursRender / itiRender <= 0.5,
        data: { ours: pick(ours, 'rendered'), reference: pick(iti, 'rendered') },
      },
      {
        measure: 'first render, from navigation start',
        ours: ms(navOurs),
        reference: `${name}: ${ms(navIti)}`,
        ratio: navOurs / navIti,
        data: { ours: pick(ours, 'fromNavigation'), reference: pick(iti, 'fromNavigation') },
      },
      {
        measure: 'interactive (typing formatted and validated)',
        ours: `${ms(oursReady)} (${spread(ours, 'interactive')})`,
        reference: `${name}: ${ms(itiReady)} (${spread(iti, 'interactive')})`,
        ratio: oursReady / itiReady,
        target: '<= 0.8x',
        met: oursReady / itiReady <= 0.8,
        data: { ours: pick(ours, 'interactive'), reference: pick(iti, 'interactive') },
      },
    ],
    notes: [
      "Times run from a mark set while <head> is parsed, before the control's files are requested, to the page's marks; the navigation itself (the same for both) is left out. Loopback HTTP, no network throttling, a new browser context (cold cache) per load, the two pages alternated.",
      `Same page around both: a sign-up form; ours is <flash-call-verify default-country="GB">, the peer intlTelInputWithUtils on an <input type="tel"> with initialCountry "gb" and separateDialCode (the dial code beside the flag, as ours shows it), its stylesheet in <head>.`,
      'Ours is interactive once the phone module it fetches after the first paint is in; the peer once `iti.promise` resolves (its utils are bundled in).',
    ],
  };
}
