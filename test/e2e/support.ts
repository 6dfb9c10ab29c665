import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { Env } from '../../server/config.js';
import type { RunningServer } from '../../server/serve.js';
import { startServer } from '../../server/serve.js';
import { TestClock } from '../support/clock.js';

export const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
export const OUT = new URL('../../test-output/e2e/', import.meta.url).pathname;
const WIDGET = new URL('../../dist/widget.js', import.meta.url).pathname;

/** Why the suite cannot run here, or undefined. In CI a missing browser is a failure, not a skip. */
export function skipReason(): string | undefined {
  const missing = !existsSync(CHROMIUM)
    ? `no Chromium at ${CHROMIUM} (install Debian's chromium or set CHROME_PATH)`
    : !existsSync(WIDGET)
      ? 'dist/widget.js is not built (run npm run build:widget)'
      : undefined;
  if (missing && process.env.CI === 'true') throw new Error(`end-to-end tests are mandatory in CI: ${missing}`);
  return missing;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

export interface Demo {
  server: RunningServer;
  clock: TestClock;
  close(): Promise<void>;
}

/** The sandbox as `npm start` runs it, on a free port, with limits loose enough for a suite. */
export async function startDemo(env: Env = {}): Promise<Demo> {
  const clock = new TestClock();
  const server = await startServer({
    clock,
    env: {
      PORT: '0',
      FCV_LIMITS: JSON.stringify([{ scope: 'ip', max: 10_000, windowSeconds: 60 }]),
      ...env,
    },
  });
  return { server, clock, close: () => server.close(0) };
}

export async function openPage(browser: Browser, url: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(url);
  await page.waitForFunction(() => customElements.get('flash-call-verify') !== undefined);
  return page;
}

export function elementState(page: Page): Promise<string> {
  return page.evaluate(() => (document.querySelector('flash-call-verify') as HTMLElement & { state: string }).state);
}

export async function waitForState(page: Page, ...states: string[]): Promise<void> {
  await page.waitForFunction(
    (wanted) => wanted.includes((document.querySelector('flash-call-verify') as HTMLElement & { state: string }).state),
    states,
    { timeout: 15_000 },
  );
}

/** What the sandbox phone on the page shows: the caller ID's code digits, read as a person would. */
export async function codeOnPhone(page: Page): Promise<string> {
  const mark = page.locator('#sandbox-phone .caller-id mark.code');
  await mark.waitFor({ state: 'visible', timeout: 10_000 });
  return (await mark.textContent())!.trim();
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: `${OUT}${name}.png`, fullPage, animations: 'disabled' });
}

export async function pickCountry(page: Page, name: string): Promise<void> {
  await page.locator('flash-call-verify [part~="country-button"]').click();
  await page.locator('flash-call-verify [part~="country-search"]').fill(name);
  await page.keyboard.press('Enter');
}

export async function typeNumber(page: Page, national: string): Promise<void> {
  await page.locator('flash-call-verify [part~="phone-input"]').pressSequentially(national);
}

export async function typeCode(page: Page, code: string): Promise<void> {
  await page.locator('flash-call-verify [part~="digit"]').first().focus();
  await page.keyboard.type(code);
}
