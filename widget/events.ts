import type { ErrorCode } from './i18n/index.js';
import type { FlowStateName } from './flow/machine.js';

export interface VerifiedDetail {
  /** Single-use token for the site's backend to redeem with `POST /v1/siteverify`. */
  token: string;
  /** The verified number, E.164. */
  phone: string;
}

export interface ErrorDetail {
  code: ErrorCode;
  /** The friendly, translated message the element shows. */
  message: string;
  /** Whether trying the same thing again may work. */
  retryable: boolean;
}

export interface StateDetail {
  state: FlowStateName;
}

const init = { bubbles: true, composed: true } as const;

/** The number is verified; the element's form value is now the token. */
export class FcvVerifiedEvent extends CustomEvent<VerifiedDetail> {
  static readonly type = 'fcv-verified';
  constructor(detail: VerifiedDetail) {
    super(FcvVerifiedEvent.type, { ...init, detail });
  }
}

/** Something failed: the server refused, the network dropped, a code was wrong. */
export class FcvErrorEvent extends CustomEvent<ErrorDetail> {
  static readonly type = 'fcv-error';
  constructor(detail: ErrorDetail) {
    super(FcvErrorEvent.type, { ...init, detail });
  }
}

/** The flow moved to another state. */
export class FcvStateEvent extends CustomEvent<StateDetail> {
  static readonly type = 'fcv-state';
  constructor(detail: StateDetail) {
    super(FcvStateEvent.type, { ...init, detail });
  }
}

interface FcvEventMap {
  'fcv-verified': FcvVerifiedEvent;
  'fcv-error': FcvErrorEvent;
  'fcv-state': FcvStateEvent;
}

declare global {
  // The events bubble out of shadow roots, so listeners on the document see them too.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merging into the DOM's own maps
  interface HTMLElementEventMap extends FcvEventMap {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merging into the DOM's own maps
  interface DocumentEventMap extends FcvEventMap {}
}
