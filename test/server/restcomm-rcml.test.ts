import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { escapeXml, renderRcml, restcommLanguage } from '../../server/restcomm/rcml.js';
import { spokenText } from '../../sandbox/restcomm-emulator.js';
import { LANGUAGES } from '../../widget/i18n/load.js';

describe('renderRcml', () => {
  test('says the code digit by digit, twice with a pause between, then hangs up', () => {
    const say = '<Say voice="woman" language="en">Your code is 4, 7, 1, 9.</Say>';
    assert.equal(
      renderRcml({ code: '4719', locale: 'en-US' }),
      `<?xml version="1.0" encoding="UTF-8"?><Response>${say}<Pause length="1"/>${say}<Hangup/></Response>`,
    );
  });

  test('speaks every language the element offers that Restcomm has a voice for, the rest in English', () => {
    const spoken: Record<string, [string, string]> = {
      en: ['en', 'Your code is'],
      es: ['es', 'Su código es'],
      fr: ['fr', 'Votre code est'],
      de: ['de', 'Ihr Code lautet'],
      it: ['it', 'Il suo codice è'],
      pt: ['pt', 'O seu código é'],
      'pt-BR': ['bp', 'Seu código é'],
      nl: ['nl', 'Uw code is'],
      pl: ['pl', 'Twój kod to'],
      tr: ['tr', 'Kodunuz'],
      ru: ['ru', 'Ваш код'],
      ar: ['ar', 'رمزك هو'],
      sv: ['sv', 'Din kod är'],
      uk: ['en', 'Your code is'],
      he: ['en', 'Your code is'],
      fa: ['en', 'Your code is'],
      hi: ['en', 'Your code is'],
      id: ['en', 'Your code is'],
      ja: ['en', 'Your code is'],
      ko: ['en', 'Your code is'],
      'zh-Hans': ['en', 'Your code is'],
      'zh-Hant': ['en', 'Your code is'],
      vi: ['en', 'Your code is'],
    };
    assert.deepEqual(Object.keys(spoken).sort(), [...LANGUAGES].sort(), 'one case for each language of the element');
    for (const [locale, [language, phrase]] of Object.entries(spoken)) {
      const rcml = renderRcml({ code: '305', locale });
      assert.ok(rcml.includes(`<Say voice="woman" language="${language}">${phrase} 3, 0, 5.</Say>`), `${locale}: ${rcml}`);
      assert.equal(spokenText(rcml), `${phrase} 3, 0, 5. ${phrase} 3, 0, 5.`, locale);
    }
  });

  test('speaks the phrase of the locale in its Restcomm language', () => {
    assert.match(renderRcml({ code: '12', locale: 'es-MX' }), /language="es">Su código es 1, 2\.</);
    assert.match(renderRcml({ code: '12', locale: 'fr' }), /language="fr">Votre code est 1, 2\.</);
    assert.match(renderRcml({ code: '12', locale: 'fr-CA' }), /language="cf">Votre code est 1, 2\.</);
    assert.match(renderRcml({ code: '12', locale: 'de-AT' }), /language="de">Ihr Code lautet 1, 2\.</);
    assert.match(renderRcml({ code: '12', locale: 'pt-BR' }), /language="bp">Seu código é 1, 2\.</);
    assert.match(renderRcml({ code: '12', locale: 'ar-SA' }), /language="ar">رمزك هو 1, 2\.</);
  });

  test('an unsupported locale is spoken in English with an English voice', () => {
    assert.match(renderRcml({ code: '12', locale: 'ja-JP' }), /language="en">Your code is 1, 2\.</);
    assert.match(renderRcml({ code: '12', locale: '' }), /language="en">Your code is 1, 2\.</);
  });

  test('escapes everything it puts in the document', () => {
    const rcml = renderRcml({ code: '1<&>"\'', locale: 'en' });
    assert.ok(rcml.includes('Your code is 1, &lt;, &amp;, &gt;, &quot;, &apos;.'), rcml);
    assert.ok(!/<[^/?A-Z]/.test(rcml), 'no markup comes from the code');
  });

  test('round-trips through what the emulator would say', () => {
    assert.equal(spokenText(renderRcml({ code: '4719', locale: 'en' })), 'Your code is 4, 7, 1, 9. Your code is 4, 7, 1, 9.');
    assert.equal(spokenText(renderRcml({ code: '<1>', locale: 'en' })), 'Your code is <, 1, >. Your code is <, 1, >.');
  });
});

describe('restcommLanguage', () => {
  const cases: Array<[string, string]> = [
    ['en', 'en'],
    ['en-US', 'en'],
    ['en-GB', 'en-gb'],
    ['en_gb', 'en-gb'],
    ['es-419', 'es'],
    ['fr-FR', 'fr'],
    ['fr-CA', 'cf'],
    ['fr-BE', 'bf'],
    ['de-CH', 'de'],
    ['it', 'it'],
    ['nl-BE', 'nl'],
    ['pt-PT', 'pt'],
    ['pt-BR', 'bp'],
    ['pt', 'pt'],
    ['ru', 'ru'],
    ['ar-EG', 'ar'],
    ['pl-PL', 'pl'],
    ['sv-SE', 'sv'],
    ['fi', 'fi'],
    ['da-DK', 'dan'],
    ['nb-NO', 'no'],
    ['nn', 'no'],
    ['no', 'no'],
    ['cs-CZ', 'cs'],
    ['el-GR', 'el'],
    ['tr-TR', 'tr'],
    ['ca-ES', 'ca'],
    ['sr-Latn-RS', 'en'],
    ['zh-Hant-TW', 'en'],
    ['ja', 'en'],
    ['xx', 'en'],
    ['', 'en'],
  ];
  for (const [locale, language] of cases) {
    test(`${JSON.stringify(locale)} -> ${language}`, () => assert.equal(restcommLanguage(locale), language));
  }
});

describe('escapeXml', () => {
  test('escapes the five XML specials and nothing else', () => {
    assert.equal(escapeXml(`a&b<c>d"e'f é`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f é');
  });
});

describe('spokenText', () => {
  test('reads each Say in order, repeated by loop, unescaping entities', () => {
    const rcml =
      '<?xml version="1.0"?><Response><Say loop="3">One &amp; two</Say><Pause length="1"/>' +
      "<Say voice='man'>Three &#52;&#x35;</Say><Say/><Hangup/></Response>";
    assert.equal(spokenText(rcml), 'One & two One & two One & two Three 45');
  });

  test('rejects a document that is not RCML', () => {
    assert.throws(() => spokenText('Your code is 1, 2.'), /Response/);
  });
});
