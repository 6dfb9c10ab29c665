import { expect, fixture, html } from '@open-wc/testing';
import type { FlashCallVerify } from '../../widget/flash-call-verify.js';
import { UK_MOBILE, countryButtonText, holdChunk, phoneInput, phoneShows, releaseChunk, type, typeNumber } from './helpers.js';

/** Where the browser tests serve the formatting as typed, part of the phone library's chunk in the build. */
const PHONE_TYPING = '/widget/phone/phone-typing.ts';

// First in its file: the page must not have fetched the phone library before the test holds it back.
describe('formatting as typed, fetched after the first paint', () => {
  it('keeps every character typed before it arrives, and formats them once it does', async () => {
    await holdChunk(PHONE_TYPING);
    try {
      // Not `mount`, which waits for the phone library.
      const el = await fixture<FlashCallVerify>(html`<flash-call-verify site-key="pk_sandbox" default-country="GB"></flash-call-verify>`);
      const other = await fixture<FlashCallVerify>(
        html`<flash-call-verify site-key="pk_sandbox" default-country="GB"></flash-call-verify>`,
      );
      await typeNumber(el, UK_MOBILE.digits.slice(0, 6));
      expect(phoneInput(el).value).to.equal(UK_MOBILE.digits.slice(0, 6));
      await type(UK_MOBILE.digits.slice(6));
      expect(phoneInput(el).value).to.equal(UK_MOBILE.digits);
      expect(countryButtonText(el)).to.contain('+44');
      await typeNumber(other, '+447400');
      expect(phoneInput(other).value).to.equal('+447400');
      // An international number hides the dial code beside the flag even before it can be formatted.
      expect(countryButtonText(other)).not.to.contain('+44');
      await releaseChunk(PHONE_TYPING);
      await phoneShows(other, '+44 7400');
      // Whoever is still typing keeps going where they were, in the formatted text.
      expect(phoneInput(other).selectionStart).to.equal('+44 7400'.length);
      await type('123456');
      await phoneShows(other, UK_MOBILE.international);
      await phoneShows(el, UK_MOBILE.national);
    } finally {
      await releaseChunk(PHONE_TYPING);
    }
  });
});
