import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertNoPageErrors,
  createAccount,
  demoSuite,
  element,
  fillIdentity,
  MOBILE,
  phone,
  screenshot,
  skipReason,
  typeCode,
  typeNumber,
  waitForState,
} from './support.js';

const skip = skipReason();

describe('the demo signup page at 375 px', { skip, timeout: 120_000 }, () => {
  const openPage = demoSuite();

  test('the whole journey on a phone-sized screen, the code read off the heads-up banner', async () => {
    const demo = await openPage(MOBILE);
    const { page } = demo;
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(await overflow(), 0, 'nothing sticks out sideways');
    await screenshot(page, 'mobile-1-idle', { fullPage: true });

    // The phone sits below the form at this width.
    const form = await page.locator('#signup').boundingBox();
    const handset = await phone(page).boundingBox();
    assert.ok(form && handset && handset.y > form.y + form.height, 'the sandbox phone comes after the form');
    assert.ok(handset.width <= 375, 'the phone fits the screen');
    const field = await element(page).locator('input[type="tel"]').boundingBox();
    const host = await element(page).boundingBox();
    assert.ok(field && host && field.x + field.width <= host.x + host.width + 0.5, 'the number field fits inside the element');

    await fillIdentity(page, 'Mary Jackson', 'mary@example.com');
    await typeNumber(page, '07418 301237');
    await element(page).locator('[part~="verify-button"]').tap();
    await waitForState(page, 'ringing');
    // The user looks at the form, where the code goes; where the browser left the scroll after the tap varies.
    await element(page).evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 200));

    // The handset is out of sight below the form, so a banner shows the call at the top, under the top bar's links.
    const banner = page.locator('.heads-up');
    await banner.waitFor({ state: 'visible' });
    const box = await banner.boundingBox();
    const brand = await page.locator('.brand').boundingBox();
    assert.ok(box && brand && box.y >= brand.y + brand.height && box.y < 80, 'the banner is at the top of the screen, below the brand');
    assert.ok(box.x >= 0 && box.x + box.width <= 375, 'the banner fits the screen');
    const callerId = (await banner.locator('[data-caller-id]').getAttribute('data-caller-id'))!;
    const code = (await banner.locator('mark.code').textContent())!.trim();
    assert.equal(code, callerId.slice(-4));
    await element(page).locator('input.digit').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'mobile-2-ringing');

    await typeCode(page, code);
    await waitForState(page, 'verified');
    await banner.waitFor({ state: 'hidden' });
    assert.equal(await overflow(), 0);
    await screenshot(page, 'mobile-3-verified');

    await phone(page).scrollIntoViewIfNeeded();
    await phone(page).locator('.recent').first().waitFor();
    await screenshot(page, 'mobile-4-phone-card');

    const result = await createAccount(page);
    assert.match(result.text, /Welcome, Mary\./);
    assert.match(result.text, /\+44 7418 301237 verified/);
    assert.equal(await overflow(), 0);
    await screenshot(page, 'mobile-5-welcome', { fullPage: true });
    assertNoPageErrors(demo);
    await demo.close();
  });
});
