/**
 * The built element on a page of another origin under a strict Content-Security-Policy with Trusted Types
 * enforced: the policy docs/element.md gives, and nothing more. A number is verified end to end, the flag
 * font is fetched, and the page reports no violation.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningSandbox } from '../../sandbox/index.js';
import {
  element,
  launchBrowser,
  pickCountry,
  screenshot,
  skipReason,
  startDemo,
  typeCode,
  typeNumber,
  waitForNumber,
  waitForState,
} from './support.js';

const skip = skipReason();

/** The policy of docs/element.md, with the sandbox server as the verification server. */
export function strictPolicy(server: string): string {
  return [
    "default-src 'none'",
    `script-src ${server}`,
    `connect-src ${server}`,
    `font-src ${server}`,
    "style-src 'self'",
    "require-trusted-types-for 'script'",
    'trusted-types lit-html',
  ].join('; ');
}

/** A sign-up page with no inline script or style: the element's script tag is all it loads. */
const signupPage = (server: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign up</title>
<script type="module" src="${server}/widget.js"></script></head>
<body><form id="signup"><h1>Sign up</h1>
<flash-call-verify site-key="pk_sandbox" endpoint="${server}" name="phone_token" required default-country="GB"></flash-call-verify>
<p><button>Sign up</button></p></form></body></html>`;

/** Serves the sign-up page from its own origin under `policy`. */
async function startSite(policy: () => string, server: () => string): Promise<{ url: string; server: Server }> {
  const site = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': policy() }).end(signupPage(server()));
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  // `localhost`, not the sandbox's 127.0.0.1: another origin, and one the sandbox site allows.
  return { url: `http://localhost:${(site.address() as AddressInfo).port}/`, server: site };
}

async function codeOfCallTo(server: string, to: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const calls = (await (await fetch(`${server}/sandbox/calls`)).json()) as Array<{ from: string; to: string }>;
    const call = calls.find((c) => c.to === to);
    if (call) return call.from.slice(-4);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no call to ${to}`);
}

describe('the element under a strict Content-Security-Policy with Trusted Types', { skip, timeout: 60_000 }, () => {
  let browser: Browser | undefined;
  let demo: RunningSandbox | undefined;
  let site: { url: string; server: Server } | undefined;
  before(async () => {
    [browser, demo] = await Promise.all([launchBrowser(), startDemo()]);
    site = await startSite(
      () => strictPolicy(demo!.url),
      () => demo!.url,
    );
  });
  after(async () => {
    site?.server.close();
    await browser?.close();
    await demo?.close(0);
  });

  test('verifies a number, flag font included, without a single violation', async () => {
    const context = await browser!.newContext({ viewport: { width: 520, height: 720 }, locale: 'en-GB' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    const fonts: string[] = [];
    page.on('response', (response) => {
      if (/\.woff2$/.test(new URL(response.url()).pathname)) fonts.push(`${response.status()} ${response.url()}`);
    });
    // Init scripts run outside the page's policy; the violations it reports are gathered from the first byte.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener(
        'securitypolicyviolation',
        (event) => seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'} ${event.sample}`.trim()),
        true,
      );
    });
    const violations = () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

    // A step that times out says what the policy refused on the way.
    const explained = async (error: unknown): Promise<never> => {
      const seen = await violations().catch(() => []);
      throw new Error(`${(error as Error).message}\nviolations: ${JSON.stringify(seen)}\nerrors: ${JSON.stringify(problems)}`);
    };
    try {
      const response = await page.goto(site!.url);
      assert.equal(response?.headers()['content-security-policy'], strictPolicy(demo!.url));
      await page.waitForFunction(() => customElements.get('flash-call-verify') !== undefined);

      // The popup's flags: where the platform draws none, as here, the element brings its flag font.
      await pickCountry(page, 'Ireland');
      await page.waitForFunction(() => [...document.fonts].some((face) => face.family.includes('Flags') && face.status === 'loaded'));
      assert.ok(
        fonts.some((line) => line.startsWith('200 ') && line.includes(`${demo!.url}/chunks/`)),
        `the flag font came from the server's /chunks/: ${fonts.join(', ') || 'no font fetched'}`,
      );

      await pickCountry(page, 'United Kingdom');
      await typeNumber(page, '07418 301299');
      await waitForNumber(page, '07418 301299');
      await element(page).locator('[part~="verify-button"]').click();
      await waitForState(page, 'ringing');
      const code = await codeOfCallTo(demo!.url, '+447418301299');
      await typeCode(page, code);
      await waitForState(page, 'verified');
      const token = await page.evaluate(() => new FormData(document.getElementById('signup') as HTMLFormElement).get('phone_token'));
      assert.ok(typeof token === 'string' && token.length >= 16, 'the form carries the token');
      await screenshot(page, 'csp-verified');
    } catch (error) {
      await explained(error);
    }

    assert.deepEqual(await violations(), [], 'the policy reported violations');
    assert.deepEqual(problems, [], 'the page logged errors');

    // The policy was in force: Trusted Types refuse a plain string where HTML goes.
    const refused = await page.evaluate(() => {
      try {
        document.createElement('div').innerHTML = '<b>plain</b>';
        return false;
      } catch {
        return true;
      }
    });
    assert.ok(refused, 'Trusted Types are enforced on the page');
    assert.equal((await violations()).length, 1, 'and a violation is reported when broken');
    await context.close();
  });
});
