import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningSandbox } from '../../sandbox/index.js';
import {
  assertNoPageErrors,
  createAccount,
  element,
  fillIdentity,
  incomingCall,
  launchBrowser,
  openDemo,
  phone,
  screenshot,
  skipReason,
  startDemo,
  typeCode,
  typeNumber,
  waitForState,
} from './support.js';

const skip = skipReason();

describe('the demo signup page against the clock', { skip, timeout: 120_000 }, () => {
  let browser: Browser;
  const servers: RunningSandbox[] = [];

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await Promise.all(servers.map((server) => server.close(0)));
  });

  test('expiry: the call rings out, the code expires, a new call verifies', async () => {
    // The shortest the server allows: a 3-second ring inside a 10-second verification.
    const server = await startDemo({ FCV_TTL_SECONDS: '10', FCV_RING_SECONDS: '3', FCV_RESEND_SECONDS: '0' });
    servers.push(server);
    const demo = await openDemo(browser, server);
    const { page } = demo;
    await fillIdentity(page, 'Dorothy Vaughan', 'dorothy@example.com');
    await typeNumber(page, '07418 301238');
    await element(page).locator('[part~="verify-button"]').click();
    const first = await incomingCall(page);

    // Nobody answers: the phone shows a missed call, and the code stays readable on it.
    await phone(page).locator('.notice .caller-id').waitFor({ timeout: 10_000 });
    assert.equal(await phone(page).getAttribute('data-state'), 'home');
    assert.equal((await phone(page).locator('.notice mark.code').textContent())?.trim(), first.code);
    assert.equal(await phone(page).locator(`.recent[data-sid="${first.sid}"]`).getAttribute('data-outcome'), 'missed');
    await screenshot(page, 'timing-1-missed');

    await waitForState(page, 'expired', 15_000);
    assert.match((await element(page).locator('[part~="message"]').textContent()) ?? '', /expired/);
    assert.equal(await element(page).locator('input.digit').count(), 0, 'no code can be typed once expired');
    await screenshot(page, 'timing-2-expired');

    await element(page).locator('[part~="resend-button"]').click();
    const second = await incomingCall(page, first.sid);
    await typeCode(page, second.code);
    await waitForState(page, 'verified');
    const result = await createAccount(page);
    assert.equal(result.answer.phone, '+447418301238');
    assertNoPageErrors(demo);
    await demo.close();
  });

  test('resend after the cooldown: a second call, and its code verifies', async () => {
    const server = await startDemo({ FCV_RESEND_SECONDS: '3' });
    servers.push(server);
    const demo = await openDemo(browser, server);
    const { page } = demo;
    await fillIdentity(page, 'Hedy Lamarr', 'hedy@example.com');
    await typeNumber(page, '07418 301239');
    await element(page).locator('[part~="verify-button"]').click();
    const first = await incomingCall(page);
    // Turned down on the handset: the call leaves the screen and the log says so, while it rings out.
    await phone(page).getByRole('button', { name: 'Decline' }).click();
    await phone(page).locator(`.recent[data-sid="${first.sid}"][data-outcome="declined"]`).waitFor();
    assert.equal(await phone(page).getAttribute('data-state'), 'home');

    const resend = element(page).locator('[part~="resend-button"]');
    assert.equal(await resend.count(), 0, 'no second call during the cooldown');
    assert.match((await element(page).locator('[part~="actions"]').textContent()) ?? '', /again in 0:0\d/);
    await resend.waitFor({ timeout: 10_000 });
    await screenshot(page, 'timing-3-resend-offered');
    await resend.click();

    const second = await incomingCall(page, first.sid);
    assert.notEqual(second.sid, first.sid);
    await typeCode(page, second.code);
    await waitForState(page, 'verified');
    await phone(page).locator('.recent').nth(1).waitFor();
    await screenshot(page, 'timing-4-resent-verified');
    const result = await createAccount(page);
    assert.equal(result.answer.success, true);
    assert.equal(result.answer.phone, '+447418301239');
    assertNoPageErrors(demo);
    await demo.close();
  });
});
