/**
 * The one owner of the verification flow: it holds the state, moves it with the pure `transition`
 * (machine.ts), and runs every side effect a state asks for: the request that places the call, following
 * the call, checking the code, the timers, and the events the page hears. The element renders its state.
 *
 * The network client and the views after a submit travel in a chunk (flow-parts.ts) fetched after the
 * first paint; the flow asks for it when it needs it, and a failed fetch is a network failure like any other.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { FcvErrorEvent, FcvStateEvent, FcvVerifiedEvent } from '../events.js';
import type { ErrorCode, Messages } from '../i18n/messages.js';
import { plural } from '../i18n/plural.js';
import { lazy } from '../lazy.js';
import type { StartRequest } from './api.js';
import type { FallbackChannel } from './flow-state.js';
import {
  activeSession,
  codeKey,
  initialState,
  requestTarget,
  transition,
  type Flow,
  type FlowError,
  type FlowEvent,
  type FlowState,
  type Session,
} from './machine.js';

/** The network client, the call follower and the views after a submit. */
export const flowParts = lazy(() => import('./flow-parts.js'));
export type FlowParts = typeof import('./flow-parts.js');

export interface FlowOptions {
  /** Base URL of the verification server. */
  endpoint(): string;
  /** The site's public key: with the endpoint, it names the session a reload picks up again. */
  siteKey(): string;
  /** Language of the control: the messages `fcv-error` carries are in it. */
  lang(): string;
  messages(): Messages;
}

const NETWORK_ERROR: FlowError = { code: 'network', retryable: true };

export class FlowController implements ReactiveController, Flow {
  #state: FlowState = initialState;
  /** The time the countdowns on screen count from: moved on every second while one is showing. */
  now = Date.now();
  /** The request in flight (start or check); one at a time. */
  #request: AbortController | undefined;
  #follow: { id: string; controller: AbortController } | undefined;
  #expiryTimer: ReturnType<typeof setTimeout> | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;
  /** The key of the call being asked for, kept across retries so a lost answer never rings twice. */
  #startKey: string | undefined;
  /** When each number called from here may be called again (epoch ms), so going back to one waits it out. */
  readonly #resendAt = new Map<string, number>();
  #resumed = false;
  /** The WebOTP request for a texted code: which code it waits for, and how to stop waiting. */
  #otp: { key: string; controller: AbortController } | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: FlowOptions,
  ) {
    host.addController(this);
  }

  get state(): FlowState {
    return this.#state;
  }

  /** Fetches the network client and the views ahead of a submit, so the call is placed without waiting for them. */
  prefetch(): Promise<FlowParts> {
    return flowParts.load();
  }

  hostConnected(): void {
    // Back in the page (moved, or re-inserted): pick up where the flow was.
    const state = this.#state;
    if (state.name === 'starting') this.#start(state.request);
    if (state.name === 'checking') this.#check(state.session.id, state.code);
    if (state.name === 'idle' && !this.#resumed) this.#resume();
    this.#resumed = true;
    this.#sync();
  }

  hostDisconnected(): void {
    this.#request?.abort();
    this.#request = undefined;
    this.#stopOtp();
    this.#stopFollowing();
    this.#stopTimers();
  }

  /** Feeds an event to the machine and runs what the state it leads to asks for. */
  send(event: FlowEvent): void {
    const previous = this.#state;
    const next = transition(previous, event);
    if (next === previous) return;
    this.#state = next;
    this.host.requestUpdate();
    this.#remember(next);
    if (previous.name !== next.name) this.host.dispatchEvent(new FcvStateEvent({ state: next.name }));
    // Entry actions run once per entry (a status update within a state only refreshes the view); a field error is news each time.
    if (previous.name !== next.name || (next.name === 'idle' && next.fieldError)) this.#entered(previous, next);
    this.#sync();
  }

  /** What entering `next` asks for. */
  #entered(previous: FlowState, next: FlowState): void {
    const m = this.options.messages();
    switch (next.name) {
      case 'starting':
        // After a lost answer the server may have placed the call: the retry repeats that intent and gets its
        // answer. Anything the server did answer (a problem it would replay) calls for a new intent.
        if (!(previous.name === 'error' && previous.error.code === 'network' && this.#startKey)) this.#startKey = newIdempotencyKey();
        return this.#start(next.request);
      case 'checking':
        return this.#check(next.session.id, next.code);
      case 'switching':
        return this.#fallback(next.session.id, next.channel);
      case 'verified':
        this.host.dispatchEvent(new FcvVerifiedEvent({ token: next.token, phone: next.phone }));
        return;
      case 'calling':
      case 'ringing':
        if (next.wrongCode && previous.name === 'checking') {
          this.#error('wrong_code', plural(this.options.lang(), m.wrongCode, next.session.attemptsLeft), true);
        }
        return;
      case 'expired':
        return this.#error('expired', m.errors.expired, true);
      case 'locked':
        return this.#error('too_many_attempts', m.errors.too_many_attempts, true);
      case 'error':
        return this.#error(next.error.code, m.errors[next.error.code], next.error.retryable);
      case 'idle':
        if (next.fieldError) this.#error(next.fieldError, m.errors[next.fieldError], next.fieldError === 'network');
        return;
    }
  }

  #error(code: ErrorCode, message: string, retryable: boolean): void {
    this.host.dispatchEvent(new FcvErrorEvent({ code, message, retryable }));
  }

  /** A signal for a new request, which cancels the older one. */
  #newSignal(): AbortSignal {
    this.#request?.abort();
    this.#request = new AbortController();
    return this.#request.signal;
  }

  /** Runs `call` with the flow's parts; a failure (the chunk's too) goes to the machine as `failed`. */
  #run<T>(call: (parts: FlowParts, signal: AbortSignal) => Promise<T>, done: (result: T) => void, failed = this.#failed): void {
    const signal = this.#newSignal();
    flowParts
      .load()
      .then((parts) => call(parts, signal))
      .then(
        (result) => !signal.aborted && done(result),
        (error: unknown) => !signal.aborted && failed(error),
      );
  }

  #failed = (error: unknown): void => this.send({ type: 'failed', error: flowParts.loaded()?.toFlowError(error) ?? NETWORK_ERROR });

  #api(parts: FlowParts) {
    return new parts.ApiClient(this.options.endpoint());
  }

  #start(request: StartRequest): void {
    // A number called a moment ago is not called again before the server would: said at once, no request spent.
    const resendAt = this.#resendAt.get(requestTarget(request)) ?? 0;
    if (resendAt > Date.now()) {
      this.send({ type: 'failed', error: { code: 'rate_limited', retryable: true, retryAt: resendAt, limit: 'resend' } });
      return;
    }
    const key = this.#startKey;
    this.#run(
      (parts, signal) => this.#api(parts).start(request, signal, key),
      (view) => this.send({ type: 'started', view }),
    );
  }

  #check(id: string, code: string): void {
    this.#run(
      (parts, signal) => this.#api(parts).check(id, code, signal),
      (result) => this.send({ type: 'checked', token: result.token, phone: result.phone }),
      (error) => {
        const parts = flowParts.loaded();
        if (parts && error instanceof parts.ApiError && error.code === 'wrong_code') {
          const attemptsLeft = error.extra.attemptsLeft ?? 0;
          this.send({ type: 'wrong-code', attemptsLeft, locked: error.extra.sessionStatus === 'locked' || attemptsLeft <= 0 });
        } else {
          this.#failed(error);
        }
      },
    );
  }

  #fallback(id: string, channel: FallbackChannel): void {
    const key = newIdempotencyKey();
    this.#run(
      (parts, signal) => this.#api(parts).fallback(id, channel, signal, key),
      (view) => this.send({ type: 'switched', view }),
    );
  }

  /**
   * A texted code, read by the browser where it can (WebOTP: Chrome on Android offers it from the text's last
   * line) and checked without typing. Asked once per code, and given up as soon as the flow moves on from it.
   */
  #syncOtp(session: Session | undefined, waiting: boolean): void {
    const key = session?.channel === 'sms' ? codeKey(session) : undefined;
    if (this.#otp && (this.#otp.key !== key || !this.host.isConnected)) this.#stopOtp();
    if (!key || !waiting || this.#otp || !('OTPCredential' in window) || !navigator.credentials) return;
    const controller = new AbortController();
    this.#otp = { key, controller };
    const { signal } = controller;
    navigator.credentials
      .get({ otp: { transport: ['sms'] }, signal } as CredentialRequestOptions)
      .then((credential) => {
        // An OTPCredential: its `code` is what the text's last line carried.
        const code: unknown = credential && 'code' in credential ? credential.code : undefined;
        const state = this.#state;
        if (signal.aborted || typeof code !== 'string' || !/^\d+$/.test(code)) return;
        if ((state.name === 'calling' || state.name === 'ringing') && codeKey(state.session) === key) {
          if (code.length === state.session.codeLength) this.send({ type: 'check', code });
        }
      })
      // Refused, aborted or unsupported: typing still works.
      .catch(() => undefined);
  }

  #stopOtp(): void {
    this.#otp?.controller.abort();
    this.#otp = undefined;
  }

  /**
   * What outlives this state: when its number may be called again, and the session in progress, kept for
   * the tab (sessionStorage) so a reload shows the code boxes of the same call rather than placing another.
   */
  #remember(state: FlowState): void {
    const session = activeSession(state) ?? (state.name === 'error' ? state.session : undefined);
    const request = 'request' in state ? state.request : undefined;
    if (request) {
      const until =
        session?.resendAt ??
        (state.name === 'error' && state.error.limit === 'resend' ? state.error.retryAt : 'resendAt' in state ? state.resendAt : undefined);
      if (until) this.#resendAt.set(requestTarget(request), until);
    }
    try {
      if (session && request) sessionStorage.setItem(this.#storageKey(), JSON.stringify({ id: session.id, request }));
      else if (state.name !== 'starting') sessionStorage.removeItem(this.#storageKey());
    } catch {
      // Storage refused (a sandboxed frame, privacy settings): a reload then starts again.
    }
  }

  #storageKey(): string {
    return `flash-call-verify ${this.options.siteKey()} ${this.options.endpoint()}`;
  }

  /** Picks up the call in progress before a reload; one that ended, or that the server no longer knows, is let go. */
  #resume(): void {
    let saved: { id?: unknown; request?: StartRequest } | undefined;
    try {
      saved = (JSON.parse(sessionStorage.getItem(this.#storageKey()) ?? 'null') as typeof saved | null) ?? undefined;
    } catch {
      saved = undefined;
    }
    if (typeof saved?.id !== 'string' || !saved.request) return;
    const { id, request } = saved;
    const forget = () => this.#remember(this.#state);
    this.#run(
      (parts, signal) => this.#api(parts).status(id, signal),
      (view) => {
        this.send({ type: 'resumed', request, view });
        forget();
      },
      forget,
    );
  }

  /** Follows the active session's call and keeps the timers the state shows, or stops them. */
  #sync(): void {
    if (!this.host.isConnected) return;
    const state = this.#state;
    const session = activeSession(state);
    // Kept while the code is checked, so a wrong one leaves the request in place; a new code or state ends it.
    this.#syncOtp(session, state.name === 'calling' || state.name === 'ringing' || state.name === 'checking');
    if (!session) {
      this.#stopFollowing();
    } else if (this.#follow?.id !== session.id) {
      this.#stopFollowing();
      const controller = new AbortController();
      this.#follow = { id: session.id, controller };
      const { signal } = controller;
      const failed = (error: unknown) => !signal.aborted && this.#failed(error);
      flowParts.load().then(
        (parts) =>
          parts.followSession(this.#api(parts), session.id, {
            signal,
            onStatus: (view) => !signal.aborted && this.send({ type: 'status', view }),
            onError: failed,
          }),
        failed,
      );
    }
    this.#stopTimers();
    if (session) this.#expiryTimer = setTimeout(() => this.send({ type: 'expire' }), Math.max(0, session.expiresAt - Date.now()));
    const until = session
      ? session.resendAt
      : state.name === 'error'
        ? state.error.retryAt
        : 'resendAt' in state
          ? state.resendAt
          : undefined;
    this.now = Date.now();
    if (until !== undefined && until > this.now) {
      // Ticks only while a countdown is on screen.
      this.#ticker = setInterval(() => {
        this.now = Date.now();
        this.host.requestUpdate();
        if (this.now >= until) clearInterval(this.#ticker);
      }, 1000);
    }
  }

  #stopFollowing(): void {
    this.#follow?.controller.abort();
    this.#follow = undefined;
  }

  #stopTimers(): void {
    clearTimeout(this.#expiryTimer);
    clearInterval(this.#ticker);
    this.#expiryTimer = undefined;
    this.#ticker = undefined;
  }
}

/** 128 random bits; `crypto.randomUUID` would need a secure context, which a site's page may not be. */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
