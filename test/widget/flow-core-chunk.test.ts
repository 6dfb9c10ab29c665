import { expect, fixture, html } from '@open-wc/testing';
import type { FlashCallVerify } from '../../widget/flash-call-verify.js';
import { $, UK_MOBILE, callTo, holdChunk, phoneInput, releaseChunk, startSandbox, stopSandbox, typeNumber, waitUntil } from './helpers.js';

/** Where the browser tests serve the flow's owner and its state machine, a chunk of its own in the build. */
const FLOW_CONTROLLER = '/widget/flow/flow-controller.ts';

// First in its file: the page must not have fetched the flow's owner before the test fails it.
describe('the flow’s owner fetched after the first paint', () => {
  it('says the service is out of reach beside the number when it cannot be fetched, and the next submit fetches it again', async () => {
    const url = await startSandbox();
    await holdChunk(FLOW_CONTROLLER, 'fail');
    try {
      const el = await fixture<FlashCallVerify>(
        html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>`,
      );
      const errors: string[] = [];
      el.addEventListener('fcv-error', (e) => errors.push(e.detail.code));
      await typeNumber(el, UK_MOBILE.digits);
      // Focus fetches the flow once the phone module is in; that attempt fails before the test releases the chunk.
      await el.phoneReady;
      ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
      // The phone module loads first (as the first submit needs it); a busy machine takes a while.
      await waitUntil(() => errors.length > 0, 'no error reported', { timeout: 8000 });
      expect(errors).to.deep.equal(['network']);
      expect(el.state).to.equal('idle');
      await el.updateComplete;
      expect($(el, '[part~="field-error"]')!.textContent).to.contain('Can’t reach the verification service');
      expect(phoneInput(el).value).to.equal(UK_MOBILE.national, 'the number stays to be sent again');

      await releaseChunk(FLOW_CONTROLLER);
      ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
      await callTo(url, UK_MOBILE.e164).catch((error: Error) => {
        throw new Error(`${error.message}; the element is ${el.state}, reported ${errors.join(', ')}`);
      });
      await waitUntil(() => el.state === 'calling' || el.state === 'ringing', `state ${el.state}`, { timeout: 8000 });
    } finally {
      await releaseChunk(FLOW_CONTROLLER);
      await stopSandbox(url);
    }
  });
});
