import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BrowserContextOptions, Page } from 'playwright-core';
import {
  assertNoPageErrors,
  axeViolations,
  demoSuite,
  element,
  incomingCall,
  MOBILE,
  phone,
  resultOf,
  screenshot,
  skipReason,
  startVerification,
  typeCode,
  waitForState,
} from './support.js';
import type { DemoPage } from './support.js';

const skip = skipReason();
const MASKED = '+44 •••• ••3456';
const ON_FILE = '+447418303456';

describe("the demo's payment page: a challenge for the number on file", { skip, timeout: 120_000 }, () => {
  // Each test confirms a payment on the same number on file: no cooldown between them.
  const openDemo = demoSuite({ FCV_RESEND_SECONDS: '0' });

  async function openPayment(options?: BrowserContextOptions): Promise<DemoPage & { paymentId: string }> {
    const demo = await openDemo(options);
    const { page } = demo;
    await page.goto(new URL('/pay', page.url()).href);
    await page.waitForFunction(() => customElements.get('flash-call-verify') !== undefined);
    await page.locator('#sandbox-phone[data-online="true"]').waitFor({ state: 'attached' });
    const paymentId = (await page.locator('.payment-summary code').textContent())!.trim();
    assert.match(paymentId, /^pay_[0-9a-f]{8}$/);
    return { ...demo, paymentId };
  }

  async function confirm(page: Page): Promise<{ text: string; answer: Record<string, unknown>; checks: string }> {
    await Promise.all([page.waitForURL(/\/pay$/), page.getByRole('button', { name: 'Confirm payment' }).click()]);
    const result = await resultOf(page);
    return { ...result, checks: ((await page.getByTestId('checks').textContent()) ?? '').replace(/\s+/g, ' ').trim() };
  }

  test('the masked number, one button, the call, and siteverify hands back the action and the payment', async () => {
    const demo = await openPayment();
    const { page, paymentId } = demo;
    assert.equal(await element(page).locator('input[type="tel"]').count(), 0, 'no number field');
    assert.equal(await element(page).locator('[part~="country-button"]').count(), 0, 'no country picker');
    assert.match((await element(page).locator('[part~="challenge-number"]').textContent()) ?? '', /\+44 •••• ••3456/);
    const created = JSON.parse((await page.getByTestId('challenge-answer').textContent()) ?? '{}') as Record<string, unknown>;
    assert.equal(created.phoneMasked, MASKED, "the bank's backend got the masked number with the challenge");
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'payment-1-confirm', { fullPage: true });

    await element(page).getByRole('button', { name: 'Call my phone' }).click();
    await waitForState(page, 'ringing');
    const call = await incomingCall(page);
    assert.match((await phone(page).locator('.call-sub').textContent()) ?? '', /\+44 7418 303456/, 'the number on file rings');
    assert.match((await element(page).locator('[part~="message"]').textContent()) ?? '', /\+44 •••• ••3456/);
    assert.equal(await element(page).locator('[part~="change-number"]').count(), 0, 'the number cannot be changed');
    await screenshot(page, 'payment-2-ringing');

    await typeCode(page, call.code);
    await waitForState(page, 'verified');
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'payment-3-verified');

    const result = await confirm(page);
    assert.match(result.text, /Payment sent/);
    assert.match(result.text, /£120\.00 to Acme Supplies Ltd/);
    assert.equal(result.answer.success, true);
    assert.equal(result.answer.action, 'payment');
    assert.equal(result.answer.context, paymentId);
    assert.equal(result.answer.phone, ON_FILE);
    assert.doesNotMatch(result.checks, /\bno\b/, result.checks);
    await screenshot(page, 'payment-4-sent', { fullPage: true });
    assertNoPageErrors(demo);
    await demo.close();
  });

  test('at 375 px in dark mode, from the keyboard alone', async () => {
    const demo = await openPayment({ ...MOBILE, colorScheme: 'dark' });
    const { page } = demo;
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
    await screenshot(page, 'payment-5-mobile-dark', { fullPage: true });
    const button = element(page).locator('[part~="verify-button"]');
    for (let i = 0; i < 30 && !(await button.evaluate((node) => node.getRootNode() instanceof ShadowRoot && node.matches(':focus'))); i++) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await waitForState(page, 'ringing');
    const call = await incomingCall(page);
    await page.waitForFunction(() => document.querySelector('flash-call-verify')?.shadowRoot?.activeElement?.classList.contains('digit'));
    await page.keyboard.type(call.code);
    await waitForState(page, 'verified');
    await screenshot(page, 'payment-6-mobile-verified-dark');
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL(/\/pay$/), page.keyboard.press('Enter')]);
    const result = await resultOf(page);
    assert.equal(result.answer.action, 'payment');
    assertNoPageErrors(demo);
    await demo.close();
  });

  test("a token for a typed number does not confirm the payment: the bank's checks refuse it", async () => {
    const demo = await openPayment();
    const { page } = demo;
    // A visitor verifies a number of their own, as on a sign-up page, and posts that token to the bank.
    const session = await startVerification(page, '+447418309876');
    const call = await incomingCall(page);
    const token = await page.evaluate(
      async ({ id, code }) => {
        const response = await fetch(`/v1/verifications/${id}/check`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code }),
        });
        return ((await response.json()) as { token: string }).token;
      },
      { id: session.id, code: call.code },
    );
    await page.evaluate((value) => {
      const input = document.querySelector<HTMLInputElement>('#confirm input[name="payment"]')!;
      const form = input.form!;
      form.noValidate = true;
      form.append(Object.assign(document.createElement('input'), { type: 'hidden', name: 'phone_token', value }));
    }, token);
    await Promise.all([page.waitForURL(/\/pay$/), page.evaluate(() => (document.getElementById('confirm') as HTMLFormElement).submit())]);
    const result = await resultOf(page);
    assert.equal(result.answer.success, true, 'siteverify accepts the token');
    assert.equal(result.answer.action, null);
    assert.match(result.text, /Payment not confirmed/);
    await screenshot(page, 'payment-7-wrong-token');
    assertNoPageErrors(demo);
    await demo.close();
  });
});
