/**
 * Everything that needs libphonenumber-js. Loaded on demand through `loadPhoneLib()`.
 * Min metadata: enough to format and to check lengths and leading digits; the server, with full
 * metadata, has the last word on whether a number is a mobile it can call.
 */
import {
  AsYouType,
  getCountryCallingCode,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
} from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';

export interface TypedNumber {
  /** Text to show in the input. */
  text: string;
  /** For international input: the region the digits belong to, as far as they tell. */
  country?: string;
  /** For international input: the same number in national form, to show beside the region's dial code. */
  national?: string;
}

/**
 * Formats input as it is typed. `clean` is the output of `cleanPhoneInput`; `country` is the picker's
 * region, the reading for national input and the tie-break between regions sharing a calling code.
 */
export function formatTyping(clean: string, country: string | undefined): TypedNumber {
  if (!clean) return { text: '' };
  if (!clean.startsWith('+')) return { text: new AsYouType(country as CountryCode | undefined, metadata).input(clean) };
  const typer = new AsYouType(undefined, metadata);
  const text = typer.input(clean);
  const callingCode = typer.getCallingCode();
  if (!callingCode) return { text };
  const number = typer.getNumber();
  let detected: string | undefined = typer.getCountry() ?? number?.country;
  // A number the metadata can't place (a reserved range, a typo) still belongs to its calling code's main region.
  if (!detected) {
    detected = country && getCountryCallingCode(country as CountryCode, metadata) === callingCode
      ? country
      : metadata.country_calling_codes[callingCode]?.[0];
  }
  if (!detected) return { text };
  const national = number?.isValid()
    ? number.formatNational()
    : new AsYouType(detected as CountryCode, metadata).input(clean.slice(1 + callingCode.length));
  return { text, country: detected, national };
}

export type PhoneProblem = 'empty' | 'too_short' | 'too_long' | 'invalid';

export interface PhoneAnalysis {
  problem?: PhoneProblem;
  e164?: string;
  country?: string;
  international?: string;
}

export function analyse(clean: string, country: string | undefined): PhoneAnalysis {
  if (!clean.replace('+', '')) return { problem: 'empty' };
  const options = { defaultCountry: country as CountryCode | undefined };
  const length = validatePhoneNumberLength(clean, options, metadata);
  if (length === 'TOO_SHORT' || length === 'NOT_A_NUMBER') return { problem: 'too_short' };
  if (length === 'TOO_LONG') return { problem: 'too_long' };
  const parsed = parsePhoneNumberFromString(clean, options, metadata);
  if (!parsed || !parsed.isValid()) return { problem: 'invalid', country: parsed?.country };
  return {
    e164: parsed.number,
    country: parsed.country,
    international: parsed.formatInternational(),
  };
}

/** `+447700900123` -> `+44 7700 900123`; partial numbers such as a caller-ID prefix are grouped as far as known. */
export function formatInternational(e164: string): string {
  return new AsYouType(undefined, metadata).input(e164);
}
