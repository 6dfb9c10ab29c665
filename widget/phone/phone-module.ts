/**
 * The phone module as one chunk: libphonenumber-js with its metadata parts, formatting as typed, and what
 * the element needs to read a number. The field shows the text as typed until it is in.
 */
export * from './phone-lib.js';
export { cleanPhoneInput } from './phone-text.js';
export { PhoneTyping } from './phone-typing.js';
