import { expect } from '@open-wc/testing';
import { getCountries, getCountryCallingCode } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';
import { allCountries } from '../../widget/picker/country-names.js';
import { dialCodeOf, flagOf, orderCountries, parseCountryList, pickDefaultCountry } from '../../widget/picker/countries.js';
import { searchCountries } from '../../widget/picker/country-search.js';

const codes = (list: { code: string }[]) => list.map((c) => c.code);

describe('countries', () => {
  it('has the dial code of every region libphonenumber knows (regenerate with scripts/gen-dial-codes.ts)', () => {
    for (const country of getCountries(metadata)) {
      expect(dialCodeOf(country), country).to.equal(getCountryCallingCode(country, metadata));
    }
    expect(allCountries('en')).to.have.length(getCountries(metadata).length);
  });

  it('draws flags as regional indicator pairs', () => {
    expect(flagOf('GB')).to.equal('🇬🇧');
  });

  it('names regions in the UI language and sorts by that name', () => {
    const es = allCountries('es');
    expect(es.find((c) => c.code === 'DE')!.name).to.equal('Alemania');
    expect(codes(searchCountries(es, 'alemania'))[0]).to.equal('DE');
    // Accents are optional, and the English name works too.
    expect(codes(searchCountries(es, 'espana'))[0]).to.equal('ES');
    expect(codes(searchCountries(es, 'germany'))[0]).to.equal('DE');
  });

  it('searches by dial code, the owner of a shared code first', () => {
    const all = allCountries('en');
    expect(codes(searchCountries(all, '+44'))[0]).to.equal('GB');
    expect(codes(searchCountries(all, '44'))).to.include.members(['GB', 'GG', 'IM', 'JE']);
    expect(codes(searchCountries(all, '+1'))[0]).to.equal('US');
    expect(codes(searchCountries(all, '81'))[0]).to.equal('JP');
  });

  it('ranks a name match at the start above one inside', () => {
    const found = codes(searchCountries(allCountries('en'), 'ire'));
    expect(found[0]).to.equal('IE');
  });

  it('applies the allowlist and puts preferred regions first', () => {
    const list = orderCountries(allCountries('en'), parseCountryList('fr, gb,de,xx'), parseCountryList('GB'));
    expect(codes(list)).to.deep.equal(['GB', 'FR', 'DE']);
  });

  it('starts from default-country, else the language region, else the first usable region', () => {
    const all = allCountries('en');
    expect(pickDefaultCountry('ie', 'en-GB', all)).to.equal('IE');
    expect(pickDefaultCountry(null, 'en-GB', all)).to.equal('GB');
    expect(pickDefaultCountry(null, 'es', all)).to.equal('ES');
    const fr = orderCountries(all, ['FR'], []);
    expect(pickDefaultCountry('GB', 'en-GB', fr)).to.equal('FR');
  });
});
