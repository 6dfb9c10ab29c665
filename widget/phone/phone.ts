/**
 * The phone module, fetched on demand: libphonenumber-js, the formatting as typed and the helpers they share
 * (phone-module.ts). Keeping it behind `phoneModule` lets the first render skip its ~18 KB gzip (code and the
 * calling codes; each region's numbering plan follows on its own, see phone-lib.ts).
 */
import { lazy } from '../lazy.js';

export type { PhoneAnalysis, PhoneProblem, TypedNumber } from './phone-lib.js';
export type PhoneLibModule = typeof import('./phone-module.js');

/** The element asks for it after its first paint (or on first focus), keeping it off the critical path. */
export const phoneModule = lazy<PhoneLibModule>(() => import('./phone-module.js'));

/** Fetches the phone module and resolves with it; after a failed fetch, the next call fetches again. */
export function loadPhoneLib(): Promise<PhoneLibModule> {
  return phoneModule.load();
}
