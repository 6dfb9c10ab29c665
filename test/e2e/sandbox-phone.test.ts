import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { RunningSandbox } from '../../sandbox/index.js';
import { renderVoiceRcml } from '../../server/restcomm/voice-rcml.js';
import { smsText } from '../../server/telephony/sms-text.js';
import {
  assertNoPageErrors,
  axeViolations,
  DESKTOP,
  element,
  launchBrowser,
  MOBILE,
  openDemo,
  phone,
  screenshot,
  skipReason,
  startDemo,
  startVerification,
  typeNumber,
  waitForState,
} from './support.js';

const skip = skipReason();

/** A zoom of 200% on a 1280×800 screen. */
const SHORT = { ...DESKTOP, viewport: { width: 640, height: 400 } };

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

async function phoneState(page: Page, state: string): Promise<void> {
  await page.waitForFunction((wanted) => document.getElementById('sandbox-phone')?.dataset.state === wanted, state);
}

/** Waits until the phone's log lists `count` calls, none of them still ringing. */
async function callsEnded(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const rows = [...document.querySelectorAll<HTMLElement>('#sandbox-phone .recent')];
      return rows.length >= n && rows.every((row) => row.dataset.outcome !== 'ringing');
    },
    count,
    { timeout: 20_000 },
  );
}

/**
 * What of a recent call's row a reader cannot see: text laid out past the edge of a box that clips it (as an
 * ellipsis does), or past the row itself. Empty when every character shows.
 */
function hiddenText(page: Page, sid: string): Promise<string[]> {
  return page.evaluate((id) => {
    const row = document.querySelector<HTMLElement>(`#sandbox-phone .recent[data-sid="${id}"]`)!;
    row.scrollIntoView({ block: 'nearest' });
    const problems: string[] = [];
    const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const clips: Element[] = [row];
      for (let box = node.parentElement; box && box !== row; box = box.parentElement) {
        const style = getComputedStyle(box);
        if (style.overflowX !== 'visible' || style.textOverflow !== 'clip') clips.push(box);
        if (box.scrollWidth > box.clientWidth + 1 && style.overflowX !== 'visible') problems.push(`"${box.textContent}" overflows its box`);
      }
      for (const rect of range.getClientRects()) {
        for (const clip of clips) {
          const edge = clip.getBoundingClientRect();
          if (rect.left < edge.left - 0.5 || rect.right > edge.right + 0.5)
            problems.push(`"${node.textContent}" runs past the edge of ${clip.className}`);
        }
      }
    }
    return problems;
  }, sid);
}

describe('the sandbox phone', { skip, timeout: 180_000 }, () => {
  let browser: Browser;
  const servers: RunningSandbox[] = [];
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await Promise.all(servers.map((server) => server.close(0)));
  });

  /** A server of its own for each test, so its phone shows only that test's calls; they ring out quickly. */
  async function openPage(options: BrowserContextOptions) {
    const server = await startDemo({ FCV_RING_SECONDS: '3' });
    servers.push(server);
    return openDemo(browser, server, options);
  }

  for (const [size, options] of [
    ['desktop', DESKTOP],
    ['375 px', MOBILE],
  ] as const) {
    test(`recent calls keep every code and number readable once they are minutes old (${size})`, async () => {
      const demo = await openPage(options);
      const { page } = demo;
      const last = size === 'desktop' ? '0' : '1';
      // Each as the phone groups it; an Austrian mobile of 13 digits is as long as E.164 allows.
      const numbers: [string, string][] = [
        [`+44741830124${last}`, `+44 7418 30124${last}`],
        [`+43664123456789${last}`, `+43 664 123 456 789${last}`],
        [`+491512345678${last}`, `+49 1512 345678${last}`],
      ];
      for (const [number] of numbers) await startVerification(page, number);
      await callsEnded(page, numbers.length);

      // Someone comes back to the page a few minutes later.
      await page.clock.setFixedTime(Date.now() + 4 * 60_000);
      await page.waitForFunction(() =>
        [...document.querySelectorAll('#sandbox-phone .recent')].every((row) => /4\s*min/.test(row.textContent ?? '')),
      );
      await phone(page).scrollIntoViewIfNeeded();
      await screenshot(page, `phone-recents-later-${size.replace(' ', '')}`);

      const rows = await phone(page)
        .locator('.recent')
        .evaluateAll((list) =>
          list.map((row) => ({
            sid: (row as HTMLElement).dataset.sid!,
            callerId: row.querySelector('[data-caller-id]')!.getAttribute('data-caller-id')!,
            code: row.querySelector('mark.code')!.textContent.trim(),
            text: (row as HTMLElement).innerText.replace(/\s+/g, ' '),
          })),
        );
      assert.equal(rows.length, numbers.length);
      for (const [index, row] of rows.entries()) {
        assert.equal(row.code, row.callerId.slice(-4), 'the row marks the whole code');
        assert.ok(!row.text.includes('…'), `nothing is cut short: ${row.text}`);
        // Newest first: the last number called is the first row.
        const [, shown] = numbers[numbers.length - 1 - index]!;
        assert.ok(row.text.includes(`to ${shown}`), `the number called shows in full: ${row.text}`);
        assert.deepEqual(await hiddenText(page, row.sid), [], `every character of "${row.text}" is visible`);
      }
      assertNoPageErrors(demo);
      await demo.close();
    });
  }

  test('at 640×400 the incoming-call banner covers neither the header nor the form, and can be hidden', async () => {
    const demo = await openPage(SHORT);
    const { page } = demo;
    // As a visitor does: scroll to the form, type the number, verify.
    await typeNumber(page, '07418 301242');
    await element(page).locator('[part~="verify-button"]').click();
    await waitForState(page, 'ringing');
    await phoneState(page, 'incoming');
    const banner = page.locator('.heads-up');
    await banner.waitFor({ state: 'visible' });
    await screenshot(page, 'phone-banner-640x400-ringing');

    const bannerBox = (await banner.boundingBox())!;
    for (const part of ['.brand', '.nav']) {
      const box = (await page.locator(part).boundingBox())!;
      assert.ok(!overlap(bannerBox, box), `the banner leaves the header's ${part} uncovered`);
    }
    // Whatever the visitor brings into view, by link, by Tab or by scrolling, is under nothing.
    for (const target of ['#signup-title', '#name', 'flash-call-verify']) {
      await page.evaluate((selector) => {
        document.documentElement.style.scrollBehavior = 'auto';
        document.querySelector(selector)!.scrollIntoView({ block: 'start' });
      }, target);
      const box = (await page.locator(target).boundingBox())!;
      const nowBanner = (await banner.boundingBox())!;
      assert.ok(!overlap(nowBanner, box), `the banner does not cover ${target}`);
      const hit = await page.evaluate((selector) => {
        const goal = document.querySelector(selector)!;
        const rect = goal.getBoundingClientRect();
        const at = document.elementFromPoint(rect.left + Math.min(12, rect.width / 2), rect.top + Math.min(8, rect.height / 2));
        return !!at && (goal === at || goal.contains(at));
      }, target);
      assert.ok(hit, `${target} is on top where it scrolls into view, not under the top bar`);
    }
    await screenshot(page, 'phone-banner-640x400-element');

    // Hidden for this call: it stays hidden while the call rings on, and the header shrinks back.
    const headerBefore = (await page.locator('.topbar').boundingBox())!.height;
    await banner.getByRole('button', { name: 'Hide the banner' }).click();
    await banner.waitFor({ state: 'hidden' });
    await page.waitForTimeout(1_200);
    assert.equal(await banner.isVisible(), false, 'the banner does not come back for the same call');
    assert.ok((await page.locator('.topbar').boundingBox())!.height < headerBefore - 20, 'the header gives the room back');
    assert.equal(await phone(page).getAttribute('data-state'), 'incoming', 'the call itself still rings');
    assertNoPageErrors(demo);
    await demo.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`texts arrive on the lock screen, newest first, each line in its own direction, read out, axe-clean (${colorScheme})`, async () => {
      const server = await startDemo();
      servers.push(server);
      const demo = await openDemo(browser, server, { ...MOBILE, colorScheme });
      const { page } = demo;
      const host = new URL(server.url).hostname;
      // A sender ID of letters, as the sandbox's own texts have, beside a number.
      await server.restcomm.sendSms({ from: 'FlashVerify', to: '+447418301234', body: smsText({ code: '4719', host, lang: 'en' }) });
      await server.restcomm.sendSms({ from: '+15005550006', to: '+447418301234', body: smsText({ code: '8026', host, lang: 'ar' }) });

      const texts = phone(page).locator('.text');
      await page.waitForFunction(() => document.querySelectorAll('#sandbox-phone .text').length === 2);
      const lines = (i: number) => texts.nth(i).locator('.text-line').allTextContents();
      assert.deepEqual(await lines(0), ['رمز التحقق: 8026', '', `@${host} #8026`], 'the newest first');
      assert.deepEqual(await lines(1), ['Your verification code is 4719.', '', `@${host} #4719`]);
      assert.equal(await texts.nth(1).locator('.text-from').textContent(), 'from FlashVerify', 'a sender ID shows as it is');
      assert.deepEqual(await texts.nth(0).locator('mark.text-code').allTextContents(), ['8026', '8026']);
      const directions = await texts
        .nth(0)
        .locator('.text-line')
        .evaluateAll((nodes) => nodes.map((node) => getComputedStyle(node).direction));
      assert.deepEqual([directions[0], directions[2]], ['rtl', 'ltr'], 'the WebOTP line reads left to right under an Arabic line');
      await page.waitForFunction(() =>
        /text message from .*8026/.test(document.querySelector('#sandbox-phone [aria-live]')?.textContent ?? ''),
      );

      assert.deepEqual(await axeViolations(page), [], 'axe finds nothing');
      await phone(page).scrollIntoViewIfNeeded();
      await screenshot(page, `phone-texts-${colorScheme}`);
      assertNoPageErrors(demo);
      await demo.close();
    });
  }

  test('a call meant to be answered carries no code in its caller ID, and answering it shows the words it says', async () => {
    const hooks = new Hono();
    hooks.post('/rcml', (c) => c.body(renderVoiceRcml({ code: '4719', locale: 'en' }), 200, { 'content-type': 'text/xml' }));
    hooks.post('/status', (c) => c.body(null, 200));
    const hookServer = serve({ fetch: hooks.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => hookServer.once('listening', resolve));
    const hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}`;
    const server = await startDemo();
    servers.push(server);
    const demo = await openDemo(browser, server, DESKTOP);
    const { page } = demo;
    try {
      await server.restcomm.placeCall({
        from: '+15005550007',
        to: '+447418301234',
        ringSeconds: 30,
        rcmlUrl: `${hookUrl}/rcml`,
        statusCallbackUrl: `${hookUrl}/status`,
      });
      await phoneState(page, 'incoming');
      assert.equal(await phone(page).locator('.caller-line mark.code').count(), 0, 'no digits marked as the code');
      assert.equal((await phone(page).locator('.call-hint').textContent())?.trim(), 'Answer it to hear the code.');
      await page.waitForFunction(() =>
        /Answer it to hear the code/.test(document.querySelector('#sandbox-phone [aria-live]')?.textContent ?? ''),
      );

      await phone(page).getByRole('button', { name: 'Answer' }).click();
      await phone(page).locator('.spoken mark.spoken-digit').first().waitFor();
      assert.deepEqual(await phone(page).locator('.spoken mark.spoken-digit').allTextContents(), ['4', '7', '1', '9']);
      assert.match((await phone(page).locator('.spoken').textContent()) ?? '', /^“Your code is 4, 7, 1, 9\.” said twice$/);
      assert.deepEqual(await axeViolations(page), [], 'axe finds nothing');
      assertNoPageErrors(demo);
    } finally {
      await demo.close();
      hookServer.close();
    }
  });

  test('the call screen names the line the call went to: mobile only for a mobile', async () => {
    const demo = await openPage(DESKTOP);
    const { page } = demo;
    const sub = phone(page).locator('.call-sub');

    await startVerification(page, '+447418301243');
    await phoneState(page, 'incoming');
    await page.waitForFunction(() => /mobile/.test(document.querySelector('#sandbox-phone .call-sub')?.textContent ?? ''));
    assert.equal((await sub.textContent())?.trim(), 'to +44 7418 301243 · mobile');
    await callsEnded(page, 1);

    // A North American number may be a mobile or a landline: the phone does not pretend to know.
    await startVerification(page, '+12025550144');
    await page.waitForFunction(() => /\+1 202 555 0144/.test(document.querySelector('#sandbox-phone .call-sub')?.textContent ?? ''));
    await phoneState(page, 'incoming');
    await page.waitForTimeout(1_000);
    assert.equal((await sub.textContent())?.trim(), 'to +1 202 555 0144');
    await screenshot(page, 'phone-line-type-us');

    // A landline, as a call placed straight through the Restcomm API could reach, is named as one.
    const landline = await page.evaluate(async () => (await fetch(`/demo/line-type/${encodeURIComponent('+442079460000')}`)).json());
    assert.deepEqual(landline, { number: '+442079460000', type: 'FIXED_LINE' });
    assertNoPageErrors(demo);
    await demo.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const [size, options] of [
      ['1280×800', { ...DESKTOP, viewport: { width: 1280, height: 800 } }],
      ['375 px', MOBILE],
    ] as const) {
      test(`the whole demo page passes every axe rule: idle, ringing, answered, after calls (${colorScheme}, ${size})`, async () => {
        const demo = await openPage({ ...options, colorScheme });
        const { page } = demo;
        const found: string[] = [];
        const check = async (state: string) => {
          for (const violation of await axeViolations(page)) found.push(`${state}: ${violation}`);
        };
        await check('idle');

        // Distinct numbers per run: each number has its own resend cooldown on the shared server.
        const base = 301250 + (colorScheme === 'dark' ? 10 : 0) + (size === '375 px' ? 5 : 0);
        await startVerification(page, `+447418${base}`);
        await phoneState(page, 'incoming');
        await check('ringing');

        await phone(page).getByRole('button', { name: 'Answer' }).click();
        await phone(page).locator('.spoken mark.spoken-digit').first().waitFor();
        await check('answered');
        await phone(page).getByRole('button', { name: 'Close' }).click();

        // Enough calls to fill the log past the phone's screen, all rung out: a missed call on the lock screen.
        for (let i = 1; i <= 4; i++) await startVerification(page, `+447418${base + i}`);
        await callsEnded(page, 5);
        await phoneState(page, 'home');
        await check('after calls');
        await phone(page).scrollIntoViewIfNeeded();
        await screenshot(page, `phone-after-calls-${colorScheme}-${size.replace(/\W/g, '')}`);

        assert.deepEqual(found, [], 'axe finds nothing');
        assertNoPageErrors(demo);
        await demo.close();
      });
    }
  }
});
