import { expect, html } from '@open-wc/testing';
import {
  buttonFlag,
  $,
  UK_MOBILE,
  autofill,
  callTo,
  countryButtonText,
  openPicker,
  holdChunk,
  metadataPath,
  mount,
  paste,
  phoneInput,
  phoneShows,
  releaseChunk,
  sandboxCalls,
  startSandbox,
  stopSandbox,
  type,
  typeNumber,
  waitUntil,
} from './helpers.js';

describe('phone input', () => {
  it('is a tel field the browser can autofill', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="US"></flash-call-verify>`);
    const input = phoneInput(el);
    expect(input.type).to.equal('tel');
    expect(input.autocomplete).to.equal('tel');
    expect(input.labels?.[0]?.textContent).to.equal('Phone number');
  });

  it('formats as the user types', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="US"></flash-call-verify>`);
    await typeNumber(el, '2015550123');
    expect(phoneInput(el).value).to.equal('(201) 555-0123');
  });

  const pastes = [
    '+44 7400 123456',
    '0044 7400 123456',
    'tel:+44-7400-123456',
    '+44.7400.123.456',
    '(+44) 7400 123456',
    '＋４４　７４００　１２３４５６',
  ];
  for (const text of pastes) {
    it(`picks the country from a pasted ${JSON.stringify(text)} and shows the dial code once`, async () => {
      const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="US"></flash-call-verify>`);
      paste(phoneInput(el), text);
      await phoneShows(el, UK_MOBILE.national);
      expect(await buttonFlag(el)).to.equal('🇬🇧');
      expect(countryButtonText(el)).to.contain('+44');
    });
  }

  it('handles the reserved drama range +44 7700 900123 the same way', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="US"></flash-call-verify>`);
    paste(phoneInput(el), '+44 7700 900123');
    await waitUntil(() => countryButtonText(el).includes('+44'), 'the +44 region is not picked');
    expect(countryButtonText(el)).to.contain('+44');
    expect(phoneInput(el).value).not.to.contain('+44');
    expect(phoneInput(el).value.replace(/\D/g, '')).to.equal('7700900123');
  });

  it('picks the country from an autofilled international number', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="US"></flash-call-verify>`);
    autofill(phoneInput(el), '+34 612 34 56 78');
    await phoneShows(el, '612 34 56 78');
    expect(countryButtonText(el)).to.contain('+34');
  });

  it('shows an international number being typed without repeating the dial code, then settles it on leaving the field', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="US"></flash-call-verify>`);
    await typeNumber(el, '+447400123456');
    expect(phoneInput(el).value).to.equal(UK_MOBILE.international);
    expect(await buttonFlag(el)).to.equal('🇬🇧');
    expect(countryButtonText(el)).not.to.contain('+44');
    phoneInput(el).dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(phoneInput(el).value).to.equal(UK_MOBILE.national);
    expect(countryButtonText(el)).to.contain('+44');
  });

  it('shows a number of a calling code not fetched yet as typed, and formats it once its metadata arrives', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="GB"></flash-call-verify>`);
    await holdChunk(metadataPath('49'));
    try {
      await typeNumber(el, '+4930123');
      expect(phoneInput(el).value).to.equal('+4930123');
      // The dial code of the selected region would contradict the "+49" being typed.
      expect(countryButtonText(el)).not.to.contain('+44');
    } finally {
      await releaseChunk(metadataPath('49'));
    }
    await phoneShows(el, '+49 30 123');
    expect(await buttonFlag(el)).to.equal('🇩🇪');
    // Typing goes on where it was, formatted as it goes.
    await type('456');
    await el.updateComplete;
    expect(phoneInput(el).value).to.equal('+49 30 123456');
  });

  it('formats the number for a region picked from another calling code once that metadata arrives', async () => {
    const el = await mount(
      html`<flash-call-verify site-key="pk_sandbox" default-country="GB" preferred-countries="GB,JP"></flash-call-verify>`,
    );
    await typeNumber(el, '0312345678');
    await openPicker(el);
    $(el, '[part~="country-option"][data-code="JP"]')!.click();
    await phoneShows(el, '03-1234-5678');
    expect(countryButtonText(el)).to.contain('+81');
  });

  it('waits for the metadata of a number it is asked to verify rather than calling it invalid', async () => {
    const url = await startSandbox();
    try {
      const el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>`);
      await holdChunk(metadataPath('61'));
      try {
        await typeNumber(el, '+61412345678');
        ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
        await new Promise((r) => setTimeout(r, 100));
        expect($(el, '[part~="field-error"]')).to.equal(null);
        expect(el.state).to.equal('idle');
      } finally {
        await releaseChunk(metadataPath('61'));
      }
      await callTo(url, '+61412345678');
      expect($(el, '[part~="field-error"]')).to.equal(null);
    } finally {
      await stopSandbox(url);
    }
  });

  it('says the service is out of reach when the metadata a number needs cannot be fetched, and lets the user try again', async () => {
    const url = await startSandbox();
    try {
      const el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>`);
      const errors: string[] = [];
      el.addEventListener('fcv-error', (e) => errors.push((e as CustomEvent<{ code: string }>).detail.code));
      await holdChunk(metadataPath('33'), 'fail');
      try {
        await typeNumber(el, '+33612345678');
        ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
        await waitUntil(() => $(el, '[part~="field-error"]'), 'no message under the number');
        expect($(el, '[part~="field-error"]')!.textContent).to.contain('Can’t reach the verification service');
        expect(errors).to.deep.equal(['network']);
        expect(($(el, '[part~="verify-button"]') as HTMLButtonElement).disabled).to.equal(false);
        expect(phoneInput(el).disabled).to.equal(false);
      } finally {
        await releaseChunk(metadataPath('33'));
      }
      ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
      await callTo(url, '+33612345678');
    } finally {
      await stopSandbox(url);
    }
  });

  it('refuses a number from a country outside the allowlist', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" countries="GB,IE"></flash-call-verify>`);
    paste(phoneInput(el), '+34 612 34 56 78');
    await waitUntil(() => $(el, '[part~="field-error"]'), 'no field error');
    expect($(el, '[part~="field-error"]')!.textContent).to.contain('can’t be used here');
  });

  it('validates inline before any request is made', async () => {
    const url = await startSandbox();
    try {
      const el = await mount(html`<flash-call-verify site-key="pk_sandbox" endpoint=${url} default-country="GB"></flash-call-verify>`);
      ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
      await el.updateComplete;
      await el.updateComplete;
      expect($(el, '[part~="field-error"]')!.textContent).to.equal('Enter your phone number.');
      await typeNumber(el, '0740');
      ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
      await new Promise((r) => setTimeout(r, 50));
      expect($(el, '[part~="field-error"]')!.textContent).to.equal('This number is too short.');
      expect(phoneInput(el).getAttribute('aria-invalid')).to.equal('true');
      expect(phoneInput(el).getAttribute('aria-describedby')).to.equal('phone-error');
      expect(el.state).to.equal('idle');
      expect(await sandboxCalls(url)).to.have.length(0);
      await expect(el).to.be.accessible();
    } finally {
      await stopSandbox(url);
    }
  });

  it('lays the number out left to right on a right-to-left page', async () => {
    const el = await mount(
      html`<div dir="rtl" lang="ar"><flash-call-verify site-key="pk_sandbox" default-country="EG"></flash-call-verify></div>`,
    );
    const input = phoneInput(el);
    await typeNumber(el, '01001234567');
    expect(getComputedStyle(input).direction).to.equal('ltr');
    expect(getComputedStyle($(el, '.base')!).direction).to.equal('rtl');
    // The dial code sits to the left of the number, as it is read.
    const button = $(el, '[part~="country-button"]')!.getBoundingClientRect();
    expect(button.left).to.be.below(input.getBoundingClientRect().left);
    expect($(el, 'label')!.textContent).to.equal('رقم الهاتف');
    await expect(el).to.be.accessible();
  });
});
