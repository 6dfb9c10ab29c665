import { expect, fixture, html } from '@open-wc/testing';
import type { FlashCallVerify } from '../../widget/flash-call-verify.js';
import { $, UK_MOBILE, callTo, holdChunk, phoneInput, releaseChunk, startSandbox, stopSandbox, typeNumber, waitUntil } from './helpers.js';

/** Where the browser tests serve the phone library, a chunk of its own in the build. */
const PHONE_LIB = '/widget/phone/phone-lib.ts';

// First in its file: the page must not have fetched the phone library before the test fails it.
describe('the phone library fetched after the first paint', () => {
  it('says the service is out of reach when it cannot be fetched, and the next submit fetches it again', async () => {
    const url = await startSandbox();
    await holdChunk(PHONE_LIB, 'fail');
    try {
      // Not `mount`, which waits for the phone library.
      const el = await fixture<FlashCallVerify>(
        html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>`,
      );
      const errors: string[] = [];
      el.addEventListener('fcv-error', (e) => errors.push((e as CustomEvent<{ code: string }>).detail.code));
      await typeNumber(el, UK_MOBILE.digits);
      ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
      await waitUntil(() => errors.length > 0, 'no error reported');
      expect(errors).to.deep.equal(['network']);
      expect(el.state).to.equal('idle');
      expect(phoneInput(el).value).to.equal(UK_MOBILE.digits, 'the number stays to be sent again');

      await releaseChunk(PHONE_LIB);
      ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
      await callTo(url, UK_MOBILE.e164);
      await waitUntil(() => el.state === 'calling' || el.state === 'ringing', `state ${el.state}`, { timeout: 8000 });
    } finally {
      await releaseChunk(PHONE_LIB);
      await stopSandbox(url);
    }
  });
});
