import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertNoPageErrors,
  createAccount,
  demoSuite,
  DESKTOP,
  element,
  fillIdentity,
  incomingCall,
  phone,
  pickCountry,
  resultOf,
  screenshot,
  skipReason,
  typeCode,
  typeNumber,
  waitForNumber,
  waitForState,
  wrongCode,
} from './support.js';

const skip = skipReason();

describe('the demo signup page, desktop', { skip, timeout: 120_000 }, () => {
  const openPage = demoSuite();

  test('happy path: a national number, the country picked by name, the code read off the phone', async () => {
    const demo = await openPage();
    const { page } = demo;
    await screenshot(page, 'desktop-1-idle', { fullPage: true });

    await fillIdentity(page);
    await typeNumber(page, '01512 3456789');
    await pickCountry(page, 'Germany');
    await waitForNumber(page, '01512 3456789');
    const blocked = await page.evaluate(() => !(document.getElementById('signup') as HTMLFormElement).checkValidity());
    assert.ok(blocked, 'the form cannot be sent before the number is verified');

    await element(page).locator('[part~="verify-button"]').click();
    await waitForState(page, 'ringing');
    const call = await incomingCall(page);
    assert.match(call.callerId, /^\+\d{8,15}$/);
    assert.equal(call.code, call.callerId.slice(-4), 'the phone marks the last digits of the caller ID');
    assert.match((await phone(page).locator('.call-sub').textContent()) ?? '', /\+49 1512 3456789/);
    const prefix = (await element(page).locator('[part~="prefix"]').textContent())!.replace(/\D/g, '');
    assert.equal(call.callerId.replace(/\D/g, '').slice(0, -4), prefix, 'the element shows the caller ID minus the code');
    await screenshot(page, 'desktop-2-ringing');

    await typeCode(page, call.code);
    await waitForState(page, 'verified');
    assert.match((await element(page).locator('[part~="message"]').textContent()) ?? '', /verified/);
    await screenshot(page, 'desktop-3-verified');

    const result = await createAccount(page);
    assert.match(result.text, /Welcome, Ada\./);
    assert.match(result.text, /\+49 1512 3456789 verified/);
    assert.equal(result.answer.success, true);
    assert.equal(result.answer.phone, '+4915123456789');
    assert.equal(result.answer.siteKey, 'pk_sandbox');
    await screenshot(page, 'desktop-4-welcome');
    assertNoPageErrors(demo);
    await demo.close();
  });

  test('answering instead of reading: the spoken digits verify too (dark)', async () => {
    const demo = await openPage({ ...DESKTOP, colorScheme: 'dark' });
    const { page } = demo;
    await fillIdentity(page, 'Grace Hopper', 'grace@example.com');
    await typeNumber(page, '07418 301235');
    await element(page).locator('[part~="verify-button"]').click();
    const call = await incomingCall(page);

    await phone(page).getByRole('button', { name: 'Answer' }).click();
    const digits = phone(page).locator('.spoken mark.spoken-digit');
    await page.waitForFunction(() => document.querySelectorAll('#sandbox-phone .spoken mark.spoken-digit').length >= 4);
    const heard = (await digits.allTextContents()).join('');
    assert.match((await phone(page).locator('.spoken').textContent()) ?? '', /Your code is/);
    assert.equal(heard, call.code, 'the call says the digits the caller ID ends with');
    assert.match((await phone(page).locator('.rcml').textContent()) ?? '', /<Say[^>]*>Your code is/);
    await screenshot(page, 'desktop-5-answered-dark');

    await typeCode(page, heard);
    await waitForState(page, 'verified');
    // The emulated call lasts a moment after it is answered; then the phone lists it as answered.
    await phone(page).getByRole('button', { name: 'Close' }).click();
    await phone(page).locator(`.recent[data-sid="${call.sid}"][data-outcome="answered"]`).waitFor();

    const result = await createAccount(page);
    assert.match(result.text, /Welcome, Grace\./);
    assert.match(result.text, /\+44 7418 301235 verified/);
    assert.equal(result.answer.phone, '+447418301235');
    assertNoPageErrors(demo);
    await demo.close();
  });

  test('a wrong code, then the right one; the token redeems only once', async () => {
    const demo = await openPage();
    const { page } = demo;
    await fillIdentity(page, 'Alan Turing', 'alan@example.com');
    await typeNumber(page, '07418 301236');
    await element(page).locator('[part~="verify-button"]').click();
    const call = await incomingCall(page);

    await typeCode(page, wrongCode(call.code));
    await element(page).locator('input.digit[aria-invalid="true"]').first().waitFor();
    assert.match((await element(page).locator('[part~="message"]').textContent()) ?? '', /isn’t right\. 2 attempts left/);
    await screenshot(page, 'desktop-6-wrong-code');

    await typeCode(page, call.code);
    await waitForState(page, 'verified');
    const token = await page.evaluate(() => (document.querySelector('flash-call-verify') as HTMLElement & { value: string }).value);
    assert.ok(token.length >= 16, 'the element carries the token as its value');
    const first = await createAccount(page);
    assert.equal(first.answer.success, true);

    // The same token sent again, as a replayed form would: the backend's siteverify refuses it.
    await Promise.all([
      page.waitForURL(/\/signup$/),
      page.evaluate((value) => {
        const form = Object.assign(document.createElement('form'), { method: 'post', action: '/signup' });
        form.append(Object.assign(document.createElement('input'), { type: 'hidden', name: 'phone_token', value }));
        document.body.append(form);
        form.submit();
      }, token),
    ]);
    const replay = await resultOf(page);
    assert.equal(replay.answer.success, false);
    assert.deepEqual(replay.answer['error-codes'], ['timeout-or-duplicate']);
    assert.match(replay.text, /Phone number not verified/);
    await screenshot(page, 'desktop-7-replayed-token');
    assertNoPageErrors(demo);
    await demo.close();
  });

  test('a form sent without verifying is refused by the backend, not just the browser', async () => {
    const demo = await openPage({ ...DESKTOP, colorScheme: 'dark' });
    const { page } = demo;
    await screenshot(page, 'desktop-8-idle-dark');
    // `required` keeps the browser from sending it; a hand-made request still reaches the backend.
    await page.getByRole('button', { name: 'Create account' }).click();
    assert.equal(new URL(page.url()).pathname, '/');
    await Promise.all([page.waitForURL(/\/signup$/), page.evaluate(() => (document.getElementById('signup') as HTMLFormElement).submit())]);
    const result = await resultOf(page);
    assert.deepEqual(result.answer['error-codes'], ['missing-input-response']);
    await screenshot(page, 'desktop-9-not-verified-dark');
    assertNoPageErrors(demo);
    await demo.close();
  });

  test('keyboard only: from the first Tab to the welcome page', async () => {
    const demo = await openPage();
    const { page } = demo;
    const focused = () =>
      page.evaluate(() => {
        let node: Element | null = document.activeElement;
        while (node?.shadowRoot?.activeElement) node = node.shadowRoot.activeElement;
        return node
          ? `${node.tagName.toLowerCase()}#${node.id}[${node.getAttribute('part') ?? ''}]${node.textContent?.trim().slice(0, 30) ?? ''}`
          : '';
      });
    const tabTo = async (pattern: RegExp, limit = 20) => {
      for (let i = 0; i < limit; i++) {
        if (pattern.test(await focused())) return;
        await page.keyboard.press('Tab');
      }
      assert.fail(`Tab never reached ${pattern}; focus is on ${await focused()}`);
    };

    await tabTo(/^input#name/);
    await page.keyboard.type('Katherine Johnson');
    await page.keyboard.press('Tab');
    assert.match(await focused(), /^input#email/);
    await page.keyboard.type('katherine@example.com');
    await page.keyboard.press('Tab');
    assert.match(await focused(), /country-button/);
    // Typing on the closed picker searches it, as on a native select; Enter picks and moves on to the number.
    await page.keyboard.press('I');
    await page.waitForFunction(() =>
      document.querySelector('flash-call-verify')?.shadowRoot?.activeElement?.matches('[part~="country-search"]'),
    );
    await page.keyboard.type('reland');
    await element(page).locator('[role="option"][aria-selected="true"]', { hasText: 'Ireland' }).waitFor();
    await page.keyboard.press('Enter');
    assert.match(await focused(), /phone-input/);
    await page.keyboard.type('085 123 4567');
    await page.keyboard.press('Enter');

    await waitForState(page, 'ringing');
    const call = await incomingCall(page);
    await page.waitForFunction(() => {
      const host = document.querySelector('flash-call-verify');
      return host?.shadowRoot?.activeElement?.classList.contains('digit');
    });
    await screenshot(page, 'desktop-10-keyboard-ringing');
    await page.keyboard.type(call.code);
    await waitForState(page, 'verified');

    await tabTo(/^button#.*Create account/);
    await Promise.all([page.waitForURL(/\/signup$/), page.keyboard.press('Enter')]);
    const result = await resultOf(page);
    assert.match(result.text, /Welcome, Katherine\./);
    assert.equal(result.answer.phone, '+353851234567');
    await screenshot(page, 'desktop-11-keyboard-welcome');
    assertNoPageErrors(demo);
    await demo.close();
  });
});
