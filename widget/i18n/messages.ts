import type { ProblemCode } from '../../server/protocol.js';

/**
 * The shape every translation fills in. TypeScript makes each language complete: a missing key is a
 * build error, not an English string in an Arabic page.
 *
 * Placeholders are `{name}`; `{phone}` and `{time}` are inserted by the element as isolated
 * left-to-right text, so a number reads the same in any script direction.
 */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/**
 * Codes of the failures the element can show: the server's problem codes a user can meet, plus the
 * client's own. The six left out only answer requests the element never sends; they show as `unknown`.
 */
export type ErrorCode =
  | Exclude<
      ProblemCode,
      'method_not_allowed' | 'payload_too_large' | 'unsupported_media_type' | 'internal_error' | 'invalid_secret' | 'challenge_with_phone'
    >
  | 'network'
  | 'call_failed'
  | 'misconfigured'
  | 'unknown';

export interface Messages {
  dir: 'ltr' | 'rtl';
  /** Accessible name of the whole control. */
  label: string;
  phoneLabel: string;
  countryButton: string; // {country} {dialCode}
  countrySearch: string;
  countryList: string;
  noCountryMatch: string;
  verify: string;
  /** Under the form: what happens once the number is sent. */
  how: string;
  phoneEmpty: string;
  phoneTooShort: string;
  phoneTooLong: string;
  phoneInvalid: string; // {country}
  starting: string;
  calling: string; // {phone}
  ringing: string; // {phone}
  /** The call was picked up: the code is being read aloud. */
  answered: string; // {phone}
  callEnded: string; // {phone}
  codeHint: PluralForms; // {n}
  codeGroup: string;
  digit: string; // {i} {n}
  resendIn: string; // {time}
  resend: string;
  changeNumber: string;
  checking: string;
  wrongCode: PluralForms; // {n} attempts left
  verified: string; // {phone}
  expired: string;
  locked: string;
  tryAgain: string;
  tryAgainIn: string; // {time}
  /** The number was called a moment ago: a new call waits for the server's pause between two calls. */
  justCalled: string;
  callAgainIn: string; // {time}
  required: string;
  /** Challenge mode: the number the site named, masked, is the one called. */
  challengeIntro: string; // {phone}
  challengeCall: string;
  challengeHow: string;
  /** The disclosure that shows the other ways to get the code: after a call, after a text. */
  noCall: string;
  noText: string;
  /** As `resendIn`, after a text. */
  textAgainIn: string; // {time}
  /** Accessible name of the group of other ways. */
  otherWays: string;
  /** A call that says the code. */
  fallbackVoice: string;
  /** A text with the code. */
  fallbackSms: string;
  /** A new code by another channel is on its way. */
  switching: string;
  /** The voice channel's call, as `calling`, `ringing`, `answered` and `callEnded` are a flash call's. */
  voiceCalling: string; // {phone}
  voiceRinging: string; // {phone}
  voiceAnswered: string; // {phone}
  voiceEnded: string; // {phone}
  smsSent: string; // {phone}
  /** As `codeHint`, for a code said by a voice call and one sent by text. */
  codeHintSpoken: PluralForms; // {n}
  codeHintSms: PluralForms; // {n}
  errors: Record<ErrorCode, string>;
}

/**
 * The words of the number form as it first renders, before anything is sent: English ships them in the
 * element's own file (en-form.ts); every other word waits for the flow (en.ts), as another language's all
 * come in its chunk. Problems with the number the element finds itself name two error codes.
 */
export type FormMessages = Pick<
  Messages,
  | 'dir'
  | 'label'
  | 'phoneLabel'
  | 'countryButton'
  | 'countrySearch'
  | 'countryList'
  | 'noCountryMatch'
  | 'verify'
  | 'how'
  | 'phoneEmpty'
  | 'phoneTooShort'
  | 'phoneTooLong'
  | 'phoneInvalid'
  | 'required'
> & { errors: Pick<Messages['errors'], 'country_not_allowed' | 'network'> };

/**
 * Splits a message around its placeholders so rich values (such as an LTR-isolated phone number)
 * can be rendered in place. Unknown placeholders are left as written.
 */
export function interpolate<T>(template: string, values: Record<string, T | string | number>): Array<T | string> {
  const parts: Array<T | string> = [];
  let last = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    const key = match[1] ?? '';
    if (!(key in values)) continue;
    parts.push(template.slice(last, match.index));
    const value = values[key] as T | string | number;
    parts.push(typeof value === 'number' ? String(value) : value);
    last = match.index + match[0].length;
  }
  parts.push(template.slice(last));
  return parts.filter((p) => p !== '');
}

/** Fills a message in as plain text; numbers are written in the digits of `lang` when it is given. */
export function format(template: string, values: Record<string, string | number>, lang?: string): string {
  if (lang) {
    const digits = new Intl.NumberFormat(lang);
    values = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'number' ? digits.format(v) : v]));
  }
  return interpolate<string>(template, values).join('');
}
