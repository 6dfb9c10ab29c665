import type { Country } from './countries.js';
import { foldForSearch } from './country-names.js';

/**
 * Type-to-search over names and dial codes. A query of digits (with or without "+") matches
 * dial codes, the region owning the code first; otherwise the ISO code or any name the region goes by
 * typed whole ranks first, then names matched at their start, then at the start of a word, then anywhere.
 * Stable within a rank, so preferred regions stay first.
 */
export function searchCountries(list: readonly Country[], query: string): Country[] {
  const q = foldForSearch(query);
  if (!q) return [...list];
  const digits = q.replace(/^\+/, '').replace(/[\s-]/g, '');
  if (/^\d+$/.test(digits)) {
    const rank = (c: Country) => (c.dialCode === digits ? (c.main ? 0 : 1) : c.dialCode.startsWith(digits) ? 2 : 3);
    return list
      .map((c, i) => ({ c, i, r: rank(c) }))
      .filter((x) => x.r < 3)
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map((x) => x.c);
  }
  const rank = (c: Country) => {
    if (c.code.toLowerCase() === q) return 0;
    let best = 4;
    for (const name of c.keywords.split('|')) {
      // A name typed whole ("uk", "usa", "turkey") is as good as the code.
      if (name === q) return 0;
      const at = name.indexOf(q);
      const r = at === 0 ? 1 : at > 0 && name[at - 1] === ' ' ? 2 : at > 0 ? 3 : 4;
      if (r < best) best = r;
    }
    return best;
  };
  return list
    .map((c, i) => ({ c, i, r: rank(c) }))
    .filter((x) => x.r < 4)
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.c);
}
