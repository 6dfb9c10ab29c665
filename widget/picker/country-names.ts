/**
 * Region names in the page's language, for the popup's list and search and the button's accessible name.
 * They travel with the popup's chunk: the first render names regions by their codes (`unnamedCountries`).
 */
import { aliasesOf } from './country-aliases.js';
import { unnamedCountries, type Country } from './countries.js';

/**
 * Text as searched: accents and case dropped ("Türkiye" is "turkiye"), punctuation read as a space
 * ("Guinea-Bissau", "St. Lucia"), and Arabic letters people write either way made one.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('en')
    .replace(/[\p{P}\s]+/gu, ' ')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .trim();
}

const listCache = new Map<string, Country[]>();

/**
 * Every callable region, named in `lang`, sorted by name in that language.
 * Cached per language: building it means ~250 Intl.DisplayNames look-ups.
 */
export function allCountries(lang: string): Country[] {
  const cached = listCache.get(lang);
  if (cached) return cached;
  const names = displayNames(lang);
  const english = displayNames('en');
  const list = unnamedCountries().map((country) => {
    const name = names?.of(country.code) ?? country.code;
    const englishName = english?.of(country.code) ?? country.code;
    const goesBy = [name, englishName, ...aliasesOf(country.code, lang).split('|')];
    return { ...country, name, keywords: goesBy.map(foldForSearch).join('|') };
  });
  const collator = new Intl.Collator(lang);
  list.sort((a, b) => collator.compare(a.name, b.name));
  listCache.set(lang, list);
  return list;
}

function displayNames(lang: string): Intl.DisplayNames | undefined {
  try {
    return new Intl.DisplayNames([lang, 'en'], { type: 'region', fallback: 'code' });
  } catch {
    return undefined;
  }
}
