/**
 * Everything after a number is submitted: the state machine's moves, the call followed over its event
 * stream, the code checked, the timers, and the views of those states. A chunk of its own (with the code
 * boxes): the element fetches it after its first paint and waits for it beside the request that places
 * the call, so the idle form renders without it.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { ApiClient, StartRequest } from './api.js';
import { CodeEntry } from './code-entry.js';
import { callFlowStyles } from './call-flow-styles.js';
import { FcvErrorEvent, FcvVerifiedEvent } from '../events.js';
import { interpolate, type ErrorCode, type Messages } from '../i18n/messages.js';
import { plural } from '../i18n/plural.js';
import { activeSession, transition, type FlowEvent, type FlowState } from './machine.js';
import { ApiError, followSession, toFlowError } from './remote.js';

export { callFlowStyles };

/** What the call flow sees of the element and asks of it. */
export interface FlowHost {
  readonly element: ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };
  flow(): FlowState;
  /** Moves the element to `next`; a change of state is announced to the page and moves focus. */
  moveTo(next: FlowState): void;
  lang(): string;
  messages(): Messages;
  disabled(): boolean;
  /** A client for the current endpoint. */
  client(): Promise<ApiClient>;
  /** One request at a time: a signal for a new one, which cancels the older. */
  newSignal(): AbortSignal;
  /** Asks the server to call, `starting` having been entered from `previous`. */
  start(request: StartRequest, previous: FlowState): void;
  /** A phone number (or the caller ID's known digits) as shown: grouped once its metadata is in. */
  number(digits: string): string;
  /** Focus goes where the new state wants it once rendered. */
  focusAfterUpdate(): void;
}

/** The message line: an optional indicator before the text, and its tone. */
export interface StatusView {
  indicator?: TemplateResult;
  text: unknown;
  tone?: 'error' | 'success';
}

export class CallFlow implements ReactiveController {
  readonly #host: FlowHost;
  readonly #codeEntry: CodeEntry;
  #follow: { id: string; controller: AbortController } | undefined;
  #expiryTimer: ReturnType<typeof setTimeout> | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #now = Date.now();

  constructor(host: FlowHost) {
    this.#host = host;
    this.#codeEntry = new CodeEntry(host.element, { onComplete: (code) => this.send({ type: 'check', code }) });
    host.element.addController(this);
  }

  hostConnected(): void {
    // Back in the page (moved, or re-inserted): pick up where the flow was.
    const flow = this.#host.flow();
    if (flow.name === 'checking') this.#check(flow.session.id, flow.code);
    this.#syncSession();
  }

  hostDisconnected(): void {
    this.#stopFollowing();
    this.#stopTimers();
  }

  send(event: FlowEvent): void {
    const previous = this.#host.flow();
    const next = transition(previous, event);
    if (next === previous) return;
    const sessionChanged = activeSession(previous)?.id !== activeSession(next)?.id;
    if (sessionChanged || next.name === 'idle') this.#codeEntry.clear();
    this.#host.moveTo(next);
    this.#entered(previous, next);
  }

  /** Focuses the code boxes. */
  focusCode(): void {
    this.#codeEntry.focus();
  }

  #entered(previous: FlowState, next: FlowState): void {
    const m = this.#host.messages();
    const moved = previous.name !== next.name;
    // Entry actions run once per entry: a status update within the same state only refreshes the view.
    if (!moved && next.name !== 'calling' && next.name !== 'ringing') {
      this.#syncSession();
      return;
    }
    switch (next.name) {
      case 'starting':
        this.#host.start(next.request, previous);
        break;
      case 'checking':
        this.#check(next.session.id, next.code);
        break;
      case 'verified':
        this.#host.element.dispatchEvent(new FcvVerifiedEvent({ token: next.token, phone: next.phone }));
        break;
      case 'calling':
      case 'ringing':
        if (next.wrongCode && previous.name === 'checking') {
          this.#codeEntry.clear();
          this.#error('wrong_code', plural(this.#host.lang(), m.wrongCode, next.session.attemptsLeft), true);
        }
        break;
      case 'expired':
        this.#error('expired', m.errors.expired, true);
        break;
      case 'locked':
        this.#error('too_many_attempts', m.errors.too_many_attempts, true);
        break;
      case 'error':
        this.#error(next.error.code, m.errors[next.error.code], next.error.retryable);
        break;
      case 'idle':
        if (next.fieldError) this.#error(next.fieldError, m.errors[next.fieldError], false);
        break;
    }
    // A change of state moves focus anyway; a wrong code stays in its state, and focus goes back to the boxes.
    if (!moved && next.name === 'ringing' && next.wrongCode) this.#host.focusAfterUpdate();
    this.#syncSession();
  }

  #error(code: ErrorCode, message: string, retryable: boolean): void {
    this.#host.element.dispatchEvent(new FcvErrorEvent({ code, message, retryable }));
  }

  #check(id: string, code: string): void {
    const signal = this.#host.newSignal();
    this.#host
      .client()
      .then((api) => api.check(id, code, signal))
      .then(
        (result) => !signal.aborted && this.send({ type: 'checked', token: result.token, phone: result.phone }),
        (error: unknown) => {
          if (signal.aborted) return;
          if (error instanceof ApiError && error.code === 'wrong_code') {
            const attemptsLeft = error.extra.attemptsLeft ?? 0;
            this.send({ type: 'wrong-code', attemptsLeft, locked: error.extra.sessionStatus === 'locked' || attemptsLeft <= 0 });
          } else {
            this.send({ type: 'failed', error: toFlowError(error) });
          }
        },
      );
  }

  /** Follows the active session's call and keeps its timers, or stops both when there is none. */
  #syncSession(): void {
    const host = this.#host;
    if (!host.element.isConnected) return;
    const flow = host.flow();
    const session = activeSession(flow);
    if (!session) {
      this.#stopFollowing();
    } else if (this.#follow?.id !== session.id) {
      this.#stopFollowing();
      const controller = new AbortController();
      this.#follow = { id: session.id, controller };
      const { signal } = controller;
      const failed = (error: unknown) => !signal.aborted && this.send({ type: 'failed', error: toFlowError(error) });
      void host.client().then(
        (api) =>
          followSession(api, session.id, {
            signal,
            onStatus: (view) => !signal.aborted && this.send({ type: 'status', view }),
            onError: failed,
          }),
        failed,
      );
    }
    this.#stopTimers();
    if (session) {
      this.#expiryTimer = setTimeout(() => this.send({ type: 'expire' }), Math.max(0, session.expiresAt - Date.now()));
    }
    const until = session ? session.resendAt : flow.name === 'error' ? flow.error.retryAt : undefined;
    this.#tick();
    if (until !== undefined && until > this.#now) {
      // Ticks only while a countdown is on screen.
      this.#ticker = setInterval(() => {
        this.#tick();
        if (this.#now >= until) clearInterval(this.#ticker);
      }, 1000);
    }
  }

  #tick(): void {
    this.#now = Date.now();
    this.#host.element.requestUpdate();
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

  // ---- the views ---------------------------------------------------------------------------------

  /** The message line of the states after the call was placed; the element has its own for the others. */
  status(m: Messages): StatusView | undefined {
    const flow = this.#host.flow();
    switch (flow.name) {
      case 'calling':
      case 'ringing': {
        const status = flow.session.callStatus;
        if (flow.wrongCode) return { text: plural(this.#host.lang(), m.wrongCode, flow.session.attemptsLeft), tone: 'error' };
        const template =
          flow.name === 'calling' ? m.calling : status === 'call-ended' ? m.callEnded : status === 'answered' ? m.answered : m.ringing;
        return {
          indicator: status === 'call-ended' ? undefined : html`<span class="pulse" aria-hidden="true"></span>`,
          text: interpolate(template, { phone: this.#number(flow.session.phone) }),
        };
      }
      case 'checking':
        return { indicator: html`<span class="spinner" aria-hidden="true"></span>`, text: m.checking };
      case 'verified':
        return {
          indicator: html`<span class="tick" aria-hidden="true">✓</span>`,
          text: interpolate(m.verified, { phone: this.#number(flow.phone) }),
          tone: 'success',
        };
      case 'expired':
        return { text: m.expired, tone: 'error' };
      case 'locked':
        return { text: m.locked, tone: 'error' };
      default:
        return undefined;
    }
  }

  /** The code boxes while the call's code can be typed. */
  code(m: Messages): TemplateResult | typeof nothing {
    const flow = this.#host.flow();
    const session = activeSession(flow);
    if (!session) return nothing;
    return this.#codeEntry.render(m, this.#host.lang(), {
      codeLength: session.codeLength,
      prefix: this.#host.number(session.callerIdPrefix),
      checking: flow.name === 'checking',
      wrong: flow.name !== 'checking' && 'wrongCode' in flow && !!flow.wrongCode,
      disabled: this.#host.disabled(),
    });
  }

  actions(m: Messages): TemplateResult | typeof nothing {
    const flow = this.#host.flow();
    const disabled = this.#host.disabled();
    const change = html`<button type="button" part="change-number" class="link" @click=${this.#changeNumber}>${m.changeNumber}</button>`;
    switch (flow.name) {
      case 'calling':
      case 'ringing':
      case 'checking': {
        const wait = flow.session.resendAt - this.#now;
        const resend =
          wait > 0
            ? html`<p class="hint">${interpolate(m.resendIn, { time: this.#duration(wait) })}</p>`
            : html`<button type="button" part="resend-button" class="secondary" ?disabled=${disabled || flow.name === 'checking'} @click=${this.#resend}>
                ${m.resend}
              </button>`;
        return html`<div part="actions" class="actions">${resend}${change}</div>`;
      }
      case 'expired':
      case 'locked':
        return html`<div part="actions" class="actions">
          <button type="button" part="resend-button" class="primary" ?disabled=${disabled} @click=${this.#callAgain}>${m.resend}</button>
          ${change}
        </div>`;
      case 'verified':
        return html`<div part="actions" class="actions">${change}</div>`;
      case 'error': {
        const wait = (flow.error.retryAt ?? 0) - this.#now;
        const retry = flow.error.retryable
          ? html`<button type="button" part="retry-button" class="primary" ?disabled=${disabled || wait > 0} @click=${this.#retry}>
              ${wait > 0 ? interpolate(m.tryAgainIn, { time: this.#duration(wait) }) : m.tryAgain}
            </button>`
          : nothing;
        return html`<div part="actions" class="actions">${retry}${flow.session ? change : nothing}</div>`;
      }
      default:
        return nothing;
    }
  }

  /** A phone number as isolated left-to-right text: "+44 7700 900123" reads the same on an Arabic page. */
  #number(e164: string): TemplateResult {
    return html`<bdi class="number" dir="ltr">${this.#host.number(e164)}</bdi>`;
  }

  #duration(ms: number): TemplateResult {
    const total = Math.max(0, Math.ceil(ms / 1000));
    const lang = this.#host.lang();
    const minutes = new Intl.NumberFormat(lang).format(Math.floor(total / 60));
    const seconds = new Intl.NumberFormat(lang, { minimumIntegerDigits: 2 }).format(total % 60);
    return html`<bdi class="number" dir="ltr">${minutes}:${seconds}</bdi>`;
  }

  #changeNumber = () => {
    this.send({ type: 'reset' });
    this.#host.focusAfterUpdate();
  };

  #resend = () => {
    this.#now = Date.now();
    this.send({ type: 'resend', now: this.#now });
  };

  #callAgain = () => {
    const flow = this.#host.flow();
    if (flow.name === 'expired' || flow.name === 'locked') this.send({ type: 'submit', request: flow.request });
  };

  #retry = () => {
    this.#now = Date.now();
    this.send({ type: 'retry', now: this.#now });
  };
}
