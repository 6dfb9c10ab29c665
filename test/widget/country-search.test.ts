import { expect, html } from '@open-wc/testing';
import { allCountries } from '../../widget/picker/country-names.js';
import { searchCountries } from '../../widget/picker/country-search.js';
import type { Country } from '../../widget/picker/countries.js';
import { $, $$, countryButtonText, mount, openPicker, press, type } from './helpers.js';

const codes = (list: readonly Country[]) => list.map((c) => c.code);
const first = (lang: string, query: string) => codes(searchCountries(allCountries(lang), query))[0];

describe('country search by the names people type', () => {
  const common: [string, string][] = [
    ['uk', 'GB'],
    ['great britain', 'GB'],
    ['Britain', 'GB'],
    ['england', 'GB'],
    ['usa', 'US'],
    ['us', 'US'],
    ['america', 'US'],
    ['turkey', 'TR'],
    ['turkiye', 'TR'],
    ['holland', 'NL'],
    ['czech republic', 'CZ'],
    ['swaziland', 'SZ'],
    ['burma', 'MM'],
    ['ivory coast', 'CI'],
    ['cape verde', 'CV'],
    ['east timor', 'TL'],
    ['macedonia', 'MK'],
    ['uae', 'AE'],
    ['korea', 'KR'],
    ['south korea', 'KR'],
    ['russia', 'RU'],
    ['vatican', 'VA'],
    ['drc', 'CD'],
    ['gb', 'GB'],
    ['de', 'DE'],
  ];
  for (const lang of ['en', 'es', 'ar']) {
    it(`finds common, former and ISO names first, on a page in ${lang}`, () => {
      for (const [query, code] of common) expect(first(lang, query), `${query} (${lang})`).to.equal(code);
    });
  }

  it('ranks the United Kingdom first for "uk", Ukraine after it', () => {
    const found = codes(searchCountries(allCountries('en'), 'uk'));
    expect(found[0]).to.equal('GB');
    expect(found).to.include('UA');
  });

  it('folds diacritics and punctuation either way', () => {
    expect(first('en', 'Türkiye')).to.equal('TR');
    expect(first('en', 'cote d ivoire')).to.equal('CI');
    expect(first('es', 'peru')).to.equal('PE');
    expect(first('en', 'guinea bissau')).to.equal('GW');
  });

  it("finds the page language's names and common aliases in Spanish and Arabic", () => {
    expect(first('es', 'reino unido')).to.equal('GB');
    expect(first('es', 'inglaterra')).to.equal('GB');
    expect(first('es', 'eeuu')).to.equal('US');
    expect(first('es', 'holanda')).to.equal('NL');
    expect(first('es', 'turquia')).to.equal('TR');
    expect(first('ar', 'بريطانيا')).to.equal('GB');
    expect(first('ar', 'أمريكا')).to.equal('US');
    expect(first('ar', 'امريكا')).to.equal('US');
    expect(first('ar', 'الإمارات')).to.equal('AE');
    expect(first('ar', 'تركيا')).to.equal('TR');
  });

  it('reads a dial code typed with a plus or in brackets', () => {
    expect(first('en', '+44')).to.equal('GB');
    expect(first('en', '(1)')).to.equal('US');
  });
});

describe('country popup search', () => {
  it('picks the United Kingdom on "uk" and Enter', async () => {
    const el = await mount(html`<flash-call-verify site-key="pk_sandbox" default-country="US"></flash-call-verify>`);
    await openPicker(el);
    await type('uk');
    await el.updateComplete;
    const options = $$(el, '[role="option"]').map((o) => o.dataset.code);
    expect(options.slice(0, 2)).to.deep.equal(['GB', 'UA']);
    await press('Enter');
    await el.updateComplete;
    expect(countryButtonText(el)).to.contain('+44');
  });

  it('finds Türkiye by "turkey" on a Spanish page, and Egypt by its English name on an Arabic one', async () => {
    const es = await mount(html`<flash-call-verify site-key="pk_sandbox" lang="es" default-country="ES"></flash-call-verify>`);
    await openPicker(es);
    await type('turkey');
    await es.updateComplete;
    expect($(es, '[role="option"][aria-selected="true"]')!.dataset.code).to.equal('TR');
    await press('Enter');
    await es.updateComplete;
    expect(countryButtonText(es)).to.contain('+90');

    const ar = await mount(
      html`<div dir="rtl" lang="ar"><flash-call-verify site-key="pk_sandbox" default-country="SA"></flash-call-verify></div>`,
    );
    await openPicker(ar);
    await type('egypt');
    await ar.updateComplete;
    expect($(ar, '[role="option"][aria-selected="true"]')!.dataset.code).to.equal('EG');
  });
});
