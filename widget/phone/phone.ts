/**
 * The lazy loader of the phone module: libphonenumber-js, the formatting as typed and the helpers they share.
 * Keeping it behind `loadPhoneLib()` lets the first render skip its ~18 KB gzip (code and the calling codes;
 * each region's numbering plan follows on its own, see phone-lib.ts).
 */
import type * as PhoneLib from './phone-lib.js';

export type { PhoneAnalysis, PhoneProblem, TypedNumber } from './phone-lib.js';
export type PhoneLibModule = typeof PhoneLib;

let settle: ((lib: PhoneLibModule) => void) | undefined;
// Settles only with the module: a failed fetch leaves it pending for the attempt that succeeds.
const loaded = new Promise<PhoneLibModule>((resolve) => {
  settle = resolve;
});
let attempt: Promise<PhoneLibModule> | undefined;

/** Fetches the phone module and resolves with it; after a failed fetch, the next call fetches again. */
export function loadPhoneLib(): Promise<PhoneLibModule> {
  attempt ??= import('./phone-lib.js').then(
    (lib) => {
      settle!(lib);
      return lib;
    },
    (error: unknown) => {
      attempt = undefined;
      throw error;
    },
  );
  return attempt;
}

/**
 * Resolves once the phone module is in, without fetching it: the element waits on this from the start
 * but asks for the module only after its first paint (or on first focus), keeping it off the critical path.
 */
export function phoneLibLoaded(): Promise<PhoneLibModule> {
  return loaded;
}
