/**
 * Everything that needs libphonenumber-js. Loaded on demand through `loadPhoneLib()`.
 * Min metadata: enough to format and to check lengths and leading digits; the server, with full
 * metadata, has the last word on whether a number is a mobile it can call.
 */
import {
  AsYouType,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
} from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';

export interface TypedNumber {
  /** Text to show in the input. */
  text: string;
  /** The region the digits belong to, once they say so (international input only). */
  country?: string;
  /** The national form to switch to when an international number was pasted or autofilled. */
  national?: string;
}

/** Formats input as the user types it. `clean` is the output of `cleanPhoneInput`. */
export function formatTyping(clean: string, country: string | undefined): TypedNumber {
  if (!clean) return { text: '' };
  if (clean.startsWith('+')) {
    const typer = new AsYouType(undefined, metadata);
    const text = typer.input(clean);
    const number = typer.getNumber();
    const detected = typer.getCountry() ?? number?.country;
    return { text, country: detected, national: number && detected ? number.formatNational() : undefined };
  }
  return { text: new AsYouType(country as CountryCode | undefined, metadata).input(clean) };
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
