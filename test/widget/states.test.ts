import { expect, html, oneEvent } from '@open-wc/testing';
import type { FcvErrorEvent, FcvStateEvent } from '../../widget/events.js';
import type { FlashCallVerify } from '../../widget/flash-call-verify.js';
import {
  $,
  UK_MOBILE,
  advanceServerClock,
  callTo,
  digitInputs,
  message,
  mount,
  paste,
  sandboxCalls,
  startSandbox,
  startVerification,
  stopSandbox,
  typeCode,
  typeNumber,
  waitForState,
  wrongOf,
  waitUntil,
} from './helpers.js';

describe('flash-call-verify states against the sandbox', () => {
  let url: string;
  let el: FlashCallVerify;
  const setup = async (env: Record<string, string> = {}, attrs = '') => {
    url = await startSandbox(env);
    el = await mount(
      html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB" .lang=${attrs}></flash-call-verify>`,
    );
    if (!attrs) el.removeAttribute('lang');
    await typeNumber(el, UK_MOBILE.digits);
  };
  afterEach(async () => {
    el?.remove();
    if (url) await stopSandbox(url);
  });

  it('passes through starting to ringing, with events for each state', async () => {
    await setup();
    const states: string[] = [];
    document.addEventListener('fcv-state', (e: FcvStateEvent) => states.push(e.detail.state));
    const { code } = await startVerification(el, url, UK_MOBILE.e164);
    await waitForState(el, 'ringing');
    expect(message(el)).to.contain('ringing').and.contain(UK_MOBILE.international);
    await expect(el).to.be.accessible();
    await typeCode(el, code);
    await waitForState(el, 'verified');
    expect(states[0]).to.equal('starting');
    expect(states).to.include.members(['ringing', 'checking', 'verified']);
    expect(states.indexOf('checking')).to.be.below(states.indexOf('verified'));
  });

  it('shows attempts left after a wrong code and clears the boxes', async () => {
    await setup();
    const { code } = await startVerification(el, url, UK_MOBILE.e164);
    const error = oneEvent<FcvErrorEvent>(el, 'fcv-error');
    await typeCode(el, wrongOf(code));
    const { detail } = await error;
    expect(detail).to.deep.equal({ code: 'wrong_code', message: 'That code isn’t right. 2 attempts left.', retryable: true });
    await el.updateComplete;
    expect(message(el)).to.equal('That code isn’t right. 2 attempts left.');
    expect(digitInputs(el).map((i) => i.value)).to.deep.equal(['', '', '', '']);
    expect(digitInputs(el)[0]!.getAttribute('aria-invalid')).to.equal('true');
    expect(el.shadowRoot!.activeElement).to.equal(digitInputs(el)[0]);
    await expect(el).to.be.accessible();
    await typeCode(el, wrongOf(code));
    await waitUntil(() => message(el).includes('1 attempt left'), message(el));
    // The right code still works on the last attempt.
    await typeCode(el, code);
    await waitForState(el, 'verified');
  });

  it('locks after the last wrong code and offers a new call', async () => {
    await setup();
    const { code } = await startVerification(el, url, UK_MOBILE.e164);
    for (let i = 0; i < 2; i++) {
      await typeCode(el, wrongOf(code));
      await waitUntil(() => el.state !== 'checking' && digitInputs(el)[0]?.value === '', 'cleared');
    }
    await typeCode(el, wrongOf(code));
    await waitForState(el, 'locked');
    expect(message(el)).to.equal('Too many wrong codes. Ask for a new call.');
    expect(digitInputs(el)).to.have.length(0);
    expect($(el, '[part~="resend-button"]')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('expires when the server says the code is too old', async () => {
    await setup();
    const { code } = await startVerification(el, url, UK_MOBILE.e164);
    await advanceServerClock(url, 301_000);
    await typeCode(el, code);
    await waitForState(el, 'expired');
    expect(message(el)).to.equal('This code has expired.');
    expect($(el, '[part~="resend-button"]')!.textContent).to.contain('Call me again');
    await expect(el).to.be.accessible();
  });

  it('expires on its own timer when nobody types the code', async () => {
    await setup({ FCV_TTL_SECONDS: '10' });
    await startVerification(el, url, UK_MOBILE.e164);
    await waitForState(el, 'expired', 13_000);
    expect(message(el)).to.equal('This code has expired.');
  }).timeout(20_000);

  it('counts down to the moment a new call may be asked for, then places one', async () => {
    await setup({ FCV_RESEND_SECONDS: '2' });
    const { call } = await startVerification(el, url, UK_MOBILE.e164);
    expect($(el, '[part~="actions"]')!.textContent).to.match(/again in\s*0:0[12]/);
    expect($(el, '[part~="resend-button"]')).to.equal(null);
    await waitUntil(() => $(el, '[part~="resend-button"]'), 'no resend button', { timeout: 4000 });
    ($(el, '[part~="resend-button"]') as HTMLButtonElement).click();
    await waitUntil(() => el.state === 'calling' || el.state === 'ringing');
    const second = await callTo(url, UK_MOBILE.e164, call.sid);
    await typeCode(el, second.from.slice(-4));
    await waitForState(el, 'verified');
  });

  it('fills every box from one paste and submits, even when the whole calling number is pasted', async () => {
    await setup();
    const { call } = await startVerification(el, url, UK_MOBILE.e164);
    paste(digitInputs(el)[0]!, call.from);
    await waitForState(el, 'verified');
  });

  it('marks the code boxes for one-time-code autofill', async () => {
    await setup();
    await startVerification(el, url, UK_MOBILE.e164);
    for (const input of digitInputs(el)) {
      expect(input.inputMode).to.equal('numeric');
      expect(input.autocomplete).to.equal('one-time-code');
    }
    expect(digitInputs(el).map((i) => i.getAttribute('aria-label'))).to.deep.equal([
      'Digit 1 of 4',
      'Digit 2 of 4',
      'Digit 3 of 4',
      'Digit 4 of 4',
    ]);
  });

  it('goes back to an editable number with "change number", and reset() stops following the call', async () => {
    await setup();
    await startVerification(el, url, UK_MOBILE.e164);
    ($(el, '[part~="change-number"]') as HTMLButtonElement).click();
    await waitForState(el, 'idle');
    expect((el.shadowRoot!.querySelector('input[type="tel"]') as HTMLInputElement).value).to.equal(UK_MOBILE.national);
    const states: string[] = [];
    el.addEventListener('fcv-state', (e) => states.push(e.detail.state));
    // The call keeps ringing on the server; nothing of it may reach an element that was reset.
    await new Promise((r) => setTimeout(r, 1500));
    expect(states).to.deep.equal([]);
    el.reset();
    await el.updateComplete;
    expect((el.shadowRoot!.querySelector('input[type="tel"]') as HTMLInputElement).value).to.equal('');
  });

  it('follows progress by polling when Server-Sent Events are unavailable', async () => {
    const original = window.EventSource;
    (window as { EventSource?: unknown }).EventSource = undefined;
    try {
      await setup();
      const { code } = await startVerification(el, url, UK_MOBILE.e164);
      await waitForState(el, 'ringing', 6000);
      await typeCode(el, code);
      await waitForState(el, 'verified');
    } finally {
      window.EventSource = original;
    }
  });

  it('shows the number left to right and the Arabic plural on an RTL page', async () => {
    url = await startSandbox();
    const root = await mount(
      html`<div dir="rtl" lang="ar">
        <flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>
      </div>`,
    );
    el = root;
    await typeNumber(el, UK_MOBILE.digits);
    const { code } = await startVerification(el, url, UK_MOBILE.e164);
    const number = $(el, '[part~="message"] .number')!;
    expect(number.textContent).to.equal(UK_MOBILE.international);
    expect(getComputedStyle(number).direction).to.equal('ltr');
    // Read as laid out: the "+" is left of the last digit, as on a left-to-right page.
    const text = [...number.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent)!;
    const glyph = (i: number) => {
      const range = document.createRange();
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      return range.getBoundingClientRect().left;
    };
    expect(glyph(0)).to.be.below(glyph(text.textContent!.length - 1));
    const [first, second] = digitInputs(el);
    expect(first!.getBoundingClientRect().left).to.be.below(second!.getBoundingClientRect().left);
    await typeCode(el, wrongOf(code));
    await waitUntil(() => message(el).includes('محاولتان'), message(el));
    await expect(el).to.be.accessible();
  });
});

describe('flash-call-verify errors', () => {
  let url: string;
  afterEach(async () => {
    if (url) await stopSandbox(url);
  });

  it('keeps a number the server cannot call next to the field, in friendly words', async () => {
    url = await startSandbox();
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>`);
    await typeNumber(el, '02079460018');
    const error = oneEvent<FcvErrorEvent>(el, 'fcv-error');
    ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
    expect((await error).detail).to.deep.equal({
      code: 'unsupported_number_type',
      message: 'We can’t verify this kind of number. Use a mobile number.',
      retryable: false,
    });
    await el.updateComplete;
    expect(el.state).to.equal('idle');
    expect($(el, '[part~="field-error"]')!.textContent).to.equal('We can’t verify this kind of number. Use a mobile number.');
    expect(el.shadowRoot!.textContent).not.to.contain('cannot be verified by a call');
  });

  it('shows a configuration error without a retry for an unknown site key', async () => {
    url = await startSandbox();
    const el = await mount(html`<flash-call-verify site-key="pk_nope" endpoint=${url} default-country="GB"></flash-call-verify>`);
    await typeNumber(el, UK_MOBILE.digits);
    ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
    await waitForState(el, 'error');
    expect(message(el)).to.equal('Phone verification isn’t set up correctly on this page.');
    expect($(el, '[part~="retry-button"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('offers a retry after a network failure, which then goes through', async () => {
    url = await startSandbox();
    const el = await mount(
      html`<flash-call-verify site-key="pk_sandbox" endpoint="http://127.0.0.1:9" default-country="GB"></flash-call-verify>`,
    );
    await typeNumber(el, UK_MOBILE.digits);
    const error = oneEvent<FcvErrorEvent>(el, 'fcv-error');
    ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
    expect((await error).detail).to.include({ code: 'network', retryable: true });
    await waitForState(el, 'error');
    expect(message(el)).to.contain('Can’t reach the verification service');
    await expect(el).to.be.accessible();
    el.endpoint = url;
    ($(el, '[part~="retry-button"]') as HTMLButtonElement).click();
    await waitUntil(() => el.state === 'calling' || el.state === 'ringing', el.state);
  });

  it('retries a start whose answer was lost without placing a second call', async () => {
    url = await startSandbox();
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>`);
    await typeNumber(el, UK_MOBILE.digits);
    const realFetch = window.fetch;
    let lost = false;
    // The server places the call, but its answer never reaches the page.
    window.fetch = async (...args: Parameters<typeof fetch>) => {
      const response = await realFetch(...args);
      if (!lost && String(args[0]).endsWith('/v1/verifications')) {
        lost = true;
        throw new TypeError('Failed to fetch');
      }
      return response;
    };
    try {
      ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
      await waitForState(el, 'error');
      ($(el, '[part~="retry-button"]') as HTMLButtonElement).click();
      await waitUntil(() => el.state === 'calling' || el.state === 'ringing', el.state);
    } finally {
      window.fetch = realFetch;
    }
    const calls = (await sandboxCalls(url)).filter((call) => call.to === UK_MOBILE.e164);
    expect(calls).to.have.length(1);
    await typeCode(el, calls[0]!.from.slice(-4));
    await waitForState(el, 'verified');
  });

  it('waits out a rate limit before allowing a retry', async () => {
    url = await startSandbox({ FCV_LIMITS: '[{"scope":"phone","max":1,"windowSeconds":600}]', FCV_RESEND_SECONDS: '0' });
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>`);
    await typeNumber(el, UK_MOBILE.digits);
    await startVerification(el, url, UK_MOBILE.e164);
    await waitUntil(() => $(el, '[part~="resend-button"]'));
    ($(el, '[part~="resend-button"]') as HTMLButtonElement).click();
    await waitForState(el, 'error');
    expect(message(el)).to.equal('Too many attempts. Please wait a moment and try again.');
    const retry = $(el, '[part~="retry-button"]') as HTMLButtonElement;
    expect(retry.disabled).to.equal(true);
    expect(retry.textContent).to.match(/Try again in\s*\d+:\d\d/);
    expect(await sandboxCalls(url)).to.have.length(1);
  });
});
