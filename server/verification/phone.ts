import { isSupportedCountry, parsePhoneNumberWithError, type CountryCode } from 'libphonenumber-js/max';
import { HttpProblem } from '../errors.js';

export interface Destination {
  /** E.164. */
  e164: string;
  /** ISO 3166 alpha-2 of the number itself, not of the hint; absent for non-geographic numbers. */
  country?: string;
  /** libphonenumber's type, such as MOBILE or PREMIUM_RATE; absent when the metadata cannot tell. */
  type?: string;
}

/**
 * Parses what the user typed, national input read against the country hint. Only numbers that cannot be
 * called at all are refused here; which callable numbers are welcome is the policy's decision.
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
  // With full metadata a number is valid exactly when it has a type, so the type is worked out once, not
  // once more for `isValid()`; only a number without one is checked against the region's general pattern.
  const type = parsed.getType();
  if (type === undefined && !parsed.isValid()) throw new HttpProblem(422, 'invalid_phone');
  return { e164: parsed.number, country: parsed.country, type };
}
