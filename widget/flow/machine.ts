/**
 * The verification flow as an explicit state machine. `transition` is pure: the flow controller
 * (flow-controller.ts) feeds it events (user actions, server answers, timers) and performs the side effects
 * the state it returns asks for.
 */
import type { SessionView, StartRequest } from './api.js';
import type { ErrorCode } from '../i18n/index.js';
import { codeKey, initialState, type FlowEvent, type FlowState, type Session } from './flow-state.js';

export * from './flow-state.js';

/** Problems the user fixes by editing the number, so they belong next to the number field. */
const FIELD_ERRORS = new Set<ErrorCode>(['invalid_phone', 'unsupported_number_type', 'country_not_allowed']);

export function toSession(view: SessionView): Session {
  return {
    id: view.id,
    phone: view.phone,
    channel: view.channel,
    channels: view.channels,
    codeLength: view.codeLength,
    ...(view.callerIdPrefix !== undefined ? { callerIdPrefix: view.callerIdPrefix } : {}),
    expiresAt: Date.parse(view.expiresAt),
    resendAt: Date.parse(view.resendAt),
    attemptsLeft: view.attemptsLeft,
    callStatus: view.status,
  };
}

/** Waiting for the code to be typed; the other ways to get it are offered once a call rang out, or when asked for. */
function waiting(request: StartRequest, session: Session, wrongCode?: boolean, offer?: boolean): FlowState {
  return {
    name: session.callStatus === 'calling' ? 'calling' : 'ringing',
    request,
    session,
    wrongCode,
    offer: offer || session.callStatus === 'call-ended',
  };
}

/** Where a terminal server status leads; `undefined` for a call still in progress. */
function terminal(view: SessionView, request: StartRequest): FlowState | undefined {
  switch (view.status) {
    case 'expired':
    case 'locked':
      return { name: view.status, request, resendAt: Date.parse(view.resendAt) };
    case 'failed':
      return { name: 'error', error: { code: 'call_failed', retryable: true }, request };
    default:
      return undefined;
  }
}

function expired(state: { request: StartRequest; session: Session }): FlowState {
  return { name: 'expired', request: state.request, resendAt: state.session.resendAt };
}

export function transition(state: FlowState, event: FlowEvent): FlowState {
  if (event.type === 'reset') return initialState;

  switch (state.name) {
    case 'idle':
      // The number could not be read (the phone module out of reach): said beside the field.
      if (event.type === 'failed') return { name: 'idle', fieldError: event.error.code };
      // Only a call still in progress picks up where the page left off; anything else leaves the form as it is.
      if (event.type === 'resumed')
        return terminal(event.view, event.request) || event.view.status === 'verified'
          ? state
          : waiting(event.request, toSession(event.view));
      return event.type === 'submit' ? { name: 'starting', request: event.request } : state;
    case 'expired':
    case 'locked':
      return event.type === 'submit' ? { name: 'starting', request: event.request } : state;

    case 'starting':
      if (event.type === 'started') {
        const session = toSession(event.view);
        return terminal(event.view, state.request) ?? waiting(state.request, session);
      }
      if (event.type === 'failed') {
        if (FIELD_ERRORS.has(event.error.code)) return { name: 'idle', fieldError: event.error.code };
        return { name: 'error', error: event.error, request: state.request };
      }
      return state;

    case 'calling':
    case 'ringing':
      switch (event.type) {
        case 'status': {
          if (event.view.id !== state.session.id) return state;
          // A verified status seen here came from our own check racing the stream; the check's answer, with the token, decides.
          if (event.view.status === 'verified') return state;
          const next = toSession(event.view);
          // A new code (sent from another tab) starts afresh: its own attempts, no wrong code yet, no offer.
          if (codeKey(next) !== codeKey(state.session)) return terminal(event.view, state.request) ?? waiting(state.request, next);
          const session = { ...next, attemptsLeft: Math.min(event.view.attemptsLeft, state.session.attemptsLeft) };
          return terminal(event.view, state.request) ?? waiting(state.request, session, state.wrongCode, state.offer);
        }
        case 'offer':
          return { ...state, offer: event.open };
        case 'fallback':
          if (event.now < state.session.resendAt || !state.session.channels.includes(event.channel)) return state;
          return { name: 'switching', request: state.request, session: state.session, channel: event.channel };
        case 'check':
          return { name: 'checking', request: state.request, session: state.session, code: event.code };
        case 'resend':
          return event.now >= state.session.resendAt ? { name: 'starting', request: state.request } : state;
        case 'expire':
          return expired(state);
        case 'failed':
          if (event.error.code === 'expired' || event.error.code === 'not_found') return expired(state);
          return { name: 'error', error: event.error, request: state.request, session: state.session };
        default:
          return state;
      }

    case 'checking':
      switch (event.type) {
        case 'checked':
          return { name: 'verified', token: event.token, phone: event.phone };
        case 'wrong-code':
          if (event.locked || event.attemptsLeft <= 0) return { name: 'locked', request: state.request, resendAt: state.session.resendAt };
          return waiting(state.request, { ...state.session, attemptsLeft: event.attemptsLeft }, true);
        case 'status':
          // Keep following the call while the check is in flight; the check's answer moves the flow.
          if (event.view.id !== state.session.id || event.view.status === 'verified') return state;
          if (event.view.status === 'expired' || event.view.status === 'locked' || event.view.status === 'failed') return state;
          return { ...state, session: { ...state.session, callStatus: event.view.status } };
        case 'failed':
          if (event.error.code === 'expired' || event.error.code === 'not_found') return expired(state);
          if (event.error.code === 'too_many_attempts') return { name: 'locked', request: state.request, resendAt: state.session.resendAt };
          return { name: 'error', error: event.error, request: state.request, session: state.session };
        case 'expire':
          return expired(state);
        default:
          return state;
      }

    case 'switching':
      switch (event.type) {
        case 'switched':
          if (event.view.id !== state.session.id) return state;
          return terminal(event.view, state.request) ?? waiting(state.request, toSession(event.view));
        case 'status':
          // The answer to the request decides, unless the session ended meanwhile.
          return event.view.id === state.session.id ? (terminal(event.view, state.request) ?? state) : state;
        case 'expire':
          return expired(state);
        case 'failed':
          if (event.error.code === 'expired' || event.error.code === 'not_found') return expired(state);
          if (event.error.code === 'too_many_attempts') return { name: 'locked', request: state.request, resendAt: state.session.resendAt };
          return { name: 'error', error: event.error, request: state.request, session: state.session };
        default:
          return state;
      }

    case 'verified':
      return state;

    case 'error':
      if (event.type === 'retry' && state.error.retryable) {
        if (state.error.retryAt !== undefined && event.now < state.error.retryAt) return state;
        if (state.session && event.now < state.session.expiresAt && state.request) return waiting(state.request, state.session);
        if (state.request) return { name: 'starting', request: state.request };
      }
      if (event.type === 'submit') return { name: 'starting', request: event.request };
      return state;
  }
}
