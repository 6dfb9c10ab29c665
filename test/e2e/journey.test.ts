import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  codeOnPhone,
  elementState,
  launch,
  openPage,
  pickCountry,
  screenshot,
  skipReason,
  startDemo,
  typeCode,
  typeNumber,
  waitForState,
} from './support.js';
import type { Demo } from './support.js';

const skip = skipReason();
if (skip) process.stdout.write(`# end-to-end tests skipped: ${skip}\n`);

async function fillIdentity(page: Page): Promise<void> {
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('Email').fill('ada@example.com');
}

async function signUpAndExpectWelcome(page: Page, phone: RegExp): Promise<void> {
  await page.getByRole('button', { name: 'Sign up' }).click();
  const result = page.getByTestId('result');
  await result.waitFor();
  assert.match((await result.textContent())!, /Welcome, Ada Lovelace\./);
  assert.match((await result.textContent())!, phone);
  assert.match((await result.textContent())!, /verified/);
}

describe('the demo signup journey in Chromium', { skip }, () => {
  let browser: Browser;
  let demo: Demo;
  before(async () => {
    browser = await launch();
    demo = await startDemo();
  });
  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  test('happy path: pick the country by name, read the caller ID on the phone, type it, sign up', async () => {
    const page = await openPage(browser, demo.server.url);
    await screenshot(page, 'desktop-1-idle');
    await fillIdentity(page);
    await pickCountry(page, 'Spain');
    await typeNumber(page, '612 345 678');
    await page.locator('flash-call-verify [part~="verify-button"]').click();
    await waitForState(page, 'ringing');
    assert.match(await page.locator('#sandbox-phone .call-label').textContent() ?? '', /Incoming call/);
    const code = await codeOnPhone(page);
    await screenshot(page, 'desktop-2-ringing');
    const blocked = await page.evaluate(() => !(document.getElementById('signup') as HTMLFormElement).checkValidity());
    assert.ok(blocked, 'the form cannot be sent before the number is verified');
    await typeCode(page, code);
    await waitForState(page, 'verified');
    await screenshot(page, 'desktop-3-verified');
    await signUpAndExpectWelcome(page, /\+34612345678/);
    await screenshot(page, 'desktop-4-welcome');
    await page.context().close();
  });

  test('answering the call instead: the spoken digits verify too', async () => {
    const page = await openPage(browser, demo.server.url);
    await fillIdentity(page);
    await typeNumber(page, '07418 301301');
    await page.locator('flash-call-verify [part~="verify-button"]').click();
    await waitForState(page, 'ringing');
    await page.locator('#sandbox-phone button.answer').click();
    const spoken = page.locator('#sandbox-phone .spoken');
    await spoken.waitFor({ state: 'visible' });
    const words = (await spoken.textContent())!;
    const digits = /code is ([\d, ]+)/i.exec(words)?.[1]?.replace(/\D/g, '');
    assert.equal(digits?.length, 4, words);
    await screenshot(page, 'answered');
    await typeCode(page, digits!);
    await waitForState(page, 'verified');
    await signUpAndExpectWelcome(page, /\+447418301301/);
    await page.context().close();
  });

  test('a wrong code, then the right one', async () => {
    const page = await openPage(browser, demo.server.url);
    await fillIdentity(page);
    await typeNumber(page, '07418 301302');
    await page.locator('flash-call-verify [part~="verify-button"]').click();
    await waitForState(page, 'ringing');
    const code = await codeOnPhone(page);
    await typeCode(page, code.replace(/\d$/, (d) => String((Number(d) + 1) % 10)));
    const message = page.locator('flash-call-verify [part~="message"]');
    await page.waitForFunction(() =>
      /2 attempts left/.test(document.querySelector('flash-call-verify')!.shadowRoot!.querySelector('[part~="message"]')?.textContent ?? ''),
    );
    assert.match((await message.textContent())!, /isn.t right/);
    await screenshot(page, 'wrong-code');
    await typeCode(page, code);
    await waitForState(page, 'verified');
    await signUpAndExpectWelcome(page, /\+447418301302/);
    await page.context().close();
  });

  test('the same flow at a 375 px wide mobile viewport', async () => {
    const page = await openPage(browser, demo.server.url, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, colorScheme: 'dark' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    await fillIdentity(page);
    await typeNumber(page, '07418 301303');
    await page.locator('flash-call-verify [part~="verify-button"]').tap();
    await waitForState(page, 'ringing');
    const code = await codeOnPhone(page);
    await screenshot(page, 'mobile-1-ringing');
    await typeCode(page, code);
    await waitForState(page, 'verified');
    await screenshot(page, 'mobile-2-verified');
    await signUpAndExpectWelcome(page, /\+447418301303/);
    await screenshot(page, 'mobile-3-welcome');
    await page.context().close();
  });

  test('keyboard only, from the first field to the welcome page', async () => {
    const page = await openPage(browser, demo.server.url);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Ada Lovelace');
    await page.keyboard.press('Tab');
    await page.keyboard.type('ada@example.com');
    await page.keyboard.press('Tab'); // the country button
    await page.keyboard.press('Enter');
    await page.keyboard.type('france');
    await page.keyboard.press('Enter'); // picks it and moves on to the number
    await page.keyboard.type('6 12 34 56 79');
    await page.keyboard.press('Enter'); // Verify
    await waitForState(page, 'ringing');
    const code = await codeOnPhone(page);
    const focused = await page.evaluate(() => document.querySelector('flash-call-verify')!.shadowRoot!.activeElement?.getAttribute('part'));
    assert.equal(focused, 'digit', 'focus waits in the first code box');
    await page.keyboard.type(code);
    await waitForState(page, 'verified');
    // Past the element's own controls to the form's button.
    for (let i = 0; i < 6; i++) {
      const onSubmit = await page.evaluate(() => document.activeElement?.classList.contains('submit'));
      if (onSubmit) break;
      await page.keyboard.press('Tab');
    }
    await screenshot(page, 'keyboard-verified', false);
    await page.keyboard.press('Enter');
    const result = page.getByTestId('result');
    await result.waitFor();
    assert.match((await result.textContent())!, /\+33612345679 verified/);
    await page.context().close();
  });
});

describe('time-bound parts of the journey', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(() => browser?.close());

  test('resend after the cooldown: a second call, and its code verifies', async () => {
    const demo = await startDemo({ FCV_RESEND_SECONDS: '2' });
    try {
      const page = await openPage(browser, demo.server.url);
      await fillIdentity(page);
      await typeNumber(page, '07418 301304');
      await page.locator('flash-call-verify [part~="verify-button"]').click();
      await waitForState(page, 'ringing');
      const first = await codeOnPhone(page);
      const resend = page.locator('flash-call-verify [part~="resend-button"]');
      await resend.waitFor({ state: 'visible', timeout: 10_000 });
      await screenshot(page, 'resend-offered');
      await resend.click();
      await page.waitForFunction(() => document.querySelectorAll('#sandbox-phone .recents li').length >= 2, undefined, { timeout: 10_000 });
      const second = await codeOnPhone(page);
      const calls = (await (await fetch(`${demo.server.url}/sandbox/calls`)).json()) as Array<{ to: string }>;
      assert.equal(calls.filter((c) => c.to === '+447418301304').length, 2);
      await typeCode(page, second);
      await waitForState(page, 'verified');
      assert.ok(first.length === 4 && second.length === 4);
      await signUpAndExpectWelcome(page, /\+447418301304/);
      await page.context().close();
    } finally {
      await demo.close();
    }
  });

  test('expiry: past the TTL the element says so and the code no longer works', async () => {
    const demo = await startDemo({ FCV_TTL_SECONDS: '10', FCV_RING_SECONDS: '3' });
    try {
      const page = await openPage(browser, demo.server.url);
      await fillIdentity(page);
      await typeNumber(page, '07418 301305');
      await page.locator('flash-call-verify [part~="verify-button"]').click();
      await waitForState(page, 'ringing');
      const code = await codeOnPhone(page);
      await page.locator('#sandbox-phone .call-label', { hasText: 'Missed call' }).waitFor({ timeout: 8_000 });
      await waitForState(page, 'expired');
      assert.equal(await elementState(page), 'expired');
      await screenshot(page, 'expired');
      const session = (await (await fetch(`${demo.server.url}/sandbox/calls`)).json()) as Array<{ to: string }>;
      assert.ok(session.some((c) => c.to === '+447418301305'));
      // The page cannot be sent with an expired verification.
      const valid = await page.evaluate(() => (document.getElementById('signup') as HTMLFormElement).checkValidity());
      assert.equal(valid, false);
      assert.ok(code.length === 4);
      await page.context().close();
    } finally {
      await demo.close();
    }
  });
});
