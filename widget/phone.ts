/**
 * The lazy loader of the phone module: libphonenumber-js, the formatting as typed and the helpers they share.
 * Keeping it behind `loadPhoneLib()` lets the first render skip its ~18 KB gzip (code and the calling codes;
 * each region's numbering plan follows on its own, see phone-lib.ts).
 */
import type * as PhoneLib from './phone-lib.js';

export type { PhoneAnalysis, PhoneProblem, TypedNumber } from './phone-lib.js';
export type PhoneLibModule = typeof PhoneLib;

let settle: { resolve(lib: PhoneLibModule): void; reject(error: unknown): void } | undefined;
const loaded = new Promise<PhoneLibModule>((resolve, reject) => {
  settle = { resolve, reject };
});
let started = false;

/** Fetches the phone module (once) and resolves with it. */
export function loadPhoneLib(): Promise<PhoneLibModule> {
  if (!started) {
    started = true;
    import('./phone-lib.js').then(settle!.resolve, settle!.reject);
  }
  return loaded;
}

/**
 * Resolves once the phone module is in, without fetching it: the element waits on this from the start
 * but asks for the module only after its first paint (or on first focus), keeping it off the critical path.
 */
export function phoneLibLoaded(): Promise<PhoneLibModule> {
  return loaded;
}
