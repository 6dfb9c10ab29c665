import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { SMS_LANGUAGES, SmsTooLongError, fitsOneSms, smsLanguage, smsLength, smsText } from '../../server/telephony/sms-text.js';
import { LANGUAGES, languageOf } from '../../widget/i18n/load.js';

describe('smsLength', () => {
  // Counts as phone networks count them (3GPP TS 23.038 / 23.040): 160 septets or 70 UCS-2 units in one message,
  // 153 or 67 in each part of a longer one.
  const known: Array<[string, string, { encoding: 'GSM' | 'UCS-2'; units: number; segments: number }]> = [
    ['an empty text', '', { encoding: 'GSM', units: 0, segments: 0 }],
    ['160 plain letters', 'a'.repeat(160), { encoding: 'GSM', units: 160, segments: 1 }],
    ['161 plain letters', 'a'.repeat(161), { encoding: 'GSM', units: 161, segments: 2 }],
    ['306 plain letters', 'a'.repeat(306), { encoding: 'GSM', units: 306, segments: 2 }],
    ['307 plain letters', 'a'.repeat(307), { encoding: 'GSM', units: 307, segments: 3 }],
    ['GSM accented letters and symbols', 'éèùìòÇØøÅåÆæßÉÄÖÑÜäöñüà@£$¥§¿¡_Δ', { encoding: 'GSM', units: 32, segments: 1 }],
    ['80 euro signs (extension table, two septets each)', '€'.repeat(80), { encoding: 'GSM', units: 160, segments: 1 }],
    ['81 euro signs', '€'.repeat(81), { encoding: 'GSM', units: 162, segments: 2 }],
    ['every extension character', '^{}\\[~]|€', { encoding: 'GSM', units: 18, segments: 1 }],
    // 152 letters then an escape pair: the pair cannot straddle the parts, so it starts the second.
    ['an escape pair at a part boundary', 'a'.repeat(152) + '€' + 'a'.repeat(10), { encoding: 'GSM', units: 164, segments: 2 }],
    ['an escape pair pushed to a third part', 'a'.repeat(152) + '€'.repeat(77), { encoding: 'GSM', units: 306, segments: 3 }],
    ['one letter outside GSM (ó) makes it UCS-2', 'Tu código es 4719.', { encoding: 'UCS-2', units: 18, segments: 1 }],
    ['70 Arabic letters', 'ع'.repeat(70), { encoding: 'UCS-2', units: 70, segments: 1 }],
    ['71 Arabic letters', 'ع'.repeat(71), { encoding: 'UCS-2', units: 71, segments: 2 }],
    ['134 Arabic letters', 'ع'.repeat(134), { encoding: 'UCS-2', units: 134, segments: 2 }],
    ['135 Arabic letters', 'ع'.repeat(135), { encoding: 'UCS-2', units: 135, segments: 3 }],
    ['35 emoji (two UTF-16 units each)', '😀'.repeat(35), { encoding: 'UCS-2', units: 70, segments: 1 }],
    ['66 letters then an emoji at a part boundary', 'ó'.repeat(66) + '😀' + 'ó'.repeat(10), { encoding: 'UCS-2', units: 78, segments: 2 }],
    ['a backtick is not GSM', '`', { encoding: 'UCS-2', units: 1, segments: 1 }],
  ];
  for (const [name, text, expected] of known) {
    test(name, () => {
      const { encoding, units, segments } = smsLength(text);
      assert.deepEqual({ encoding, units, segments }, expected);
    });
  }

  test('one message also means at most 160 UTF-8 bytes, which Restcomm checks on its own', () => {
    assert.equal(fitsOneSms('a'.repeat(160)), true);
    assert.equal(fitsOneSms('ع'.repeat(70)), true, '140 bytes');
    assert.equal(fitsOneSms('中'.repeat(53)), true, '159 bytes');
    assert.equal(fitsOneSms('中'.repeat(54)), false, '162 bytes, one UCS-2 segment');
    assert.equal(fitsOneSms('é'.repeat(81)), false, '81 septets but 162 bytes');
  });
});

/** The WebOTP line as Chrome reads it: the last line, `@host #code`. */
function webOtp(body: string): { host: string; code: string } | undefined {
  const match = /^@(\S+) #([0-9A-Za-z]+)$/.exec(body.split('\n').at(-1) ?? '');
  return match ? { host: match[1]!, code: match[2]! } : undefined;
}

describe('smsText', () => {
  test('English: the code in words, a blank line, the WebOTP line', () => {
    assert.equal(
      smsText({ code: '4719', host: 'shop.example.com', lang: 'en-GB' }),
      'Your verification code is 4719.\n\n@shop.example.com #4719',
    );
  });

  test("the session's language, chosen as the element chooses its own, English for any other", () => {
    assert.match(smsText({ code: '4719', host: 'shop.example', lang: 'es-MX' }), /^Tu código es 4719\.\n/);
    assert.match(smsText({ code: '4719', host: 'shop.example', lang: 'ar' }), /^رمز التحقق: 4719\n/);
    assert.match(smsText({ code: '4719', host: 'shop.example', lang: 'fr-CA' }), /^Votre code de vérification est 4719\.\n/);
    assert.match(smsText({ code: '4719', host: 'shop.example', lang: 'pt-BR' }), /^Seu código é 4719\.\n/);
    assert.match(smsText({ code: '4719', host: 'shop.example', lang: 'pt-AO' }), /^O seu código é 4719\.\n/);
    assert.match(smsText({ code: '4719', host: 'shop.example', lang: 'zh-TW' }), /^驗證碼：4719\n/);
    assert.match(smsText({ code: '4719', host: 'shop.example', lang: 'zh-SG' }), /^验证码：4719\n/);
    assert.match(smsText({ code: '4719', host: 'shop.example', lang: 'iw' }), /^קוד אימות: 4719\n/);
    assert.match(smsText({ code: '4719', host: 'shop.example', lang: 'nb-NO' }), /^Your verification code is 4719\.\n/);
    assert.match(smsText({ code: '4719', host: 'shop.example', lang: '' }), /^Your verification code is 4719\.\n/);
  });

  test('writes in every language the element speaks, resolving each tag to the same language as the element', () => {
    assert.deepEqual([...SMS_LANGUAGES].sort(), [...LANGUAGES].sort());
    const known = ['pt', 'pt-PT', 'pt-BR', 'pt-br', 'pt_BR', 'zh', 'zh-CN', 'zh-SG', 'zh-Hans', 'zh-HK', 'zh-TW', 'zh-MO', 'zh-Hant-CN'];
    for (const tag of [...known, 'iw', 'in-ID', 'es_419', 'sr-Latn-RS', 'nb-NO', 'xx', '', 'not a tag'])
      assert.equal(smsLanguage(tag), languageOf(tag), tag);
    const tags = fc.oneof(
      fc
        .tuple(
          fc.constantFrom(...LANGUAGES.map((language) => language.split('-')[0]!), 'iw', 'in', 'nb', 'EN', 'Zh'),
          fc.option(fc.constantFrom('Hans', 'Hant', 'Latn', 'Cyrl'), { nil: undefined }),
          fc.option(fc.constantFrom('BR', 'PT', 'TW', 'HK', 'MO', 'CN', 'SG', 'US', 'br', '419'), { nil: undefined }),
          fc.constantFrom('-', '_'),
        )
        .map(([language, script, region, separator]) => [language, script, region].filter(Boolean).join(separator)),
      fc.string({ maxLength: 12 }),
    );
    // The server also forgives spaces around a tag.
    fc.assert(fc.property(tags, (tag) => smsLanguage(tag) === languageOf(tag.trim())));
  });

  test('every language writes its own line beside a host of a typical length', () => {
    // 34 characters: a UCS-2 text (70 in all) leaves its first line some 27.
    const host = 'accounts.northwind-traders.example';
    for (const lang of SMS_LANGUAGES) {
      const own = smsText({ code: '123456', host: 'x', lang }).split('\n')[0]!;
      if (lang !== 'en') assert.ok(!own.startsWith('Your verification code'), `${lang} has a line of its own`);
      assert.ok(smsText({ code: '123456', host, lang }).startsWith(`${own}\n`), lang);
    }
  });

  test('names the app when given, on one line whatever it holds', () => {
    assert.match(smsText({ code: '4719', host: 'shop.example', lang: 'en', appName: 'Acme\nShop' }), /^Your Acme Shop code is 4719\.\n\n@/);
  });

  test('a Spanish text too long for UCS-2 falls back to English, which has 160 characters', () => {
    const host = `${'a'.repeat(40)}.example.com`;
    const es = smsText({ code: '4719', host, lang: 'es' });
    assert.match(es, /^Your verification code is 4719\./);
    assert.equal(smsLength(es).encoding, 'GSM');
    assert.ok(fitsOneSms(es));
  });

  test('refuses a code or a host that would break the WebOTP line', () => {
    assert.throws(() => smsText({ code: '47 19', host: 'shop.example', lang: 'en' }), TypeError);
    assert.throws(() => smsText({ code: '', host: 'shop.example', lang: 'en' }), TypeError);
    assert.throws(() => smsText({ code: '4719', host: 'shop example', lang: 'en' }), TypeError);
    assert.throws(() => smsText({ code: '4719', host: 'shop.example\n@evil.example', lang: 'en' }), TypeError);
    assert.throws(() => smsText({ code: '4719', host: 'https://shop.example', lang: 'en' }), TypeError);
  });

  const hosts = fc
    .array(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/), { minLength: 1, maxLength: 5 })
    .map((labels) => labels.join('.'));
  const langs = fc.oneof(
    fc.constantFrom(...SMS_LANGUAGES, 'es-419', 'ar-EG', 'en-US', 'fr-CA', 'pt-PT', 'zh-TW', 'iw'),
    fc.string({ maxLength: 12 }),
  );
  const codes = fc.stringMatching(/^[0-9]{4,8}$/);
  const appNames = fc.option(fc.string({ maxLength: 40, unit: 'grapheme' }), { nil: undefined });

  test('every language, host, code and app name: one message ending in the WebOTP line, or a clear refusal', () => {
    fc.assert(
      fc.property(codes, hosts, langs, appNames, (code, host, lang, appName) => {
        let body: string;
        try {
          body = smsText({ code, host, lang, ...(appName === undefined ? {} : { appName }) });
        } catch (error) {
          assert.ok(error instanceof SmsTooLongError, String(error));
          // Only when not even the shortest English text fits.
          assert.equal(fitsOneSms(`Your verification code is ${code}.\n\n@${host} #${code}`), false);
          return;
        }
        assert.ok(fitsOneSms(body), `${smsLength(body).units} units, ${smsLength(body).bytes} bytes: ${body}`);
        assert.deepEqual(webOtp(body), { host, code });
        assert.ok(body.split('\n')[0]!.includes(code), 'the first line says the code too');
      }),
      { numRuns: 2000 },
    );
  });

  test('each language is used whenever it fits, with hosts up to the longest that leave room', () => {
    for (const lang of SMS_LANGUAGES) {
      for (let length = 1; length <= 253; length++) {
        const host = 'h'.repeat(length);
        const own = lang === 'en' ? undefined : smsText({ code: '123456', host: 'x', lang });
        let body: string;
        try {
          body = smsText({ code: '123456', host, lang });
        } catch (error) {
          assert.ok(error instanceof SmsTooLongError);
          // "Your verification code is 123456." (33), a blank line (2), "@" (1), " #123456" (8): 44 of 160.
          assert.ok(length > 160 - 44, `a ${length}-character host should fit`);
          continue;
        }
        assert.ok(fitsOneSms(body), `${lang}, ${length}`);
        // The session's language as long as its own text fits, and English only after.
        const ownFirstLine = own?.split('\n')[0];
        if (ownFirstLine && fitsOneSms(`${ownFirstLine}\n\n@${host} #123456`))
          assert.ok(body.startsWith(ownFirstLine), `${lang}, ${length}`);
      }
    }
  });
});
