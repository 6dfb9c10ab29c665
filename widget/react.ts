import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import type { FcvErrorEvent, FcvStateEvent, FcvVerifiedEvent } from './events.js';
import { FlashCallVerify as FlashCallVerifyElement } from './flash-call-verify.js';

export type { ErrorDetail, StateDetail, VerifiedDetail } from './events.js';
export { FcvErrorEvent, FcvStateEvent, FcvVerifiedEvent } from './events.js';
export { FlashCallVerifyElement };

const TAG = 'flash-call-verify';

// Registering here saves React users a second import. The guard keeps server rendering, where there is no
// registry, and pages that already loaded widget.js working.
if (typeof customElements !== 'undefined' && !customElements.get(TAG)) customElements.define(TAG, FlashCallVerifyElement);

/**
 * `<flash-call-verify>` as a React component. Element properties (`siteKey`, `endpoint`, `defaultCountry`,
 * `countries`, `preferredCountries`, `name`, `required`, `disabled`) are props; the events are
 * `onFcvVerified`, `onFcvError` and `onFcvState`; a ref gives the element itself (`reset()`, `value`).
 */
export const FlashCallVerify = createComponent({
  react: React,
  tagName: TAG,
  elementClass: FlashCallVerifyElement,
  events: {
    onFcvVerified: 'fcv-verified' as EventName<FcvVerifiedEvent>,
    onFcvError: 'fcv-error' as EventName<FcvErrorEvent>,
    onFcvState: 'fcv-state' as EventName<FcvStateEvent>,
  },
  displayName: 'FlashCallVerify',
});
