import { expect } from '@open-wc/testing';
import { loadPhoneLib } from '../../widget/phone/phone.js';
import { codeDigits } from '../../widget/phone/digits.js';
import { caretAfterSignificant, cleanPhoneInput, significantBefore } from '../../widget/phone/phone-text.js';

describe('phone helpers', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['+44 7700 900123', '+447700900123', '1'],
    ['0044 7700 900123', '+447700900123', '1'],
    ['tel:+44-7700-900123', '+447700900123', '1'],
    ['TEL:%2B44.7700.900123;ext=12', '+447700900123', '1'],
    ['＋４４　７７００　９００１２３', '+447700900123', '1'],
    ['(+44) (0)7700 900-123', '+447700900123', '1'],
    ['011 44 7700 900123', '+447700900123', '1'],
    ['٠٧٧٠٠ ٩٠٠١٢٣', '07700900123', '44'],
    ['(201) 555-0123', '2015550123', '1'],
  ];
  for (const [raw, clean, dial] of cases) {
    it(`cleans ${JSON.stringify(raw)}`, () => {
      expect(cleanPhoneInput(raw, dial)).to.equal(clean);
    });
  }

  it('keeps the caret between the same digits across reformatting', () => {
    expect(significantBefore('(201) 55', 8)).to.equal(5);
    expect(caretAfterSignificant('(201) 555-0123', 5)).to.equal(8);
    expect(caretAfterSignificant('(201) 555-0123', 0)).to.equal(0);
  });

  it('reads code digits in any script', () => {
    expect(codeDigits('١٢٣٤')).to.equal('1234');
    expect(codeDigits(' 12-34 ')).to.equal('1234');
    // A code is not a phone number: no international prefix to drop.
    expect(codeDigits('0012')).to.equal('0012');
    expect(codeDigits('０１１２')).to.equal('0112');
  });

  it('formats as typed and finds the region of an international number', async () => {
    const lib = await loadPhoneLib();
    await Promise.all(['US', 'GB'].map(lib.loadRegion));
    expect(lib.formatTyping('2015550123', 'US')!.text).to.equal('(201) 555-0123');
    expect(lib.formatTyping('+447400123456', 'US')).to.deep.include({ country: 'GB', national: '07400 123456' });
    // Unplaceable by the metadata, still the +44 region.
    expect(lib.formatTyping('+447700900123', 'US')).to.deep.include({ country: 'GB' });
    // Regions sharing +1: the selected one wins when the digits don't tell.
    expect(lib.formatTyping('+1', 'CA')!.country).to.equal('CA');
    expect(lib.formatTyping('+12015550123', 'CA')!.country).to.equal('US');
    expect(lib.formatInternational('+4474183')).to.equal('+44 7418 3');
  });

  it('fetches the metadata of another calling code when its digits need it, and formats them once it is in', async () => {
    const lib = await loadPhoneLib();
    await lib.loadRegion('GB');
    // Japan (+81) and the non-geographic +800 are fetched by nothing else in this file.
    expect(lib.formatTyping('+81312345678', 'GB')).to.equal(undefined);
    expect(lib.formatInternational('+80012345678')).to.equal(undefined);
    await lib.arrivals();
    expect(lib.formatTyping('+81312345678', 'GB')).to.deep.include({ text: '+81 3 1234 5678', country: 'JP' });
    expect(lib.formatInternational('+80012345678')).to.equal('+800 1234 5678');
  });

  it('tells short, long and invalid numbers apart before any request, waiting for the metadata it needs', async () => {
    const lib = await loadPhoneLib();
    expect((await lib.analyse('', 'GB')).problem).to.equal('empty');
    expect((await lib.analyse('0740', 'GB')).problem).to.equal('too_short');
    expect((await lib.analyse('074001234567890', 'GB')).problem).to.equal('too_long');
    expect(await lib.analyse('07400123456', 'GB')).to.deep.include({ e164: '+447400123456', country: 'GB' });
    expect(await lib.analyse('+4915123456789', 'GB')).to.deep.include({ e164: '+4915123456789', country: 'DE' });
    expect(await lib.analyse('0612345678', 'FR')).to.deep.include({ e164: '+33612345678', country: 'FR' });
  });
});
