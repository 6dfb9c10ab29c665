/**
 * Decimal digits of every script (Unicode category Nd) read as ASCII 0-9: full-width forms from Chinese and
 * Japanese input modes, Arabic-Indic and Persian digits, Devanagari, Bengali, Thai and the rest. Whatever
 * a keyboard, a paste or an autofill puts in a field goes through here before the phone or code logic reads it.
 */

/**
 * The zero of every run of ten Nd code points (Unicode 17), base 36. Unicode assigns decimal digits only in
 * contiguous runs from 0 to 9, so a digit's value is its distance from the nearest zero below it.
 * Checked against every code point the browser calls Nd in test/widget/digits.test.ts.
 */
const ZEROS = (
  '1c 19c 1dc 1j4 1uu 1ye 21y 25i 292 2cm 2g6 2jq 2na 2qu 2ts 2xc 2zk 37k 39s 4ps 4r4 4zq 53k 58g 58w 5e8 5gw ' +
  '5kw 5lc wtc xcg xds xjk xkg xn4 xyo 1eds 1fhc 1h68 1h6o 1ht2 1hww 1hyu 1i34 1ib4 1ikw 1iog 1iz4 1j28 1j2o ' +
  '1j2y 1j5c 1jhc 1jkg 1k34 1k5s 1kcw 1kf4 1kgw 1kr4 1xrk 1zkw 1znk 1zrk 206o 2j1s 2l72 2l7c 2l7m 2l7w 2l86 ' +
  '2n28 2ne8 2nsg 2nzl 2onk 2sc0'
)
  .split(' ')
  .map((zero) => parseInt(zero, 36));

const ANY_DIGIT = /\p{Nd}/gu;

/** The value (0-9) of one Nd character, or `undefined` for a digit newer than the table. */
export function digitValue(digit: string): number | undefined {
  const code = digit.codePointAt(0)!;
  let zero = -1;
  for (const z of ZEROS) {
    if (z > code) break;
    zero = z;
  }
  const value = code - zero;
  return zero >= 0 && value <= 9 ? value : undefined;
}

/** `text` with every decimal digit, of whatever script, written as its ASCII digit; everything else as it was. */
export function asciiDigits(text: string): string {
  return text.replace(ANY_DIGIT, (d) => {
    const value = digitValue(d);
    return value === undefined ? d : String(value);
  });
}

/** Whether `char` (one code point) is a decimal digit of any script. */
export function isDigit(char: string): boolean {
  return /^\p{Nd}$/u.test(char);
}

/**
 * The digits of a one-time code typed, pasted or autofilled in any script, everything else dropped. Read as
 * digits only, never as a phone number, where a leading 00 would be taken for an international prefix.
 */
export function codeDigits(raw: string): string {
  return asciiDigits(raw.normalize('NFKC')).replace(/\D/g, '');
}
