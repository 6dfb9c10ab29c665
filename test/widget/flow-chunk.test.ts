import { expect, html } from '@open-wc/testing';
import {
  $,
  UK_MOBILE,
  digitInputs,
  holdChunk,
  message,
  mount,
  releaseChunk,
  sandboxCalls,
  startSandbox,
  stopSandbox,
  typeNumber,
  waitForState,
  waitUntil,
} from './helpers.js';

/** Where the browser tests serve the network client and the views after a submit, a chunk of its own in the build. */
const FLOW_PARTS = '/widget/flow/flow-parts.ts';

// First in its file: the page must not have fetched the call flow before the test holds it back or fails it.
describe('the call flow fetched after the first paint', () => {
  it('says the service is out of reach when the call flow cannot be fetched, and "Try again" waits for it', async () => {
    const url = await startSandbox();
    await holdChunk(FLOW_PARTS, 'fail');
    try {
      const el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>`);
      await typeNumber(el, UK_MOBILE.digits);
      ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
      await waitForState(el, 'error');
      expect(message(el)).to.contain('Can’t reach the verification service');
      // The number stays on screen to be sent again.
      expect($(el, '[part~="phone-input"]')).to.not.equal(null);
      const retry = $(el, '[part~="retry-button"]') as HTMLButtonElement;
      expect(retry.disabled).to.equal(false);
      // Tried again while the chunk is still on its way: the plain view says the call is being placed.
      await holdChunk(FLOW_PARTS);
      retry.click();
      await waitForState(el, 'starting');
      expect(message(el)).to.contain('Placing the call');
      await releaseChunk(FLOW_PARTS);
      await waitUntil(() => el.state === 'calling' || el.state === 'ringing', `state ${el.state}`, { timeout: 8000 });
      await el.updateComplete;
      expect(digitInputs(el)).to.have.length(4);
      expect($(el, '[part~="change-number"]')).to.not.equal(null);
      // The retry repeated the first request, which had reached the server: one call, not two.
      expect((await sandboxCalls(url)).filter((c) => c.to === UK_MOBILE.e164)).to.have.length(1);
    } finally {
      await releaseChunk(FLOW_PARTS);
      await stopSandbox(url);
    }
  });
});
