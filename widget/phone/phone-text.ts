/**
 * Phone text helpers that need no metadata: reading what was typed, and keeping the caret put while it is
 * formatted. They travel with the phone library (phone-lib.ts), which is what formats as typed.
 */
const ARABIC_INDIC_ZERO = 0x660;
const EXTENDED_ARABIC_INDIC_ZERO = 0x6f0;

/**
 * Reduces whatever was typed, pasted or autofilled to `+` and ASCII digits:
 * full-width forms, Arabic-Indic digits, `tel:` URIs (with parameters and %-escapes), spaces, dashes,
 * dots, parentheses, a UK-style "(0)" after the country code, and an international access prefix
 * (`00`, or `011` when the selected country is in the North American plan) all come out as E.164-ish text.
 */
export function cleanPhoneInput(raw: string, dialCode?: string): string {
  let s = raw
    .normalize('NFKC')
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - ARABIC_INDIC_ZERO))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - EXTENDED_ARABIC_INDIC_ZERO))
    .trim();
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
  let digits = s.replace(/\D/g, '');
  if (international) return `+${digits}`;
  if (dialCode === '1' && digits.startsWith('011')) return `+${digits.slice(3)}`;
  if (/^00[1-9]/.test(digits)) return `+${digits.slice(2)}`;
  return digits;
}

/** How many digits (and a leading "+") come before `index` in `text`, to keep the caret put across reformatting. */
export function significantBefore(text: string, index: number): number {
  return (text.slice(0, index).match(/[\d+]/g) ?? []).length;
}

/** The caret position just after the `count`-th digit (or "+") of `text`. */
export function caretAfterSignificant(text: string, count: number): number {
  if (count <= 0) return 0;
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    if (/[\d+]/.test(text[i] ?? '') && ++seen === count) return i + 1;
  }
  return text.length;
}

/** Digits of a one-time code typed, pasted or autofilled in any script; anything else dropped. */
export function codeDigits(raw: string): string {
  return cleanPhoneInput(raw).replace(/\D/g, '');
}
