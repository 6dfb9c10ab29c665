/** The `language` values Restcomm's `<Say>` documents (say-rcml.adoc). */
export type RestcommLanguage =
  | 'en'
  | 'en-gb'
  | 'es'
  | 'fr'
  | 'cf'
  | 'bf'
  | 'de'
  | 'it'
  | 'nl'
  | 'pt'
  | 'bp'
  | 'ru'
  | 'ar'
  | 'pl'
  | 'sv'
  | 'fi'
  | 'dan'
  | 'no'
  | 'cs'
  | 'el'
  | 'tr'
  | 'ca';

/** Languages Restcomm names by the plain ISO 639-1 code. */
const SAME_CODE: ReadonlySet<string> = new Set(['es', 'de', 'it', 'nl', 'ru', 'ar', 'pl', 'sv', 'fi', 'cs', 'el', 'tr', 'ca']);

/**
 * Restcomm's TTS language for a BCP 47 locale (`pt-BR`, `fr_CA`, `nb-NO`, `en`). Restcomm uses its own codes
 * for some regional variants (`bp`, `cf`, `bf`, `en-gb`) and for Danish (`dan`); anything it cannot speak
 * falls back to English.
 */
export function restcommLanguage(locale: string): RestcommLanguage {
  const subtags = locale.trim().toLowerCase().replaceAll('_', '-').split('-');
  const language = subtags[0] ?? '';
  // The region is the first later subtag of two letters or three digits; a script subtag (Latn) may precede it.
  const region = subtags.slice(1).find((tag) => /^([a-z]{2}|\d{3})$/.test(tag));
  switch (language) {
    case 'en':
      return region === 'gb' || region === 'ie' ? 'en-gb' : 'en';
    case 'fr':
      return region === 'ca' ? 'cf' : region === 'be' ? 'bf' : 'fr';
    case 'pt':
      return region === 'br' ? 'bp' : 'pt';
    case 'da':
      return 'dan';
    case 'no':
    case 'nb':
    case 'nn':
      return 'no';
    default:
      return SAME_CODE.has(language) ? (language as RestcommLanguage) : 'en';
  }
}

/**
 * "Your code is" in each language the call may speak. A language missing here is spoken in English with an
 * English voice: English words read by, say, a Polish voice are harder to follow than plain English.
 */
const PHRASES: Partial<Record<RestcommLanguage, string>> & { en: string } = {
  en: 'Your code is',
  'en-gb': 'Your code is',
  es: 'Su código es',
  fr: 'Votre code est',
  cf: 'Votre code est',
  bf: 'Votre code est',
  de: 'Ihr Code lautet',
  it: 'Il suo codice è',
  nl: 'Uw code is',
  pt: 'O seu código é',
  bp: 'Seu código é',
  ar: 'رمزك هو',
  ru: 'Ваш код',
  pl: 'Twój kod to',
  sv: 'Din kod är',
  fi: 'Koodisi on',
  dan: 'Din kode er',
  no: 'Koden din er',
  cs: 'Váš kód je',
  el: 'Ο κωδικός σας είναι',
  tr: 'Kodunuz',
  ca: 'El vostre codi és',
};

/**
 * What an answered flash call says: the phrase and the digits one by one (comma-separated, so the voice pauses
 * after each and reads "four, seven" rather than "four thousand seven hundred"), then, after a second's pause,
 * all of it again in case the first words were lost while lifting the phone.
 */
export function renderRcml(options: { code: string; locale: string }): string {
  const { language, phrase } = codePhrase(options.locale);
  const digits = [...options.code].filter((char) => char.trim() !== '').join(', ');
  const say = `<Say voice="woman" language="${escapeXml(language)}">${escapeXml(`${phrase} ${digits}.`)}</Say>`;
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${say}<Pause length="1"/>${say}<Hangup/></Response>`;
}

/** The voice and the words "Your code is" for a locale, in English where Restcomm has no voice for it. */
export function codePhrase(locale: string): { language: RestcommLanguage; phrase: string } {
  const language = restcommLanguage(locale);
  const phrase = PHRASES[language];
  return phrase === undefined ? { language: 'en', phrase: PHRASES.en } : { language, phrase };
}

/** The Restcomm languages a code is spoken in with words of their own. */
export const SPOKEN_LANGUAGES: readonly RestcommLanguage[] = Object.keys(PHRASES) as RestcommLanguage[];

/** Escapes text for XML content and double- or single-quoted attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => XML_ENTITIES[char] ?? char);
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
