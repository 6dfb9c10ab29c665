import type { PluralForms } from './messages.js';

/**
 * Chooses the plural form for `n` by the language's CLDR rules and fills in `{n}`. Only the states after
 * a submit count things, so this travels with the call flow rather than with the form.
 */
export function plural(lang: string, forms: PluralForms, n: number): string {
  const form = forms[new Intl.PluralRules(lang).select(n)] ?? forms.other;
  return form.replaceAll('{n}', new Intl.NumberFormat(lang).format(n));
}
