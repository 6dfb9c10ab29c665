import { FlashCallVerify } from './flash-call-verify.js';

export { FlashCallVerify } from './flash-call-verify.js';
export { FcvErrorEvent, FcvStateEvent, FcvVerifiedEvent } from './events.js';
export type { ErrorDetail, StateDetail, VerifiedDetail } from './events.js';

// A second copy of the script on the page (or a host that already defined the tag) is harmless.
if (!customElements.get('flash-call-verify')) customElements.define('flash-call-verify', FlashCallVerify);

declare global {
  interface HTMLElementTagNameMap {
    'flash-call-verify': FlashCallVerify;
  }
}
