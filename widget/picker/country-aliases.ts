/**
 * Names people type for a region besides the one Intl.DisplayNames gives: common, short and former names
 * ("uk", "turkey", "burma", "ivory coast"). English ones serve every page; a page in Spanish or Arabic adds
 * its own. Part of the popup's chunk, with the names. Kept to names the display names lack, in some
 * browser's locale data at least (older ones say "Turkey", newer "Türkiye").
 */
const ENGLISH: Record<string, string> = {
  AE: 'uae|emirates',
  BY: 'byelorussia',
  CD: 'drc|dr congo|congo kinshasa|zaire',
  CG: 'congo brazzaville|republic of the congo',
  CI: 'ivory coast',
  CV: 'cape verde',
  CZ: 'czech republic',
  GB: 'uk|great britain|britain|england|scotland|wales|northern ireland',
  IR: 'persia',
  KP: 'dprk',
  KR: 'korea|south korea|republic of korea',
  LK: 'ceylon',
  MK: 'macedonia',
  MM: 'burma',
  NL: 'holland|the netherlands',
  PS: 'palestine',
  RU: 'russian federation',
  SZ: 'swaziland',
  TL: 'east timor',
  TR: 'turkey',
  US: 'usa|america|united states of america',
  VA: 'vatican|holy see',
  VN: 'viet nam',
};

const OWN: Record<string, Record<string, string>> = {
  es: {
    AE: 'eau|emiratos',
    CD: 'rdc|congo kinshasa',
    CI: 'costa de marfil',
    CZ: 'republica checa',
    GB: 'inglaterra|gran bretana|escocia|gales',
    KR: 'corea',
    MM: 'birmania',
    NL: 'holanda',
    US: 'eeuu|ee uu|eua|usa|america',
    VA: 'vaticano',
  },
  ar: {
    AE: 'الامارات',
    GB: 'بريطانيا|انجلترا|انكلترا',
    KR: 'كوريا',
    SA: 'السعودية',
    US: 'امريكا|الولايات المتحدة',
  },
};

/** What else `code` goes by, in English and in `lang` (a BCP 47 tag): `|`-separated, folded as searched. */
export function aliasesOf(code: string, lang: string): string {
  const own = OWN[lang.toLowerCase().split(/[-_]/)[0] ?? '']?.[code];
  return [ENGLISH[code], own].filter(Boolean).join('|');
}
