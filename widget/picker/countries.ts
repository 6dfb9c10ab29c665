import { DIAL_CODES } from '../phone/dial-codes.js';

/** ISO 3166-1 alpha-2 region code, upper case. */
export type CountryCode = string;

export interface Country {
  code: CountryCode;
  dialCode: string;
  /** Whether this region owns its calling code (GB for +44, US for +1), so it ranks first on a dial-code search. */
  main: boolean;
  name: string;
  flag: string;
  /** For type-to-search: the names it goes by in the UI language and in English, folded, `|`-separated. */
  keywords: string;
}

const dialCodes = new Map<CountryCode, { dialCode: string; main: boolean }>();
let callingCode = 0;
for (const [, step, regions] of DIAL_CODES.matchAll(/(\d+)([A-Z]+)/g)) {
  callingCode += Number(step);
  const dialCode = String(callingCode);
  regions!.match(/../g)!.forEach((code, i) => dialCodes.set(code, { dialCode, main: i === 0 }));
}

export function isCountryCode(code: string | null | undefined): code is CountryCode {
  return !!code && dialCodes.has(code.toUpperCase());
}

export function dialCodeOf(code: CountryCode): string | undefined {
  return dialCodes.get(code)?.dialCode;
}

/** Regional indicator symbols: a flag on platforms that draw them, the two letters elsewhere. */
export function flagOf(code: CountryCode): string {
  return String.fromCodePoint(...[...code].map((c) => 0x1f1a5 + c.charCodeAt(0)));
}

/** Parses a comma list such as `"gb, ie"` into known region codes, dropping unknown ones. */
export function parseCountryList(value: string | null | undefined): CountryCode[] {
  if (!value) return [];
  return value
    .split(/[\s,]+/)
    .map((c) => c.toUpperCase())
    .filter((c, i, all) => isCountryCode(c) && all.indexOf(c) === i);
}

let unnamed: Country[] | undefined;

/**
 * Every callable region, named by its code: enough to pick the default and draw the button without
 * Intl.DisplayNames, whose first use loads locale data worth tens of milliseconds on a slow phone.
 * The element swaps in `allCountries` (country-names.ts) after its first paint.
 */
export function unnamedCountries(): Country[] {
  unnamed ??= [...dialCodes].map(([code, { dialCode, main }]) => ({
    code,
    dialCode,
    main,
    name: code,
    flag: flagOf(code),
    keywords: code.toLowerCase(),
  }));
  return unnamed;
}

/** The picker's list: the allowlist applied, preferred regions first in the order given. */
export function orderCountries(all: Country[], allowed: readonly CountryCode[], preferred: readonly CountryCode[]): Country[] {
  const allowedSet = allowed.length ? new Set(allowed) : undefined;
  const usable = allowedSet ? all.filter((c) => allowedSet.has(c.code)) : all;
  const first = preferred.map((code) => usable.find((c) => c.code === code)).filter((c): c is Country => !!c);
  return [...first, ...usable.filter((c) => !first.includes(c))];
}

/**
 * The region to start with: the `default-country` attribute, else the region of the page's
 * language (`en-GB` -> GB; a bare `es` -> its likely region ES), else the first usable one.
 */
export function pickDefaultCountry(
  attribute: string | null | undefined,
  lang: string,
  usable: readonly Country[],
): CountryCode | undefined {
  const ok = (code: string | undefined) => (code && usable.some((c) => c.code === code.toUpperCase()) ? code.toUpperCase() : undefined);
  return ok(attribute ?? undefined) ?? ok(regionOf(lang)) ?? usable[0]?.code;
}

export function regionOf(lang: string): string | undefined {
  try {
    const locale = new Intl.Locale(lang);
    return locale.region ?? locale.maximize().region;
  } catch {
    return undefined;
  }
}
