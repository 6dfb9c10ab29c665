/**
 * The element class and its event types, without registering the tag: for hosts that choose their own tag
 * name or register it later. `flash-call-verify/define` registers `<flash-call-verify>`.
 */
export { FlashCallVerify } from './flash-call-verify.js';
export { FcvErrorEvent, FcvStateEvent, FcvVerifiedEvent } from './events.js';
export type { ErrorDetail, StateDetail, VerifiedDetail } from './events.js';
export type { FlowStateName } from './flow/machine.js';
export type { ErrorCode } from './i18n/index.js';
