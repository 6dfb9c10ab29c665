import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertNoPageErrors,
  axeViolations,
  createAccount,
  demoSuite,
  element,
  fillIdentity,
  incomingCall,
  MOBILE,
  phone,
  screenshot,
  skipReason,
  typeCode,
  typeNumber,
  waitForState,
} from './support.js';

const skip = skipReason();

/** The newest text on the sandbox phone, and the code it marks. */
async function incomingText(page: Page): Promise<{ text: string; code: string }> {
  const text = phone(page).locator('.text').first();
  await text.waitFor();
  return {
    text: ((await text.textContent()) ?? '').replace(/\s+/g, ' '),
    code: (await text.locator('mark.text-code').first().textContent())!.trim(),
  };
}

/** The status line of the element. */
const statusLine = async (page: Page) =>
  ((await element(page).locator('[part~="message"]').textContent()) ?? '').replace(/\s+/g, ' ').trim();

describe('the demo signup page, each channel', { skip, timeout: 120_000 }, () => {
  // No wait between two codes to one number, so a fallback can be asked for at once.
  const openPage = demoSuite({ FCV_RESEND_SECONDS: '0' });

  test('a text: picked on the demo page, it arrives on the phone with its WebOTP line, and its code verifies', async () => {
    const demo = await openPage();
    const { page } = demo;
    await page.getByLabel('Text message').check();
    await fillIdentity(page);
    await typeNumber(page, '07418 301241');
    await element(page).locator('[part~="verify-button"]').click();
    await page.waitForFunction(() =>
      /texted/.test(document.querySelector('flash-call-verify')!.shadowRoot!.querySelector('[part~="message"]')?.textContent ?? ''),
    );
    assert.equal(await statusLine(page), 'We texted a code to +44 7418 301241.');
    assert.equal(await element(page).locator('input.digit').count(), 6);
    assert.equal(await element(page).locator('[part~="prefix"]').count(), 0, 'a text has no caller ID digits to show');
    const { text, code } = await incomingText(page);
    assert.match(code, /^\d{6}$/);
    assert.match(text, new RegExp(`@localhost #${code}`), 'the WebOTP line names the page host');
    await screenshot(page, 'channels-sms');
    await typeCode(page, code);
    await waitForState(page, 'verified');
    const result = await createAccount(page);
    assert.equal(result.answer.success, true);
    assert.equal(result.answer.phone, '+447418301241');
    assertNoPageErrors(demo);
    await demo.close();
  });

  test('a voice call: it rings from the voice caller ID, answering it says the code, which verifies (mobile)', async () => {
    const demo = await openPage(MOBILE);
    const { page } = demo;
    await page.getByLabel('Voice call').check();
    await fillIdentity(page);
    await typeNumber(page, '07418 301242');
    await element(page).locator('[part~="verify-button"]').click();
    await page.waitForFunction(() => document.getElementById('sandbox-phone')?.dataset.state === 'incoming');
    assert.equal(await phone(page).locator('.caller-line mark.code').count(), 0, 'the caller ID carries no code');
    await phone(page).getByRole('button', { name: 'Answer' }).click();
    await phone(page).locator('.spoken mark.spoken-digit').first().waitFor();
    const heard = (await phone(page).locator('.spoken mark.spoken-digit').allTextContents()).join('');
    assert.match(heard, /^\d{6}$/);
    assert.match((await phone(page).locator('.spoken').textContent()) ?? '', /Your code is/);
    await screenshot(page, 'channels-voice-mobile');
    await typeCode(page, heard);
    await waitForState(page, 'verified');
    const result = await createAccount(page);
    assert.equal(result.answer.success, true);
    assertNoPageErrors(demo);
    await demo.close();
  });

  test('a flash call, then "Didn’t get the call?": a text on the same verification, six boxes for its code', async () => {
    const demo = await openPage();
    const { page } = demo;
    await fillIdentity(page);
    await typeNumber(page, '07418 301243');
    await element(page).locator('[part~="verify-button"]').click();
    await waitForState(page, 'ringing');
    const call = await incomingCall(page);
    const offer = element(page).getByRole('button', { name: 'Didn’t get the call?' });
    await offer.click();
    assert.equal(await offer.getAttribute('aria-expanded'), 'true');
    await screenshot(page, 'channels-offer');
    assert.deepEqual(await axeViolations(page), [], 'axe finds nothing with the offer open');
    await element(page).getByRole('button', { name: 'Text me the code' }).click();
    await page.waitForFunction(() =>
      /texted/.test(document.querySelector('flash-call-verify')!.shadowRoot!.querySelector('[part~="message"]')?.textContent ?? ''),
    );
    const { code } = await incomingText(page);
    assert.equal(await element(page).locator('input.digit').count(), 6, 'the boxes follow the new code');
    assert.match(call.code, /^\d{4}$/);
    await typeCode(page, code);
    await waitForState(page, 'verified');
    const result = await createAccount(page);
    assert.equal(result.answer.success, true);
    assert.equal(result.answer.phone, '+447418301243');
    assertNoPageErrors(demo);
    await demo.close();
  });

  test('challenge mode: the payment page offers the other channels too, and a voice call confirms the payment', async () => {
    const demo = await openPage();
    const { page } = demo;
    await page.goto(new URL('/pay', page.url()).href);
    await page.waitForFunction(() => customElements.get('flash-call-verify') !== undefined);
    await element(page).getByRole('button', { name: 'Call my phone' }).click();
    await waitForState(page, 'ringing');
    const flash = await incomingCall(page);
    await element(page).getByRole('button', { name: 'Didn’t get the call?' }).click();
    await element(page).getByRole('button', { name: 'Call me and read the code' }).click();
    await page.waitForFunction(() =>
      /read you the code|Answer to hear the code/.test(
        document.querySelector('flash-call-verify')!.shadowRoot!.querySelector('[part~="message"]')?.textContent ?? '',
      ),
    );
    assert.match(await statusLine(page), /\+44 •••• ••3456/, 'the number stays masked');
    // The voice call: a new call on the phone, with no code in its caller ID.
    await page.waitForFunction((previous) => {
      const root = document.getElementById('sandbox-phone');
      const sid = root?.querySelector<HTMLElement>('.caller-line')?.dataset.sid;
      return root?.dataset.state === 'incoming' && !!sid && sid !== previous;
    }, flash.sid);
    await phone(page).getByRole('button', { name: 'Answer' }).click();
    await phone(page).locator('.spoken mark.spoken-digit').first().waitFor();
    const heard = (await phone(page).locator('.spoken mark.spoken-digit').allTextContents()).join('');
    await typeCode(page, heard);
    await waitForState(page, 'verified');
    await Promise.all([page.waitForURL(/\/pay$/), page.getByRole('button', { name: 'Confirm payment' }).click()]);
    const answer = JSON.parse((await page.getByTestId('siteverify-answer').textContent()) ?? '{}') as Record<string, unknown>;
    assert.equal(answer.success, true);
    assert.equal(answer.action, 'payment');
    assertNoPageErrors(demo);
    await demo.close();
  });
});
