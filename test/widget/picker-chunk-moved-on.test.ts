import { expect, html } from '@open-wc/testing';
import { $, holdChunk, mount, phoneInput, press, releaseChunk, type } from './helpers.js';

/** Where the browser tests serve the country popup, a chunk of its own in the build. */
const COUNTRY_POPUP = '/widget/picker/country-popup.ts';

// First in its file: the page must not have fetched the popup before the test holds it back.
describe('the country popup asked for, then left, before its chunk arrives', () => {
  it('does not open and take the focus from the field the user moved on to', async () => {
    await holdChunk(COUNTRY_POPUP);
    try {
      const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="GB"></flash-call-verify>`);
      ($(el, '[part~="country-button"]') as HTMLButtonElement).focus();
      await type('s');
      await press('Tab');
      expect(el.shadowRoot!.activeElement).to.equal(phoneInput(el));
      await type('0740');
      await releaseChunk(COUNTRY_POPUP);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await el.updateComplete;
      await type('0123456');
      expect($(el, '[role="combobox"]')).to.equal(null, 'the popup stayed closed');
      expect(el.shadowRoot!.activeElement).to.equal(phoneInput(el));
      expect(phoneInput(el).value.replace(/\D/g, '')).to.equal('07400123456');
    } finally {
      await releaseChunk(COUNTRY_POPUP);
    }
  });
});
