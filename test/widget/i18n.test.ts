import { expect } from '@open-wc/testing';
import { ar as arabic } from '../../widget/i18n/ar.js';
import { en } from '../../widget/i18n/en.js';
import { es } from '../../widget/i18n/es.js';
import { format, interpolate, plural } from '../../widget/i18n/index.js';
import { loadMessages } from '../../widget/i18n/load.js';

const translations = { en, es, ar: arabic };

describe('translations', () => {
  it('picks the table by primary language, English otherwise', async () => {
    expect((await loadMessages('es-MX')).verify).to.equal('Verificar');
    expect((await loadMessages('ar-EG')).dir).to.equal('rtl');
    expect((await loadMessages('de')).verify).to.equal('Verify');
  });

  it('uses each language’s plural rules', () => {
    expect(plural('en', en.wrongCode, 1)).to.contain('1 attempt left');
    expect(plural('en', en.wrongCode, 2)).to.contain('2 attempts left');
    expect(plural('es', es.wrongCode, 1)).to.contain('Te queda 1 intento');
    const ar = arabic.wrongCode;
    expect(plural('ar', ar, 2)).to.contain('محاولتان');
    expect(plural('ar', ar, 1)).to.contain('محاولة واحدة');
    expect(plural('ar', ar, 3)).to.match(/[3٣] محاولات/);
  });

  it('fills every table completely, with placeholders kept', () => {
    const keys = (o: object) => Object.keys(o).sort();
    for (const [lang, m] of Object.entries(translations)) {
      expect(keys(m), lang).to.deep.equal(keys(translations.en));
      expect(keys(m.errors), lang).to.deep.equal(keys(translations.en.errors));
      expect(m.calling, lang).to.contain('{phone}');
      expect(m.resendIn, lang).to.contain('{time}');
    }
  });

  it('interpolates values, leaving rich values in place', () => {
    const marker = { rich: true };
    expect(interpolate('We’re calling {phone}…', { phone: marker })).to.deep.equal(['We’re calling ', marker, '…']);
    expect(format('Digit {i} of {n}', { i: 1, n: 4 })).to.equal('Digit 1 of 4');
  });
});
