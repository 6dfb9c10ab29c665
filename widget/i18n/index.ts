export type { ErrorCode, Messages, PluralForms } from './messages.js';
export { format, interpolate } from './messages.js';
export { plural } from './plural.js';
