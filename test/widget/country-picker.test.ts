import { expect, html } from '@open-wc/testing';
import { $, $$, buttonFlag, countryButtonText, mount, openPicker, phoneInput, pickerOpens, press, type, waitUntil } from './helpers.js';

/** Starts on a button before the element, so every step below is a real key press. */
async function focusPickerByKeyboard(): Promise<void> {
  (document.querySelector('#before') as HTMLButtonElement).focus();
  await press('Tab');
}

describe('country picker', () => {
  it('searches by name with the keyboard alone', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="US"></flash-call-verify>`);
    el.insertAdjacentHTML('beforebegin', '<button id="before">before</button>');
    await focusPickerByKeyboard();
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('country-button');
    expect(countryButtonText(el)).to.contain('+1');
    await press('Enter');
    await pickerOpens(el);
    const search = $(el, '[role="combobox"]') as HTMLInputElement;
    expect(el.shadowRoot!.activeElement).to.equal(search);
    expect(search.getAttribute('aria-expanded')).to.equal('true');
    await expect(el).to.be.accessible();
    await type('spain');
    await el.updateComplete;
    const active = $(el, `#${search.getAttribute('aria-activedescendant')}`)!;
    expect(active.textContent).to.contain('Spain');
    await press('Enter');
    await el.updateComplete;
    expect(await buttonFlag(el)).to.equal('🇪🇸');
    expect(countryButtonText(el)).to.contain('+34');
    expect($(el, '[role="listbox"]')).to.equal(null);
    // On to the number, ready to type.
    expect(el.shadowRoot!.activeElement).to.equal(phoneInput(el));
  });

  it('searches by dial code, starting from a typed character on the closed button', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="US"></flash-call-verify>`);
    el.insertAdjacentHTML('beforebegin', '<button id="before">before</button>');
    await focusPickerByKeyboard();
    await type('+81');
    await pickerOpens(el);
    const search = $(el, '[role="combobox"]') as HTMLInputElement;
    expect(search.value).to.equal('+81');
    await press('Enter');
    await el.updateComplete;
    expect(countryButtonText(el)).to.contain('+81');
    expect(await buttonFlag(el)).to.equal('🇯🇵');
  });

  it('moves through the list with arrow keys and closes with Escape without changing the country', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="GB"></flash-call-verify>`);
    el.insertAdjacentHTML('beforebegin', '<button id="before">before</button>');
    await focusPickerByKeyboard();
    await press('ArrowDown');
    await pickerOpens(el);
    const search = $(el, '[role="combobox"]') as HTMLInputElement;
    // Opens on the current country.
    expect(search.getAttribute('aria-activedescendant')).to.equal('fcv-country-GB');
    await press('ArrowDown');
    await el.updateComplete;
    expect(search.getAttribute('aria-activedescendant')).to.equal('fcv-country-US');
    await press('Escape');
    await el.updateComplete;
    expect($(el, '[role="listbox"]')).to.equal(null);
    expect(countryButtonText(el)).to.contain('+44');
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('country-button');
  });

  it('offers only the allowlisted countries, preferred ones first', async () => {
    const el = await mount(
      html`<flash-call-verify site-key="pk_sandbox" countries="fr,gb,de" preferred-countries="de"></flash-call-verify>`,
    );
    await openPicker(el);
    const options = $$(el, '[role="option"]').map((o) => o.dataset.code);
    expect(options).to.deep.equal(['DE', 'FR', 'GB']);
    (document.activeElement as HTMLElement | null)?.blur();
  });

  it('shows a message when nothing matches', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="GB"></flash-call-verify>`);
    await openPicker(el);
    await type('zzzz');
    await el.updateComplete;
    expect($$(el, '[role="option"]')).to.have.length(0);
    expect($(el, '.no-match')!.textContent).to.contain('No country matches');
  });

  it('stays opaque over the page when the element itself is see-through', async () => {
    const el = await mount(
      html`<flash-call-verify site-key="pk_sandbox" default-country="GB" style="--fcv-background: transparent"></flash-call-verify>`,
    );
    await openPicker(el);
    const popup = $(el, '[part~="country-popup"]')!;
    // The list lies over the page's own fields and buttons; a transparent popup would show them through it.
    expect(getComputedStyle(popup).backgroundColor).to.equal('rgb(255, 255, 255)');
  });

  it('defaults to the region of the page language', async () => {
    const el = await mount(html`<div lang="en-IE"><flash-call-verify site-key="pk_sandbox"></flash-call-verify></div>`);
    expect(countryButtonText(el)).to.contain('+353');
  });

  it('names and searches countries in the element language', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" lang="es-MX"></flash-call-verify>`);
    expect(countryButtonText(el)).to.contain('+52');
    // The names come with the popup's chunk, after the first paint.
    await waitUntil(() => $(el, '[part~="country-button"]')!.getAttribute('aria-label')?.includes('México'), 'the region is not named');
    await openPicker(el);
    await type('alemania');
    await press('Enter');
    await el.updateComplete;
    expect(countryButtonText(el)).to.contain('+49');
  });
});
