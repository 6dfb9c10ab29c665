import { expect, html } from '@open-wc/testing';
import { $, countryButtonText, holdChunk, mount, pickerOpens, press, releaseChunk, type } from './helpers.js';

/** Where the browser tests serve the country popup, a chunk of its own in the build. */
const COUNTRY_POPUP = '/widget/picker/country-popup.ts';

// First in its file: the page must not have fetched the popup before the test holds it back.
describe('the country popup fetched after the first paint', () => {
  it('opens once its chunk arrives, searching for what was typed on the button meanwhile', async () => {
    await holdChunk(COUNTRY_POPUP);
    try {
      const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="GB"></flash-call-verify>`);
      el.insertAdjacentHTML('beforebegin', '<button id="before">before</button>');
      (document.querySelector('#before') as HTMLButtonElement).focus();
      await press('Tab');
      expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('country-button');
      await type('spa');
      await el.updateComplete;
      expect($(el, '[role="combobox"]')).to.equal(null);
      // The region names come with the popup: until then the button goes by the region's code.
      expect($(el, '[part~="country-button"]')!.getAttribute('aria-label')).to.equal('Country: GB +44');
      await releaseChunk(COUNTRY_POPUP);
      await pickerOpens(el);
      expect($(el, '[part~="country-button"]')!.getAttribute('aria-label')).to.equal('Country: United Kingdom +44');
      const search = $(el, '[role="combobox"]') as HTMLInputElement;
      expect(search.value).to.equal('spa');
      expect(el.shadowRoot!.activeElement).to.equal(search);
      expect($(el, `#${search.getAttribute('aria-activedescendant')}`)!.textContent).to.contain('Spain');
      await press('Enter');
      await el.updateComplete;
      expect(countryButtonText(el)).to.contain('+34');
    } finally {
      await releaseChunk(COUNTRY_POPUP);
    }
  });
});
