import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { spokenText } from '../../sandbox/restcomm-emulator.js';
import { renderRcml } from '../../server/restcomm/rcml.js';
import { renderVoiceRcml } from '../../server/restcomm/voice-rcml.js';

describe('renderVoiceRcml', () => {
  test('a pause, then the code one digit at a time with a pause after each, twice, then it hangs up', () => {
    const say = (text: string) => `<Say voice="woman" language="en">${text}</Say>`;
    const once =
      say('Your code is') +
      say('4,') +
      '<Pause length="1"/>' +
      say('7,') +
      '<Pause length="1"/>' +
      say('1,') +
      '<Pause length="1"/>' +
      say('9.') +
      '<Pause length="1"/>';
    assert.equal(
      renderVoiceRcml({ code: '4719', locale: 'en-US' }),
      `<?xml version="1.0" encoding="UTF-8"?><Response><Pause length="1"/>${once}${once}<Hangup/></Response>`,
    );
  });

  test('says it in the session language, in the words a listener hears', () => {
    assert.equal(spokenText(renderVoiceRcml({ code: '4719', locale: 'es-MX' })), 'Su código es 4, 7, 1, 9. Su código es 4, 7, 1, 9.');
    assert.equal(spokenText(renderVoiceRcml({ code: '12', locale: 'ar-EG' })), 'رمزك هو 1, 2. رمزك هو 1, 2.');
    assert.match(renderVoiceRcml({ code: '12', locale: 'ar-EG' }), /^(?:(?!language="(?!ar")).)*$/, 'every <Say> in Arabic');
    assert.match(renderVoiceRcml({ code: '12', locale: 'en-GB' }), /language="en-gb"/);
  });

  test('speaks each language in the voice an answered flash call uses for it', () => {
    for (const locale of ['fr-CA', 'de', 'it', 'nl', 'pt-PT', 'pt-BR', 'ru', 'pl', 'sv', 'tr', 'ja', 'uk', 'zh-TW']) {
      const voice = (rcml: string) => [...new Set([...rcml.matchAll(/language="([^"]+)"/g)].map((m) => m[1]))];
      assert.deepEqual(voice(renderVoiceRcml({ code: '12', locale })), voice(renderRcml({ code: '12', locale })), locale);
    }
    assert.match(spokenText(renderVoiceRcml({ code: '12', locale: 'de-AT' })), /^Ihr Code lautet 1, 2\./);
  });

  test('a language without its own words is spoken in English with an English voice', () => {
    const rcml = renderVoiceRcml({ code: '12', locale: 'ja-JP' });
    assert.doesNotMatch(rcml, /language="(?!en")/);
    assert.equal(spokenText(rcml), 'Your code is 1, 2. Your code is 1, 2.');
  });

  test('escapes everything it puts in the document', () => {
    const rcml = renderVoiceRcml({ code: '<&', locale: 'en' });
    assert.ok(rcml.includes('&lt;,') && rcml.includes('&amp;.'), rcml);
    assert.doesNotMatch(rcml.replace(/<\/?(Response|Say|Pause|Hangup)[^>]*>|<\?xml[^>]*\?>/g, ''), /[<>]/);
  });
});
