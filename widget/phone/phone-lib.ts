/**
 * Everything that needs libphonenumber-js. Loaded on demand through `loadPhoneLib()`.
 * Min metadata: enough to format and to check lengths and leading digits; the server, with full
 * metadata, has the last word on whether a number is a mobile it can call.
 *
 * The metadata comes in parts, one per calling code (see metadata-parts.ts), merged into one object as
 * they arrive. Formatting is synchronous: when it runs into a region whose part is not in yet, it fetches
 * that part and answers `undefined`, and the caller shows the text as typed until `arrivals()` settles.
 * Analysis waits for the parts it needs.
 */
import {
  AsYouType,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
  type MetadataJson,
} from 'libphonenumber-js/core';
import { lazy, type Lazy } from '../lazy.js';
import { base, loadPart, nonGeographicCodes } from './metadata-parts.js';

const callingCodeOfRegion = new Map<string, string>();
for (const [code, regions] of Object.entries(base.country_calling_codes)) {
  for (const region of regions) callingCodeOfRegion.set(region, code);
}
const nonGeographic = new Set(nonGeographicCodes);

/** Calling codes the current read asked for and that are not in: filled by the proxies below. */
const wanted = new Set<string>();

/**
 * libphonenumber-js looks regions and non-geographic plans up by property access; these proxies note each
 * miss, so whatever path the library takes (a `+CC`, an IDD prefix typed in national form, a region shared
 * by a calling code) it is the metadata itself that says which part a read needed.
 */
function noteMisses<T extends object>(target: T, callingCodeOf: (key: string) => string | undefined): T {
  const note = (plans: T, key: string | symbol) => {
    if (typeof key === 'string' && !Object.hasOwn(plans, key)) {
      const code = callingCodeOf(key);
      if (code) wanted.add(code);
    }
  };
  // Reads, `in` and `hasOwnProperty` (which goes through the descriptor) are all ways the library asks.
  return new Proxy(target, {
    get(plans, key, receiver) {
      note(plans, key);
      return Reflect.get(plans, key, receiver);
    },
    has(plans, key) {
      note(plans, key);
      return Reflect.has(plans, key);
    },
    getOwnPropertyDescriptor(plans, key) {
      note(plans, key);
      return Reflect.getOwnPropertyDescriptor(plans, key);
    },
  });
}

const countries = {} as MetadataJson['countries'];
const nonGeographicPlans: MetadataJson['nonGeographic'] = {};

/** The one metadata object every call reads, growing as parts arrive. */
const metadata: MetadataJson = {
  ...base,
  countries: noteMisses(countries, (region) => callingCodeOfRegion.get(region)),
  nonGeographic: noteMisses(nonGeographicPlans, (code) => (nonGeographic.has(code) ? code : undefined)),
};

/** Each calling code's part, `true` once merged in. */
const parts = new Map<string, Lazy<true>>();

/** Fetches the part of a calling code (once; again after a failure) and merges it in. */
export function loadCallingCode(code: string): Promise<void> {
  let part = parts.get(code);
  if (!part) {
    part = lazy(() =>
      loadPart(code).then((loaded) => {
        if (loaded) {
          Object.assign(countries, loaded.countries);
          Object.assign(nonGeographicPlans, loaded.nonGeographic);
        }
        return true as const;
      }),
    );
    parts.set(code, part);
  }
  return part.load().then(() => undefined);
}

/** Fetches the part a region's numbers need. */
export function loadRegion(region: string | undefined): Promise<void> {
  const code = region && callingCodeOfRegion.get(region);
  return code ? loadCallingCode(code) : Promise.resolve();
}

/** How many parts are in: a change means something shown unformatted may now be formatted. */
export function partsLoaded(): number {
  return [...parts.values()].filter((part) => part.loaded()).length;
}

/** Settles once the parts being fetched now have arrived or failed; `undefined` when none is. */
export function arrivals(): Promise<unknown> | undefined {
  const loading = [...parts.values()].map((part) => part.pending()).filter((pending) => pending !== undefined);
  return loading.length ? Promise.allSettled(loading) : undefined;
}

/** Runs `read`; `undefined` (and the missing parts on their way) if it needed a part not in yet. */
function complete<T>(read: () => T): T | undefined {
  wanted.clear();
  let result: T | undefined;
  try {
    result = read();
  } catch (error) {
    // A missing region can make the library trip over itself ("Unknown country"); only other errors are real.
    if (!wanted.size) throw error;
  }
  if (!wanted.size) return result;
  for (const code of wanted) loadCallingCode(code).catch(() => undefined);
  return undefined;
}

/** Runs `read` once every part it needs is in, fetching them; rejects if one cannot be fetched. */
async function completed<T>(read: () => T): Promise<T> {
  // Each round can only discover parts of calling codes that exist, so this ends; three is plenty.
  for (let round = 0; round < 3; round++) {
    const result = complete(read);
    if (!wanted.size) return result as T;
    await Promise.all([...wanted].map(loadCallingCode));
  }
  throw new Error('Phone metadata did not settle');
}

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
 * `undefined` while the part the digits need is on its way.
 */
export function formatTyping(clean: string, country: string | undefined): TypedNumber | undefined {
  return complete(() => typing(clean, country));
}

function typing(clean: string, country: string | undefined): TypedNumber {
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
    detected = country && callingCodeOfRegion.get(country) === callingCode ? country : metadata.country_calling_codes[callingCode]?.[0];
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

/** Checks a number once the parts it needs are in; rejects if they cannot be fetched. */
export function analyse(clean: string, country: string | undefined): Promise<PhoneAnalysis> {
  return completed(() => analysis(clean, country));
}

function analysis(clean: string, country: string | undefined): PhoneAnalysis {
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

/**
 * `+447700900123` -> `+44 7700 900123`; partial numbers such as a caller-ID prefix are grouped as far as
 * known. `undefined` while the calling code's part is on its way.
 */
export function formatInternational(e164: string): string | undefined {
  return complete(() => new AsYouType(undefined, metadata).input(e164));
}
