/**
 * Phone metadata in parts: a base (the calling codes and the regions sharing each) and one part per
 * calling code with those regions' numbering plans.
 *
 * This text keeps every region in one module, which is what a bundler of the npm package sees. The
 * widget build and the browser tests serve a generated module in its place, with each part a chunk of
 * its own (scripts/metadata-split.js); the exports are the same.
 */
import type { MetadataJson } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';

export type MetadataPart = Pick<MetadataJson, 'countries' | 'nonGeographic'>;

export const base: Pick<MetadataJson, 'version' | 'country_calling_codes'> = {
  version: metadata.version,
  country_calling_codes: metadata.country_calling_codes,
};

/** Calling codes of no region (+800, +882…): absent from `country_calling_codes`. */
export const nonGeographicCodes: string[] = Object.keys(metadata.nonGeographic);

/** The numbering plans of one calling code; `undefined` for a code the metadata does not know. */
export function loadPart(callingCode: string): Promise<MetadataPart | undefined> {
  const regions = metadata.country_calling_codes[callingCode];
  const plan = metadata.nonGeographic[callingCode];
  if (!regions && !plan) return Promise.resolve(undefined);
  return Promise.resolve({
    countries: Object.fromEntries((regions ?? []).map((region) => [region, metadata.countries[region]!])),
    nonGeographic: plan ? { [callingCode]: plan } : {},
  });
}
