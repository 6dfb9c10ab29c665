/**
 * Region names in the page's language, for the popup's list and search and the button's accessible name.
 * They travel with the popup's chunk: the first render names regions by their codes (`unnamedCountries`).
 */
import { unnamedCountries, type Country } from './countries.js';

export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('en')
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
    return { ...country, name, keywords: foldForSearch(`${name} ${englishName}`) };
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
