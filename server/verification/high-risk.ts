/**
 * Destinations where International Revenue Share Fraud concentrates: small networks with high termination
 * rates whose revenue is shared with whoever owns the number. A site that really serves users there lists
 * them in its `allowHighRiskCountries`. Non-geographic satellite and international networks (+881, +882,
 * +883) have no country and are refused as an unsupported number type anyway.
 */
export const HIGH_RISK_COUNTRIES: ReadonlySet<string> = new Set([
  'AC', // Ascension Island
  'CK', // Cook Islands
  'CU', // Cuba
  'ER', // Eritrea
  'FK', // Falkland Islands
  'FM', // Micronesia
  'GM', // Gambia
  'GN', // Guinea
  'GW', // Guinea-Bissau
  'IO', // British Indian Ocean Territory (Diego Garcia)
  'KI', // Kiribati
  'KM', // Comoros
  'LR', // Liberia
  'MH', // Marshall Islands
  'MR', // Mauritania
  'NR', // Nauru
  'NU', // Niue
  'PG', // Papua New Guinea
  'SB', // Solomon Islands
  'SH', // Saint Helena
  'SL', // Sierra Leone
  'SO', // Somalia
  'ST', // São Tomé and Príncipe
  'TD', // Chad
  'TK', // Tokelau
  'TL', // Timor-Leste
  'TV', // Tuvalu
  'VU', // Vanuatu
  'WF', // Wallis and Futuna
  'WS', // Samoa
]);
