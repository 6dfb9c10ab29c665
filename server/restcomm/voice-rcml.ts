import { codePhrase, escapeXml } from './rcml.js';

/** Times the code is said, so a first hearing lost while lifting the phone or finding a pen does no harm. */
const REPETITIONS = 2;

/**
 * What a voice-channel call says when answered: after a short pause for the phone to reach the ear, the code
 * one digit at a time with a second's pause after each, all of it twice, then it hangs up. Each digit is its
 * own `<Say>` so TTS never reads "4719" as a number; the trailing comma or full stop keeps the spoken words a
 * sentence ("Your code is 4, 7, 1, 9.").
 */
export function renderVoiceRcml(options: { code: string; locale: string }): string {
  // The same words and voices as an answered flash call's, so each language is added once.
  const { language, phrase: intro } = codePhrase(options.locale);
  const digits = [...options.code].filter((char) => char.trim() !== '');
  const say = (text: string) => `<Say voice="woman" language="${escapeXml(language)}">${escapeXml(text)}</Say>`;
  const pause = '<Pause length="1"/>';
  const once = say(intro) + digits.map((digit, i) => say(i === digits.length - 1 ? `${digit}.` : `${digit},`) + pause).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<Response>' +
    pause +
    Array.from({ length: REPETITIONS }, () => once).join('') +
    '<Hangup/>' +
    '</Response>'
  );
}
