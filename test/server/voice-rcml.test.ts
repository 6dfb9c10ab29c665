import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { spokenText } from '../../sandbox/restcomm-emulator.js';
import { VOICE_LANGUAGES, renderVoiceRcml } from '../../server/restcomm/voice-rcml.js';

describe('renderVoiceRcml', () => {
  test('a pause, then the code one digit at a time with a pause after each, twice, then it hangs up', () => {
    const say = (text: string) => `<Say voice="woman" language="en">${text}</Say>`;
    const once =
      say('Your verification code is') +
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
    assert.equal(
      spokenText(renderVoiceRcml({ code: '4719', locale: 'es-MX' })),
      'Su código de verificación es 4, 7, 1, 9. Su código de verificación es 4, 7, 1, 9.',
    );
    assert.equal(spokenText(renderVoiceRcml({ code: '12', locale: 'ar-EG' })), 'رمز التحقق الخاص بك هو 1, 2. رمز التحقق الخاص بك هو 1, 2.');
    assert.match(renderVoiceRcml({ code: '12', locale: 'ar-EG' }), /^(?:(?!language="(?!ar")).)*$/, 'every <Say> in Arabic');
    assert.match(renderVoiceRcml({ code: '12', locale: 'en-GB' }), /language="en-gb"/);
    assert.ok(VOICE_LANGUAGES.includes('es') && VOICE_LANGUAGES.includes('ar'));
  });

  test('a language without its own words is spoken in English with an English voice', () => {
    const rcml = renderVoiceRcml({ code: '12', locale: 'de-DE' });
    assert.doesNotMatch(rcml, /language="(?!en")/);
    assert.equal(spokenText(rcml), 'Your verification code is 1, 2. Your verification code is 1, 2.');
  });

  test('escapes everything it puts in the document', () => {
    const rcml = renderVoiceRcml({ code: '<&', locale: 'en' });
    assert.ok(rcml.includes('&lt;,') && rcml.includes('&amp;.'), rcml);
    assert.doesNotMatch(rcml.replace(/<\/?(Response|Say|Pause|Hangup)[^>]*>|<\?xml[^>]*\?>/g, ''), /[<>]/);
  });
});
