/**
 * The sandbox demo in a real browser: Debian's Chromium driven by playwright-core against a server started
 * in this process, as `npm start` runs it. Never downloads a browser: without one the suite is skipped,
 * except in CI (`CI=true`), where that is a failure.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { Env } from '../../server/config.js';
import type { RunningSandbox } from '../../sandbox/index.js';
import { startSandboxServer } from '../../sandbox/index.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.js';

export const CHROMIUM = CHROMIUM_PATH;
export const OUT_DIR = new URL('../../test-output/e2e/', import.meta.url).pathname;
const WIDGET = new URL('../../dist/widget.js', import.meta.url).pathname;

/** Why the suite cannot run here, or undefined when it can. In CI nothing may be missing. */
export function skipReason(): string | undefined {
  const missing = !existsSync(CHROMIUM)
    ? `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROME_PATH)`
    : !existsSync(WIDGET)
      ? 'dist/widget.js is not built (npm run build:widget)'
      : undefined;
  if (!missing) return undefined;
  if (process.env.CI === 'true') throw new Error(`The end-to-end suite is mandatory in CI: ${missing}.`);
  process.stdout.write(`# end-to-end tests skipped: ${missing}\n`);
  return missing;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
}

/** A suite sends many verifications from one address: only a loose address limit, unless a test asks. */
const LOOSE_LIMITS = JSON.stringify([{ scope: 'ip', max: 10_000, windowSeconds: 60 }]);

/** The sandbox as `npm start` serves it, on a free port. Only `env` configures it, never the shell's. */
export function startDemo(env: Env = {}): Promise<RunningSandbox> {
  return startSandboxServer({ env: { PORT: '0', FCV_LIMITS: LOOSE_LIMITS, ...env } });
}

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/London' };
export const MOBILE: BrowserContextOptions = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'en-GB',
  timezoneId: 'Europe/London',
};

export interface DemoPage {
  page: Page;
  /** Uncaught exceptions in the page; a journey ends with none. */
  errors: Error[];
  close(): Promise<void>;
}

export async function openDemo(browser: Browser, server: RunningSandbox, options: BrowserContextOptions = DESKTOP): Promise<DemoPage> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  await page.goto(server.url);
  await page.waitForFunction(() => customElements.get('flash-call-verify') !== undefined);
  await page.locator('#sandbox-phone[data-online="true"]').waitFor({ state: 'attached' });
  return { page, errors, close: () => context.close() };
}

/**
 * For a suite that shares one browser and one demo server: both start before its tests and stop after.
 * Returns how a test opens the demo page.
 */
export function demoSuite(env: Env = {}): (options?: BrowserContextOptions) => Promise<DemoPage> {
  let browser: Browser | undefined;
  let server: RunningSandbox | undefined;
  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startDemo(env)]);
  });
  after(async () => {
    await browser?.close();
    await server?.close(0);
  });
  return (options) => openDemo(browser!, server!, options);
}

export const element = (page: Page) => page.locator('flash-call-verify');
export const phone = (page: Page) => page.locator('#sandbox-phone');

export function elementState(page: Page): Promise<string> {
  return page.evaluate(() => (document.querySelector('flash-call-verify') as HTMLElement & { state: string }).state);
}

export async function waitForState(page: Page, state: string, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    (wanted) => (document.querySelector('flash-call-verify') as HTMLElement & { state: string }).state === wanted,
    state,
    { timeout },
  );
}

export async function typeNumber(page: Page, number: string): Promise<void> {
  const input = element(page).locator('input[type="tel"]');
  await input.click();
  await input.pressSequentially(number);
}

/** Waits until the number field shows `text`: a region's metadata arrives after it is picked, the formatting with it. */
export async function waitForNumber(page: Page, text: string, timeout = 5_000): Promise<void> {
  const input = element(page).locator('input[type="tel"]');
  const until = Date.now() + timeout;
  while ((await input.inputValue()) !== text) {
    if (Date.now() > until) assert.fail(`the number field shows ${JSON.stringify(await input.inputValue())}, not ${JSON.stringify(text)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Opens the country picker and chooses a country by typing its name, as a user would. */
export async function pickCountry(page: Page, name: string): Promise<void> {
  await element(page).locator('[part~="country-button"]').click();
  const search = element(page).locator('[part~="country-search"]');
  await search.waitFor();
  await search.pressSequentially(name);
  await element(page).locator('[role="option"][aria-selected="true"]', { hasText: name }).waitFor();
  await page.keyboard.press('Enter');
}

/** The incoming call on the sandbox phone: its id and the code digits the phone marks in the caller ID. */
export async function incomingCall(page: Page, after?: string): Promise<{ sid: string; callerId: string; code: string }> {
  await page.waitForFunction((previous) => {
    const root = document.getElementById('sandbox-phone');
    const line = root?.querySelector<HTMLElement>('.caller-line');
    return root?.dataset.state === 'incoming' && !!line?.dataset.sid && line.dataset.sid !== previous;
  }, after ?? null);
  const line = phone(page).locator('.caller-line');
  return {
    sid: (await line.getAttribute('data-sid'))!,
    callerId: (await line.locator('[data-caller-id]').getAttribute('data-caller-id'))!,
    code: (await line.locator('mark.code').textContent())!.trim(),
  };
}

/** Types the code into the element's boxes, starting at the first. */
export async function typeCode(page: Page, code: string): Promise<void> {
  await element(page).locator('input.digit').first().click();
  await page.keyboard.type(code);
}

export function wrongCode(code: string): string {
  return code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
}

export async function fillIdentity(page: Page, name = 'Ada Lovelace', email = 'ada@example.com'): Promise<void> {
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Work email').fill(email);
}

/** Sends the signup form and returns the demo backend's page: its headline and siteverify's answer. */
export async function createAccount(page: Page): Promise<{ text: string; answer: Record<string, unknown> }> {
  await Promise.all([page.waitForURL(/\/signup$/), page.getByRole('button', { name: 'Create account' }).click()]);
  return resultOf(page);
}

export async function resultOf(page: Page): Promise<{ text: string; answer: Record<string, unknown> }> {
  const result = page.getByTestId('result');
  await result.waitFor();
  const answer = JSON.parse((await page.getByTestId('siteverify-answer').textContent()) ?? '{}') as Record<string, unknown>;
  return { text: ((await result.textContent()) ?? '').replace(/\s+/g, ' ').trim(), answer };
}

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: `${OUT_DIR}${name}.png`, fullPage: options.fullPage ?? false, animations: 'disabled', caret: 'hide' });
}

export function assertNoPageErrors(demo: DemoPage): void {
  assert.deepEqual(
    demo.errors.map((e) => e.message),
    [],
    'the page threw',
  );
}

/**
 * Starts a verification from the page as the element would, without its UI: a call to `phone` rings the
 * sandbox phone. Returns the session the server answered with.
 */
export async function startVerification(page: Page, phone: string): Promise<{ id: string; phone: string }> {
  const [status, body] = await page.evaluate(async (number) => {
    const response = await fetch('/v1/verifications', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ siteKey: 'pk_sandbox', phone: number }),
    });
    return [response.status, await response.text()] as const;
  }, phone);
  assert.equal(status, 201, `the server placed no call to ${phone}: ${body}`);
  return JSON.parse(body) as { id: string; phone: string };
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Every axe rule over the whole page, the element's shadow DOM included, experimental ones too; only the AAA
 * rules (such as 7:1 contrast) are left out, as no level AA page is expected to meet them. One line per node.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    // Colours are judged as they settle, not halfway through a fade-in.
    await Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation.effect?.getTiming().iterations !== Infinity)
        .map((animation) => animation.finished.catch(() => undefined)),
    );
    type Result = { id: string; help: string; nodes: { target: unknown[]; failureSummary?: string }[] };
    const axe = (
      window as unknown as {
        axe: {
          getRules(): { ruleId: string; tags: string[] }[];
          run(context: Document, options: object): Promise<{ violations: Result[] }>;
        };
      }
    ).axe;
    const rules = axe.getRules().filter((rule) => !rule.tags.includes('wcag2aaa'));
    const { violations } = await axe.run(document, {
      runOnly: { type: 'rule', values: rules.map((rule) => rule.ruleId) },
      resultTypes: ['violations'],
    });
    return violations.flatMap((v) =>
      v.nodes.map((n) => `${v.id} (${v.help}): ${JSON.stringify(n.target)} ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`),
    );
  });
}
