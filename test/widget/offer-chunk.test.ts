import { expect, html } from '@open-wc/testing';
import type { FlashCallVerify } from '../../widget/flash-call-verify.js';
import {
  $,
  UK_MOBILE,
  callTo,
  digitInputs,
  holdChunk,
  mount,
  releaseChunk,
  startSandbox,
  stopSandbox,
  typeCode,
  typeNumber,
  waitForState,
  waitUntil,
} from './helpers.js';

/**
 * Where the browser tests serve the offer of other channels: a module imported on demand, as it is for bundlers of the
 * npm package (the prebuilt widget.js carries it in the flow's chunk).
 */
const OFFER = '/widget/flow/fallback-offer.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// First in its file: the page must not have fetched the offer before the test holds it back or fails it.
describe('the offer of other channels, fetched as a call is asked for', () => {
  let url: string;
  let el: FlashCallVerify;
  beforeEach(async () => {
    url = await startSandbox({ FCV_RESEND_SECONDS: '0' });
    el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>`);
    await typeNumber(el, UK_MOBILE.digits);
  });
  afterEach(async () => {
    await releaseChunk(OFFER);
    el?.remove();
    await stopSandbox(url);
  });

  it('shows the call without the offer when the offer cannot be fetched, and the code still verifies', async () => {
    await holdChunk(OFFER, 'fail');
    ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
    await waitUntil(() => digitInputs(el).length === 4, `no code boxes (state ${el.state})`, { timeout: 8000 });
    expect($(el, '[part~="fallback-offer"]')).to.equal(null);
    const call = await callTo(url, UK_MOBILE.e164);
    await typeCode(el, call.from.slice(-4));
    await waitForState(el, 'verified');
  });

  it('shows the call once the offer is in, never without it', async () => {
    await holdChunk(OFFER);
    ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
    await waitUntil(() => el.state === 'calling' || el.state === 'ringing', `state ${el.state}`, { timeout: 8000 });
    await pause(300);
    expect(digitInputs(el), 'the call showed before its offer was in').to.have.length(0);
    await releaseChunk(OFFER);
    await waitUntil(() => digitInputs(el).length === 4, 'no code boxes');
    expect($(el, '[part~="fallback-offer"]')!.textContent.trim()).to.equal('Didn’t get the call?');
  });
});
