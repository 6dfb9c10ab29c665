import { expect } from '@open-wc/testing';
import { format, interpolate, plural, type Messages, type PluralForms } from '../../widget/i18n/index.js';
import { LANGUAGES, languageOf, loadMessages, type Language } from '../../widget/i18n/load.js';

/** Every table, fetched as the element fetches it. */
async function tables(): Promise<Array<[Language, Messages]>> {
  return Promise.all(LANGUAGES.map(async (language) => [language, await loadMessages(language)] as [Language, Messages]));
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
const isPlural = (value: unknown): value is PluralForms => typeof value === 'object' && value !== null && 'other' in value;

/**
 * What is wrong with one table against English: a message missing or extra, a placeholder English does not
 * have or one it has left out, plural forms other than the language's own.
 */
function problems(language: Language, table: Messages, english: Messages): string[] {
  const found: string[] = [];
  const compare = (path: string, ours: Record<string, unknown>, theirs: Record<string, unknown>) => {
    for (const key of Object.keys(theirs)) if (!(key in ours)) found.push(`${path}${key} is missing`);
    for (const key of Object.keys(ours)) if (!(key in theirs)) found.push(`${path}${key} is not in English`);
    for (const [key, value] of Object.entries(ours)) {
      const source = theirs[key];
      if (source === undefined) continue;
      if (isPlural(source)) {
        if (!isPlural(value)) {
          found.push(`${path}${key} has no plural forms`);
          continue;
        }
        const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories.map(String).sort();
        const forms = Object.keys(value).sort();
        if (forms.join() !== categories.join())
          found.push(`${path}${key} has forms ${forms.join()}, the language has ${categories.join()}`);
        const allowed = new Set(Object.values(source).flatMap((text) => placeholders(text)));
        for (const [form, text] of Object.entries(value)) {
          for (const name of placeholders(text)) {
            if (!allowed.has(name)) found.push(`${path}${key}.${form} has {${name}}, which English does not`);
          }
        }
        for (const name of placeholders(source.other)) {
          if (!placeholders(value.other).includes(name)) found.push(`${path}${key}.other leaves out {${name}}`);
        }
      } else if (typeof source === 'object' && source !== null) {
        compare(`${path}${key}.`, value as Record<string, unknown>, source as Record<string, unknown>);
      } else if (typeof source === 'string' && key !== 'dir') {
        const ours = placeholders(String(value));
        const wanted = placeholders(source);
        for (const name of ours) if (!wanted.includes(name)) found.push(`${path}${key} has {${name}}, which English does not`);
        for (const name of wanted) if (!ours.includes(name)) found.push(`${path}${key} leaves out {${name}}`);
        if (!String(value).trim()) found.push(`${path}${key} is empty`);
      }
    }
  };
  compare('', table as unknown as Record<string, unknown>, english as unknown as Record<string, unknown>);
  return found;
}

describe('translations', () => {
  it('ships the languages the README lists', () => {
    expect([...LANGUAGES].sort()).to.deep.equal(
      [
        'ar',
        'de',
        'en',
        'es',
        'fa',
        'fr',
        'he',
        'hi',
        'id',
        'it',
        'ja',
        'ko',
        'nl',
        'pl',
        'pt',
        'pt-BR',
        'ru',
        'sv',
        'tr',
        'uk',
        'vi',
        'zh-Hans',
        'zh-Hant',
      ].sort(),
    );
  });

  it('falls back from a regional tag to its language, and from an unknown one to English', () => {
    const cases: Array<[string, Language]> = [
      ['en-GB', 'en'],
      ['es-MX', 'es'],
      ['fr-CA', 'fr'],
      ['de_AT', 'de'],
      ['pt', 'pt'],
      ['pt-PT', 'pt'],
      ['pt-AO', 'pt'],
      ['pt-BR', 'pt-BR'],
      ['pt-br', 'pt-BR'],
      ['zh', 'zh-Hans'],
      ['zh-CN', 'zh-Hans'],
      ['zh-SG', 'zh-Hans'],
      ['zh-Hans', 'zh-Hans'],
      ['zh-HK', 'zh-Hant'],
      ['zh-TW', 'zh-Hant'],
      ['zh-MO', 'zh-Hant'],
      ['zh-Hant', 'zh-Hant'],
      ['zh-Hant-CN', 'zh-Hant'],
      ['iw', 'he'],
      ['in-ID', 'id'],
      ['ar-EG', 'ar'],
      ['fa-IR', 'fa'],
      ['nb-NO', 'en'],
      ['xx', 'en'],
      ['', 'en'],
      ['not a tag', 'en'],
    ];
    for (const [tag, language] of cases) expect(languageOf(tag), tag).to.equal(language);
  });

  it('fetches each language’s own table', async () => {
    expect((await loadMessages('es-MX')).verify).to.equal('Verificar');
    expect((await loadMessages('pt-BR')).phoneEmpty).to.equal('Digite seu número de telefone.');
    expect((await loadMessages('pt-PT')).phoneEmpty).to.equal('Introduza o seu número de telefone.');
    expect((await loadMessages('zh-HK')).verify).to.equal('驗證');
    expect((await loadMessages('zh')).verify).to.equal('验证');
    expect((await loadMessages('nb')).verify).to.equal('Verify');
    const verify = new Set((await tables()).map(([, m]) => m.verify));
    // Distinct words, one per table, save where two languages share one (Spanish and Portuguese, the two Portugueses).
    expect(verify.size).to.be.at.least(LANGUAGES.length - 3);
  });

  it('fills every table with the messages English has, and only those, with English’s placeholders', async () => {
    const english = await loadMessages('en');
    const all = await tables();
    for (const [language, table] of all) expect(problems(language, table, english), language).to.deep.equal([]);
  });

  it('tells a table that misses a message, adds one or adds a placeholder', async () => {
    const english = await loadMessages('en');
    const german = await loadMessages('de');
    const { resend: _left, ...missing } = german;
    expect(problems('de', missing as Messages, english)).to.deep.equal(['resend is missing']);
    expect(problems('de', { ...german, extra: 'x' } as Messages, english)).to.deep.equal(['extra is not in English']);
    expect(problems('de', { ...german, checking: 'Prüfe {code}…' }, english)).to.deep.equal([
      'checking has {code}, which English does not',
    ]);
    expect(problems('de', { ...german, calling: 'Wir rufen an…' }, english)).to.deep.equal(['calling leaves out {phone}']);
    expect(problems('de', { ...german, errors: { ...german.errors, network: 'Netz {x}' } }, english)).to.deep.equal([
      'errors.network has {x}, which English does not',
    ]);
    expect(problems('ru', { ...(await loadMessages('ru')), wrongCode: { one: '{n}', other: '{n}' } }, english)).to.deep.equal([
      'wrongCode has forms one,other, the language has few,many,one,other',
    ]);
  });

  it('reads right to left in Arabic, Hebrew and Persian only', async () => {
    const rtl = (await tables()).filter(([, m]) => m.dir === 'rtl').map(([language]) => language);
    expect(rtl.sort()).to.deep.equal(['ar', 'fa', 'he']);
  });

  it('uses each language’s plural rules and digits', async () => {
    const [en, es, ar, ru, pl, uk, he, fa] = await Promise.all(
      ['en', 'es', 'ar', 'ru', 'pl', 'uk', 'he', 'fa'].map((l) => loadMessages(l)),
    );
    expect(plural('en', en!.wrongCode, 1)).to.contain('1 attempt left');
    expect(plural('en', en!.wrongCode, 2)).to.contain('2 attempts left');
    expect(plural('es', es!.wrongCode, 1)).to.contain('Te queda 1 intento');
    expect(plural('ar', ar!.wrongCode, 2)).to.contain('محاولتان');
    expect(plural('ar', ar!.wrongCode, 1)).to.contain('محاولة واحدة');
    expect(plural('ar', ar!.wrongCode, 3)).to.match(/[3٣] محاولات/);
    expect(plural('ru', ru!.wrongCode, 1)).to.contain('Осталась 1 попытка');
    expect(plural('ru', ru!.wrongCode, 2)).to.contain('Осталось 2 попытки');
    expect(plural('ru', ru!.codeHint, 5)).to.contain('последние 5 цифр ');
    expect(plural('pl', pl!.wrongCode, 2)).to.contain('Zostały 2 próby');
    expect(plural('pl', pl!.codeHint, 6)).to.contain('ostatnie 6 cyfr ');
    expect(plural('uk', uk!.wrongCode, 3)).to.contain('Ще 3 спроби');
    expect(plural('he', he!.wrongCode, 2)).to.contain('שני ניסיונות');
    expect(plural('fa', fa!.wrongCode, 3)).to.contain('۳');
    expect(format(fa!.digit, { i: 1, n: 4 }, 'fa')).to.equal('رقم ۱ از ۴');
  });

  it('interpolates values, leaving rich values in place', () => {
    const marker = { rich: true };
    expect(interpolate('We’re calling {phone}…', { phone: marker })).to.deep.equal(['We’re calling ', marker, '…']);
    expect(format('Digit {i} of {n}', { i: 1, n: 4 })).to.equal('Digit 1 of 4');
  });
});
