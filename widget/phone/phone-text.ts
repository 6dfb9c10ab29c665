/**
 * Phone text helpers that need no metadata: reading what was typed, and keeping the caret put while it is
 * formatted. They travel with the phone library (phone-lib.ts), which is what formats as typed.
 */
import { asciiDigits } from './digits.js';

/**
 * Reduces whatever was typed, pasted or autofilled to `+` and ASCII digits:
 * digits of any script (full-width, Arabic-Indic, Devanagari...), `tel:` URIs (with parameters and %-escapes), spaces, dashes,
 * dots, parentheses, a UK-style "(0)" after the country code, and an international access prefix
 * (`00`, or `011` when the selected country is in the North American plan) all come out as E.164-ish text.
 */
export function cleanPhoneInput(raw: string, dialCode?: string): string {
  // Digits first: NFKC would leave most scripts' digits as they are (and reads "＋" and wide spaces).
  let s = asciiDigits(raw).normalize('NFKC').trim();
  if (/^tel:/i.test(s)) {
    s = s.slice(4).split(';')[0] ?? '';
    try {
      s = decodeURIComponent(s);
    } catch {
      // A stray "%" is just another non-digit to drop below.
    }
  }
  const firstDigit = s.search(/\d/);
  const plus = s.indexOf('+');
  const international = plus !== -1 && (firstDigit === -1 || plus < firstDigit);
  if (international) s = s.replace(/\(\s*0\s*\)/, '');
  const digits = s.replace(/\D/g, '');
  if (international) return `+${digits}`;
  if (dialCode === '1' && digits.startsWith('011')) return `+${digits.slice(3)}`;
  if (/^00[1-9]/.test(digits)) return `+${digits.slice(2)}`;
  return digits;
}

/** A digit of any script, or a plus sign (full-width too): what the caret is kept between. */
const SIGNIFICANT = /[\p{Nd}+\uff0b]/gu;

/**
 * How many digits (of any script) and plus signs come before `index` (a UTF-16 offset, as `selectionStart`)
 * in `text`, to keep the caret put across reformatting.
 */
export function significantBefore(text: string, index: number): number {
  return (text.slice(0, index).match(SIGNIFICANT) ?? []).length;
}

/** The caret position just after the `count`-th digit (or "+") of `text`. */
export function caretAfterSignificant(text: string, count: number): number {
  if (count <= 0) return 0;
  let seen = 0;
  for (const match of text.matchAll(SIGNIFICANT)) {
    if (++seen === count) return match.index + match[0].length;
  }
  return text.length;
}
