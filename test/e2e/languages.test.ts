import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertNoPageErrors,
  axeViolations,
  demoSuite,
  element,
  incomingCall,
  phone,
  screenshot,
  skipReason,
  typeNumber,
  waitForState,
} from './support.js';

const skip = skipReason();

describe('the demo page in other languages', { skip, timeout: 120_000 }, () => {
  const openPage = demoSuite();

  test('the language picker switches the element live, and the call speaks the language the element shows', async () => {
    const demo = await openPage();
    const { page } = demo;
    const text = async (selector: string) => ((await element(page).locator(selector).textContent()) ?? '').replace(/\s+/g, ' ').trim();
    const base = element(page).locator('.base');

    await page.selectOption('#element-lang', 'de');
    await page.waitForFunction(
      () => document.querySelector('flash-call-verify')?.shadowRoot?.querySelector('.base')?.getAttribute('lang') === 'de',
    );
    assert.equal(await text('[part~="verify-button"]'), 'Bestätigen');
    assert.equal(await page.locator('flash-call-verify').getAttribute('lang'), 'de');

    await typeNumber(page, '07418 301240');
    await element(page).locator('[part~="verify-button"]').click();
    await waitForState(page, 'ringing');
    assert.match(await text('[part~="message"]'), /^Ihr Telefon klingelt: \+44 7418 301240\.$/);
    const call = await incomingCall(page);
    await phone(page).getByRole('button', { name: 'Answer' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#sandbox-phone .spoken mark.spoken-digit').length >= 4);
    assert.match((await phone(page).locator('.rcml').textContent()) ?? '', /<Say[^>]*language="de"[^>]*>Ihr Code lautet/);
    assert.match((await phone(page).locator('.spoken').textContent()) ?? '', new RegExp(`Ihr Code lautet ${[...call.code].join(', ')}`));

    // Mid-call, to a language read right to left: the number and the boxes stay left to right.
    await page.selectOption('#element-lang', 'ar');
    await page.waitForFunction(
      () => document.querySelector('flash-call-verify')?.shadowRoot?.querySelector('.base')?.getAttribute('lang') === 'ar',
    );
    assert.equal(await base.getAttribute('dir'), 'rtl');
    assert.equal(
      await element(page)
        .locator('[part~="change-number"]')
        .textContent()
        .then((t) => t?.trim()),
      'تغيير الرقم',
    );
    assert.equal(await element(page).locator('.code').getAttribute('dir'), 'ltr');
    await screenshot(page, 'languages-ar-ringing');
    assert.deepEqual(await axeViolations(page), []);
    assertNoPageErrors(demo);
    await demo.close();
  });
});
