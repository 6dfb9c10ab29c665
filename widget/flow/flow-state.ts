/** Where the verification flow is, as the element renders it; the transitions between states are in machine.ts. */
import type { Channel, SessionStatus, SessionView, StartRequest } from './api.js';
import type { ErrorCode } from '../i18n/index.js';

export type FlowStateName =
  'idle' | 'starting' | 'calling' | 'ringing' | 'checking' | 'switching' | 'verified' | 'expired' | 'locked' | 'error';

export const FLOW_STATES: readonly FlowStateName[] = [
  'idle',
  'starting',
  'calling',
  'ringing',
  'checking',
  'switching',
  'verified',
  'expired',
  'locked',
  'error',
];

/** A session as the flow needs it: times as epoch milliseconds. */
export interface Session {
  id: string;
  phone: string;
  /** How the current code was sent. */
  channel: Channel;
  /** The site's channels, in its order: the others are offered when the code does not arrive. */
  channels: Channel[];
  codeLength: number;
  /** For a flash call only: the caller ID's digits before the code. */
  callerIdPrefix?: string;
  expiresAt: number;
  resendAt: number;
  attemptsLeft: number;
  /** The call's own progress (`sent` for a text); `ringing` in the flow covers ringing, answered and ended calls alike. */
  callStatus: SessionStatus;
}

export interface FlowError {
  code: ErrorCode;
  retryable: boolean;
  /** Epoch ms before which a retry is pointless (rate limits). */
  retryAt?: number;
  /** Which limit a `rate_limited` answer hit: `resend` is the wait between two calls to one number. */
  limit?: string;
}

export type FlowState =
  | { name: 'idle'; fieldError?: ErrorCode }
  | { name: 'starting'; request: StartRequest }
  | {
      name: 'calling' | 'ringing';
      request: StartRequest;
      session: Session;
      wrongCode?: boolean;
      /** The other ways to get the code are on show: the call rang out, or the user asked. */
      offer?: boolean;
    }
  | { name: 'checking'; request: StartRequest; session: Session; code: string }
  /** A new code by another channel is being asked for, on the same session. */
  | { name: 'switching'; request: StartRequest; session: Session; channel: FallbackChannel }
  | { name: 'verified'; phone: string; token: string }
  | {
      name: 'expired' | 'locked';
      request: StartRequest;
      /** Epoch ms from which the server places a new call to the number. */
      resendAt?: number;
    }
  | {
      name: 'error';
      error: FlowError;
      /** What "try again" repeats: the start request, or going back to code entry for a session. */
      request?: StartRequest;
      session?: Session;
    };

export type FlowEvent =
  | { type: 'submit'; request: StartRequest }
  | { type: 'started'; view: SessionView }
  /** A session placed before the page was reloaded, as the server sees it now. */
  | { type: 'resumed'; request: StartRequest; view: SessionView }
  | { type: 'status'; view: SessionView }
  | { type: 'check'; code: string }
  | { type: 'checked'; token: string; phone: string }
  | { type: 'wrong-code'; attemptsLeft: number; locked: boolean }
  | { type: 'failed'; error: FlowError }
  | { type: 'expire' }
  | { type: 'retry'; now: number }
  | { type: 'resend'; now: number }
  /** "Didn't get the call?": show (or hide) the other ways to get the code. */
  | { type: 'offer'; open: boolean }
  | { type: 'fallback'; channel: FallbackChannel; now: number }
  /** The server sent the new code: the session as it is now. */
  | { type: 'switched'; view: SessionView }
  | { type: 'reset' };

export type FallbackChannel = Exclude<Channel, 'flash'>;

export const initialState: FlowState = { name: 'idle' };

/** States in which the session's call is followed and its code can be typed. */
export function activeSession(state: FlowState): Session | undefined {
  return state.name === 'calling' || state.name === 'ringing' || state.name === 'checking' || state.name === 'switching'
    ? state.session
    : undefined;
}

/** What tells one code of a session from the next: a fallback keeps the id but sends a new code. */
export function codeKey(session: Session): string {
  return `${session.id} ${session.channel} ${session.resendAt}`;
}

/** The flow as its views see it: the state, the time countdowns count from, and the way to move it. */
export interface Flow {
  readonly state: FlowState;
  readonly now: number;
  send(event: FlowEvent): void;
}

/** What tells one intent's number from another's: the number typed, or the challenge that names it. */
export function requestTarget(request: StartRequest): string {
  return 'challenge' in request ? request.challenge : request.phone;
}
