import type { Country } from './countries.js';
import { foldForSearch } from './country-names.js';

/**
 * Type-to-search over names and dial codes. A query of digits (with or without "+") matches
 * dial codes, the region owning the code first; otherwise names match at the start of the name,
 * then at the start of a word, then anywhere. Stable within a rank, so preferred regions stay first.
 */
export function searchCountries(list: readonly Country[], query: string): Country[] {
  const q = foldForSearch(query);
  if (!q) return [...list];
  const digits = q.replace(/^\+/, '').replace(/[\s-]/g, '');
  if (/^\d+$/.test(digits)) {
    const rank = (c: Country) =>
      c.dialCode === digits ? (c.main ? 0 : 1) : c.dialCode.startsWith(digits) ? 2 : 3;
    return list
      .map((c, i) => ({ c, i, r: rank(c) }))
      .filter((x) => x.r < 3)
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map((x) => x.c);
  }
  const rank = (c: Country) => {
    if (c.code.toLowerCase() === q) return 0;
    const at = c.keywords.indexOf(q);
    if (at === 0) return 1;
    if (at > 0 && /[\s(-]/.test(c.keywords[at - 1] ?? '')) return 2;
    return at > 0 ? 3 : 4;
  };
  return list
    .map((c, i) => ({ c, i, r: rank(c) }))
    .filter((x) => x.r < 4)
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.c);
}
