import { isSupportedCountry, parsePhoneNumberWithError, type CountryCode } from 'libphonenumber-js/max';
import { HttpProblem } from '../errors.js';

export interface Destination {
  /** E.164. */
  e164: string;
  /** ISO 3166 alpha-2 of the number itself, not of the hint. */
  country: string;
}

/** A flash call only proves possession of a phone that rings and shows caller ID. */
const CALLABLE_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/**
 * Parses what the user typed, national input read against the country hint, and keeps only valid numbers
 * of a type a flash call can reach.
 */
export function parseDestination(input: string, countryHint: string | undefined): Destination {
  let hint: CountryCode | undefined;
  if (countryHint !== undefined) {
    const upper = countryHint.toUpperCase();
    if (!isSupportedCountry(upper)) throw new HttpProblem(400, 'invalid_request', 'country is not a known ISO 3166 code.');
    hint = upper;
  }
  let parsed;
  try {
    parsed = parsePhoneNumberWithError(input, hint ? { defaultCountry: hint } : undefined);
  } catch {
    throw new HttpProblem(422, 'invalid_phone');
  }
  if (!parsed.isValid()) throw new HttpProblem(422, 'invalid_phone');
  const type = parsed.getType();
  if (!type || !CALLABLE_TYPES.has(type) || !parsed.country) {
    throw new HttpProblem(422, 'unsupported_number_type', undefined, { numberType: type ?? 'unknown' });
  }
  return { e164: parsed.number, country: parsed.country };
}
