import { escapeXml, restcommLanguage } from './rcml.js';
import type { RestcommLanguage } from './rcml.js';

/**
 * "Your verification code is" for the voice channel, per Restcomm TTS language. Adding a language is a row
 * here; a language missing here is spoken in English with an English voice, as a flash call's answer is.
 */
const INTROS: Partial<Record<RestcommLanguage, string>> & { en: string } = {
  en: 'Your verification code is',
  'en-gb': 'Your verification code is',
  es: 'Su código de verificación es',
  ar: 'رمز التحقق الخاص بك هو',
};

/** The Restcomm languages the voice channel speaks in their own words. */
export const VOICE_LANGUAGES: readonly RestcommLanguage[] = Object.keys(INTROS) as RestcommLanguage[];

/** Times the code is said, so a first hearing lost while lifting the phone or finding a pen does no harm. */
const REPETITIONS = 2;

/**
 * What a voice-channel call says when answered: after a short pause for the phone to reach the ear, the code
 * one digit at a time with a second's pause after each, all of it twice, then it hangs up. Each digit is its
 * own `<Say>` so TTS never reads "4719" as a number; the trailing comma or full stop keeps the spoken words a
 * sentence ("Your verification code is 4, 7, 1, 9.").
 */
export function renderVoiceRcml(options: { code: string; locale: string }): string {
  let language = restcommLanguage(options.locale);
  let intro = INTROS[language];
  if (intro === undefined) {
    language = 'en';
    intro = INTROS.en;
  }
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
