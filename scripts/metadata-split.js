/**
 * libphonenumber-js's min metadata cut by calling code, so a page fetches the numbering plans of the
 * regions its visitors use rather than of every region (about 19 KB gzip in one piece, 1 KB for +44).
 *
 * The widget build (vite.config.ts) and the browser tests (web-test-runner.config.js) serve
 * `partsModule()` in place of widget/phone/metadata-parts.ts: a base with the calling codes and which regions
 * share each, and one module per calling code (`partModule()`), imported by a URL made from the code when that
 * code is needed.
 * The file's own text, every region in one module, is what bundlers of the npm package see.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** @type {import('libphonenumber-js/core').MetadataJson} */
const metadata = require('libphonenumber-js/min/metadata');

/** The module replaced, by path. */
export const PARTS_MODULE = /[\\/]widget[\\/]phone[\\/]metadata-parts\.ts$/;

/** Every calling code, geographic or not: one part each. */
export function callingCodes() {
  return [...Object.keys(metadata.country_calling_codes), ...Object.keys(metadata.nonGeographic)];
}

/** The calling code of a region (ISO 3166 alpha-2), if the metadata knows it. */
export function callingCodeOf(region) {
  return Object.keys(metadata.country_calling_codes).find((code) => metadata.country_calling_codes[code].includes(region));
}

/**
 * The text of the generated widget/phone/metadata-parts.ts. `url` names the part of any calling code, with
 * `{code}` in place of the code, relative to the module: one name for all of them rather than a table of 215.
 * @param {string} url
 */
export function partsModule(url) {
  const base = { version: metadata.version, country_calling_codes: metadata.country_calling_codes };
  return `export const base = ${JSON.stringify(base)};
export const nonGeographicCodes = ${JSON.stringify(Object.keys(metadata.nonGeographic))};
export function loadPart(callingCode) {
  if (!Object.hasOwn(base.country_calling_codes, callingCode) && !nonGeographicCodes.includes(callingCode)) return Promise.resolve(undefined);
  return import(/* @vite-ignore */ new URL(${JSON.stringify(url)}.replace('{code}', callingCode), import.meta.url).href).then((module) => module.default);
}
`;
}

/**
 * The text of the module holding one calling code's numbering plans, or `undefined` for a code the
 * metadata does not know.
 * @param {string} callingCode
 */
export function partModule(callingCode) {
  const part = { countries: {}, nonGeographic: {} };
  if (Object.hasOwn(metadata.nonGeographic, callingCode)) {
    part.nonGeographic[callingCode] = metadata.nonGeographic[callingCode];
  } else if (Object.hasOwn(metadata.country_calling_codes, callingCode)) {
    for (const region of metadata.country_calling_codes[callingCode]) part.countries[region] = metadata.countries[region];
  } else {
    return undefined;
  }
  return `export default ${JSON.stringify(part)};\n`;
}
