import { expect, html } from '@open-wc/testing';
import type { FlashCallVerify } from '../../widget/flash-call-verify.js';
import {
  $,
  UK_MOBILE,
  advanceServerClock,
  callTo,
  digitInputs,
  message,
  mount,
  phoneInput,
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

const button = (el: FlashCallVerify, part: string) => $(el, `[part~="${part}"]`) as HTMLButtonElement | null;
const text = (node: Element | null) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('no dead ends', () => {
  let url: string;
  const mounted: FlashCallVerify[] = [];
  const place = async (env: Record<string, string> = {}) => {
    url ??= await startSandbox(env);
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>`);
    mounted.push(el);
    return el;
  };
  /** What a reload does to the element: the page, and the element with it, start again in the same tab. */
  const reload = async (el: FlashCallVerify) => {
    el.remove();
    return place();
  };
  beforeEach(() => sessionStorage.clear());
  afterEach(async () => {
    for (const el of mounted.splice(0)) el.remove();
    sessionStorage.clear();
    if (url) await stopSandbox(url);
    url = undefined as unknown as string;
  });

  it('picks the call up again after a reload while the phone rings, and its code verifies', async () => {
    const el = await place();
    await typeNumber(el, UK_MOBILE.digits);
    const { code } = await startVerification(el, url, UK_MOBILE.e164);
    const again = await reload(el);
    await waitUntil(() => again.state === 'ringing' || again.state === 'calling', `state ${again.state} after the reload`, {
      timeout: 8000,
    });
    await again.updateComplete;
    expect(digitInputs(again)).to.have.length(4);
    expect($(again, '[part~="prefix"]')!.textContent).to.contain('+44 7418');
    expect(phoneInput(again).value.replace(/\D/g, '')).to.contain(UK_MOBILE.e164.slice(3));
    await typeCode(again, code);
    await waitForState(again, 'verified');
    // The same call: nothing was placed again.
    expect((await sandboxCalls(url)).filter((c) => c.to === UK_MOBILE.e164)).to.have.length(1);
  });

  it('shows the form, without an error, when the call left before a reload has expired or was verified', async () => {
    const el = await place();
    await typeNumber(el, UK_MOBILE.digits);
    const { code } = await startVerification(el, url, UK_MOBILE.e164);
    await advanceServerClock(url, 301_000);
    const errors: string[] = [];
    document.addEventListener('fcv-error', (e) => errors.push(e.detail.code));
    const again = await reload(el);
    await new Promise((r) => setTimeout(r, 500));
    expect(again.state).to.equal('idle');
    expect(message(again)).to.equal('');
    expect(errors).to.deep.equal([]);
    expect(sessionStorage.length, 'the expired session is let go').to.equal(0);

    // Verified before the reload: the form too.
    await typeNumber(again, UK_MOBILE.digits.replace(/6$/, '7'));
    const second = await startVerification(again, url, '+447400123457');
    await typeCode(again, second.code);
    await waitForState(again, 'verified');
    const third = await reload(again);
    await new Promise((r) => setTimeout(r, 300));
    expect(third.state).to.equal('idle');
    expect(code).to.have.length(4);
  });

  it('says the number was just called, counts down to a new call, then places it', async () => {
    const el = await place({ FCV_RESEND_SECONDS: '3' });
    await typeNumber(el, UK_MOBILE.digits);
    const { call } = await startVerification(el, url, UK_MOBILE.e164);
    // Another tab, or the page opened afresh: the server's cooldown answers.
    sessionStorage.clear();
    const other = await place();
    await typeNumber(other, UK_MOBILE.digits);
    button(other, 'verify-button')!.click();
    await waitForState(other, 'error');
    expect(message(other)).to.contain('We just called this number');
    expect(message(other)).to.not.contain('Too many attempts');
    const next = button(other, 'retry-button')!;
    expect(next.disabled).to.equal(true);
    expect(text(next)).to.match(/Call me again in\s*0:0[1-3]/);
    // One next step: no Verify beside it.
    expect(button(other, 'verify-button')).to.equal(null);
    await waitUntil(() => !button(other, 'retry-button')!.disabled, 'the countdown never ended', { timeout: 5000 });
    expect(text(button(other, 'retry-button'))).to.equal('Call me again');
    button(other, 'retry-button')!.click();
    await waitUntil(() => other.state === 'ringing' || other.state === 'calling', `state ${other.state}`, { timeout: 8000 });
    await callTo(url, UK_MOBILE.e164, call.sid);
  });

  it('going back to a number just called waits out its cooldown, in the same words, without asking the server', async () => {
    const el = await place({ FCV_RESEND_SECONDS: '30' });
    await typeNumber(el, UK_MOBILE.digits);
    await startVerification(el, url, UK_MOBILE.e164);
    button(el, 'change-number')!.click();
    await waitForState(el, 'idle');
    phoneInput(el).select();
    await typeNumber(el, '07400123457');
    await startVerification(el, url, '+447400123457');
    button(el, 'change-number')!.click();
    await waitForState(el, 'idle');
    phoneInput(el).select();
    await typeNumber(el, UK_MOBILE.digits);
    button(el, 'verify-button')!.click();
    await waitForState(el, 'error');
    expect(message(el)).to.contain('We just called this number');
    expect(text(button(el, 'retry-button'))).to.match(/Call me again in\s*0:[0-3]\d/);
    expect(button(el, 'retry-button')!.disabled).to.equal(true);
    expect(button(el, 'verify-button')).to.equal(null);
    expect(await sandboxCalls(url)).to.have.length(2);
    // Editing the number is another next step: Verify comes back for it.
    phoneInput(el).select();
    await typeNumber(el, '07400123458');
    expect(el.state).to.equal('idle');
    expect(button(el, 'verify-button')).to.exist;
  });

  it('after too many wrong codes, offers one next step: a new call, counting down to when it can be placed', async () => {
    const el = await place({ FCV_RESEND_SECONDS: '4' });
    await typeNumber(el, UK_MOBILE.digits);
    const { code, call } = await startVerification(el, url, UK_MOBILE.e164);
    for (let i = 0; i < 3; i++) {
      await typeCode(el, wrongOf(code));
      await waitUntil(() => el.state === 'locked' || (el.state !== 'checking' && digitInputs(el)[0]?.value === ''), 'cleared');
    }
    await waitForState(el, 'locked');
    const again = button(el, 'resend-button')!;
    expect(again.disabled, 'no new call before the server would place one').to.equal(true);
    expect(text(again)).to.match(/Call me again in\s*0:0[1-4]/);
    expect(button(el, 'verify-button')).to.equal(null);
    expect(button(el, 'retry-button')).to.equal(null);
    await waitUntil(() => !button(el, 'resend-button')!.disabled, 'the countdown never ended', { timeout: 6000 });
    button(el, 'resend-button')!.click();
    await waitUntil(() => el.state === 'ringing' || el.state === 'calling', `state ${el.state}: ${message(el)}`, { timeout: 8000 });
    const second = await callTo(url, UK_MOBILE.e164, call.sid);
    await typeCode(el, second.from.slice(-4));
    await waitForState(el, 'verified');
  });
});
