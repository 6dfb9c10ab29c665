/**
 * The verification text message: one message long, in the session's language where that fits, ending with the
 * WebOTP line (`@host #code`) that lets a browser offer the code for one-tap fill.
 */

/** GSM 03.38's default alphabet: one septet each. */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** Its extension table: an escape septet plus one, so two each. */
const GSM_EXTENSION = new Set('^{}\\[~]|€\f');

/** Septets in one GSM-7 message, and in each part of a longer one (the rest is the concatenation header). */
const GSM_SINGLE = 160;
const GSM_PART = 153;
/** UTF-16 code units in one UCS-2 message, and in each part of a longer one. */
const UCS2_SINGLE = 70;
const UCS2_PART = 67;
/** Restcomm cuts a body over this many bytes (UTF-8) to its first 159 characters, whatever the encoding. */
export const SMS_MAX_BODY_BYTES = 160;

export type SmsEncoding = 'GSM' | 'UCS-2';

export interface SmsLength {
  /** GSM-7 when every character is in its alphabet, else UCS-2 (the whole message switches). */
  encoding: SmsEncoding;
  /** Septets (extension characters count two) for GSM, UTF-16 code units for UCS-2. */
  units: number;
  /** How many messages a phone network would send it as. */
  segments: number;
  /** UTF-8 bytes, which Restcomm limits on its own. */
  bytes: number;
}

export function smsEncoding(text: string): SmsEncoding {
  for (const char of text) if (!GSM_BASIC.has(char) && !GSM_EXTENSION.has(char)) return 'UCS-2';
  return 'GSM';
}

/**
 * How long a text is on the air. A longer text is split into parts of 153 septets or 67 code units, and an
 * escape pair or a surrogate pair is never split across two parts, so a part may hold one unit fewer.
 */
export function smsLength(text: string): SmsLength {
  const encoding = smsEncoding(text);
  const bytes = Buffer.byteLength(text, 'utf8');
  // Units of each character, which stay together.
  const sizes = [...text].map((char) => (encoding === 'GSM' ? (GSM_EXTENSION.has(char) ? 2 : 1) : char.length));
  const units = sizes.reduce((sum, size) => sum + size, 0);
  const single = encoding === 'GSM' ? GSM_SINGLE : UCS2_SINGLE;
  const part = encoding === 'GSM' ? GSM_PART : UCS2_PART;
  if (units <= single) return { encoding, units, segments: units === 0 ? 0 : 1, bytes };
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > part) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return { encoding, units, segments, bytes };
}

/** Whether Restcomm sends the text whole, as one message: one segment and within its byte limit. */
export function fitsOneSms(text: string): boolean {
  const length = smsLength(text);
  return length.segments <= 1 && length.bytes <= SMS_MAX_BODY_BYTES;
}

type FirstLine = (code: string, appName?: string) => string;

/**
 * The line above the WebOTP line, per language of the element (`widget/i18n/<language>.ts`). Adding a language is
 * a row here. Digits stay ASCII in every language so the code reads the same as in the WebOTP line. A line that
 * makes the text too long for one message falls back to English (GSM-7, so 160 rather than 70 characters).
 *
 * Where a language can say it in the GSM-7 alphabet (which has é, è, ä, ö, ü, ñ, å, ø but not ç, ó, ã, ğ, ı, ł),
 * its line does, so it keeps 160 characters; the others force UCS-2 (70 characters, the WebOTP line included),
 * so their lines are as short as the language allows.
 */
const FIRST_LINES = {
  en: (code, appName) => (appName ? `Your ${appName} code is ${code}.` : `Your verification code is ${code}.`),
  // Short: accented letters outside GSM-7 make the whole text UCS-2, 70 characters in all.
  es: (code, appName) => (appName ? `Tu código de ${appName} es ${code}.` : `Tu código es ${code}.`),
  ar: (code, appName) => (appName ? `رمز ${appName}: ${code}` : `رمز التحقق: ${code}`),
  // GSM-7.
  de: (code, appName) => (appName ? `Ihr Code für ${appName} lautet ${code}.` : `Ihr Bestätigungscode lautet ${code}.`),
  fr: (code, appName) => (appName ? `Votre code ${appName} est ${code}.` : `Votre code de vérification est ${code}.`),
  id: (code, appName) => (appName ? `Kode ${appName} Anda adalah ${code}.` : `Kode verifikasi Anda adalah ${code}.`),
  it: (code, appName) => (appName ? `Il tuo codice per ${appName} è ${code}.` : `Il tuo codice di verifica è ${code}.`),
  nl: (code, appName) => (appName ? `Je code voor ${appName} is ${code}.` : `Je verificatiecode is ${code}.`),
  pl: (code, appName) => (appName ? `Kod weryfikacyjny ${appName}: ${code}` : `Kod weryfikacyjny: ${code}`),
  sv: (code, appName) => (appName ? `Din kod för ${appName} är ${code}.` : `Din verifieringskod är ${code}.`),
  tr: (code, appName) => (appName ? `${appName} onay kodunuz: ${code}` : `Onay kodunuz: ${code}`),
  // UCS-2: short.
  fa: (code, appName) => (appName ? `کد ${appName}: ${code}` : `کد تأیید: ${code}`),
  he: (code, appName) => (appName ? `קוד ${appName}: ${code}` : `קוד אימות: ${code}`),
  hi: (code, appName) => (appName ? `${appName} कोड: ${code}` : `सत्यापन कोड: ${code}`),
  ja: (code, appName) => (appName ? `${appName}の認証コード：${code}` : `認証コード：${code}`),
  ko: (code, appName) => (appName ? `${appName} 인증 코드: ${code}` : `인증 코드: ${code}`),
  pt: (code, appName) => (appName ? `O seu código de ${appName} é ${code}.` : `O seu código é ${code}.`),
  'pt-BR': (code, appName) => (appName ? `Seu código de ${appName} é ${code}.` : `Seu código é ${code}.`),
  ru: (code, appName) => (appName ? `Код ${appName}: ${code}` : `Ваш код: ${code}`),
  uk: (code, appName) => (appName ? `Код ${appName}: ${code}` : `Ваш код: ${code}`),
  vi: (code, appName) => (appName ? `Mã xác minh ${appName}: ${code}` : `Mã xác minh: ${code}`),
  'zh-Hans': (code, appName) => (appName ? `${appName}验证码：${code}` : `验证码：${code}`),
  'zh-Hant': (code, appName) => (appName ? `${appName}驗證碼：${code}` : `驗證碼：${code}`),
} satisfies Record<string, FirstLine>;

export type SmsLanguage = keyof typeof FIRST_LINES;

const firstLines: Readonly<Record<SmsLanguage, FirstLine>> = FIRST_LINES;

/** The languages a text can be written in; anything else is written in English. */
export const SMS_LANGUAGES = Object.keys(FIRST_LINES) as readonly SmsLanguage[];

const isSmsLanguage = (language: string): language is SmsLanguage => Object.hasOwn(FIRST_LINES, language);

/**
 * The language a text is written in for a BCP 47 tag, chosen as the element chooses its table (`languageOf` in
 * `widget/i18n/load.ts`; mirrored here because the server does not load the element, and tested against it): a
 * regional tag falls back to its language (`fr-CA` → `fr`), except Brazilian Portuguese (`pt-BR`; any other `pt`
 * is European) and Traditional Chinese (`zh-Hant`, `zh-TW`, `zh-HK`, `zh-MO`; any other `zh` is Simplified).
 * Old codes count as their new ones (`iw` → `he`, `in` → `id`). Anything else, or a tag that is not one, is English.
 */
export function smsLanguage(tag: string): SmsLanguage {
  try {
    const locale = new Intl.Locale(tag.trim().replaceAll('_', '-'));
    const primary = locale.language;
    if (primary === 'pt') return locale.region === 'BR' ? 'pt-BR' : 'pt';
    if (primary === 'zh') return (locale.script ?? locale.maximize().script) === 'Hant' ? 'zh-Hant' : 'zh-Hans';
    if (isSmsLanguage(primary)) return primary;
  } catch {
    // Not a language tag: English.
  }
  return 'en';
}

export interface SmsTextOptions {
  /** The one-time code, letters and digits only. */
  code: string;
  /** The host of the page the verification was started from, as `URL.hostname` gives it (`shop.example.com`, punycode), for the WebOTP line. */
  host: string;
  /** BCP 47 language tag of the session (`es-MX`), resolved by `smsLanguage`; unknown languages are written in English. */
  lang: string;
  /** Named in the first line when given and the text still fits; dropped before the language is. */
  appName?: string;
}

/** Why no text could be written: the WebOTP line alone leaves too little room for any first line. */
export class SmsTooLongError extends RangeError {
  override name = 'SmsTooLongError';
}

/**
 * The message body: a first line in the session's language, then `@host #code` as the last line, which is
 * what the WebOTP API reads. The result always fits one message (`fitsOneSms`); in order it tries the
 * language with the app name, the language without it, then English with and without it, and throws
 * `SmsTooLongError` when even the last of these would not fit (a host longer than some 115 characters).
 */
export function smsText(options: SmsTextOptions): string {
  const { code, host } = options;
  if (!/^[0-9A-Za-z]+$/.test(code)) throw new TypeError('An SMS code is letters and digits only.');
  if (!/^[^\s@#/]+$/.test(host)) throw new TypeError('An SMS host is a bare host name, such as shop.example.com.');
  const appName = options.appName?.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').trim() || undefined;
  const language = smsLanguage(options.lang);
  const own = language === 'en' ? undefined : firstLines[language];
  const webOtpLine = `@${host} #${code}`;
  const candidates = [...(own ? [own(code, appName), own(code)] : []), firstLines.en(code, appName), firstLines.en(code)];
  for (const firstLine of candidates) {
    const body = `${firstLine}\n\n${webOtpLine}`;
    if (fitsOneSms(body)) return body;
  }
  throw new SmsTooLongError(`No text with a ${host.length}-character host fits one message.`);
}
