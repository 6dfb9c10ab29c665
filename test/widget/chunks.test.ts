import { expect, html, waitUntil } from '@open-wc/testing';
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
} from './helpers.js';

/** Where the browser tests serve the code boxes, part of the call flow's chunk in the build. */
const CODE_ENTRY = '/widget/code-entry.ts';

// First in its file: the page must not have fetched the code boxes before the test fails them.
describe('chunks fetched after the first paint', () => {
  it('says the service is out of reach when the code boxes cannot be fetched, and "Try again" gets them', async () => {
    const url = await startSandbox();
    await holdChunk(CODE_ENTRY, 'fail');
    try {
      const el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>`);
      await typeNumber(el, UK_MOBILE.digits);
      ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
      await waitForState(el, 'error');
      expect(message(el)).to.contain('Can’t reach the verification service');
      const retry = $(el, '[part~="retry-button"]') as HTMLButtonElement;
      expect(retry.disabled).to.equal(false);
      await releaseChunk(CODE_ENTRY);
      retry.click();
      await waitUntil(() => el.state === 'calling' || el.state === 'ringing', `state ${el.state}`, { timeout: 8000 });
      await el.updateComplete;
      expect(digitInputs(el)).to.have.length(4);
      // The retry repeated the first request, which had reached the server: one call, not two.
      expect((await sandboxCalls(url)).filter((c) => c.to === UK_MOBILE.e164)).to.have.length(1);
    } finally {
      await releaseChunk(CODE_ENTRY);
      await stopSandbox(url);
    }
  });
});
